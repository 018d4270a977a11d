"""The engine's errors in the window's language: :func:`render` turns an error's ``kind``
and ``params`` (``engine.errors``: a CSV file refused at a row and column, a weight or
session file refused, divergence at a step in a layer, an impossible architecture, a
value out of its range) into one line from the "messages" catalogue.

The English templates below are the source texts (they give exactly ``str(error)``, the
line the command line prints); ``QCoreApplication.translate("messages", ...)`` gives the
chosen language's. A kind the table does not know, a template that does not fit its
params, or any other exception, is shown as ``str(error)`` - English, never nothing.

Every kind the engine can raise has an entry (``tests/gui/test_messages.py`` collects them
from the engine's source).
"""

from __future__ import annotations

from typing import Any

from backprop_lab.engine.errors import kind_of
from backprop_lab.engine.training_state import TrainingDiverged
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_C = "messages"


def _t(text: str) -> str:
    return QCoreApplication.translate(_C, text)


#: kind -> template of the whole line (no file name for these kinds).
PLAIN: dict[str, str] = {
    "limits.not_a_number": QT_TRANSLATE_NOOP("messages", "{what} must be a number, got {value}"),
    "limits.not_finite": QT_TRANSLATE_NOOP(
        "messages", "{what} must be a finite number, got {value}"
    ),
    "limits.out_of_range": QT_TRANSLATE_NOOP(
        "messages", "{what} must be {left} and {right}, got {value}"
    ),
    "limits.not_whole": QT_TRANSLATE_NOOP("messages", "{what} must be a whole number, got {value}"),
    "limits.whole_out_of_range": QT_TRANSLATE_NOOP(
        "messages", "{what} must be between {lo} and {hi}, got {value}"
    ),
    "limits.array_not_finite": QT_TRANSLATE_NOOP(
        "messages", "{what} contains NaN or infinite values"
    ),
    "limits.array_too_large": QT_TRANSLATE_NOOP(
        "messages", "{what} has a value of {value}: values must be at most {limit} in size"
    ),
    "architecture.no_layers": QT_TRANSLATE_NOOP(
        "messages", "a network needs at least one layer (the output layer)"
    ),
    "architecture.too_many_layers": QT_TRANSLATE_NOOP(
        "messages", "at most {limit} layers are supported, got {count}"
    ),
    "architecture.unknown_activation": QT_TRANSLATE_NOOP(
        "messages", "layer {layer}: unknown activation {activation} (known: {known})"
    ),
    "architecture.output_only_activation": QT_TRANSLATE_NOOP(
        "messages", "layer {layer}: {activation} is only allowed on the output layer"
    ),
    "architecture.too_many_parameters": QT_TRANSLATE_NOOP(
        "messages", "the network would have {count} parameters; at most {limit} are supported"
    ),
    "architecture.width_not_whole": QT_TRANSLATE_NOOP(
        "messages", "{what} must be a whole number, got {value}"
    ),
    "architecture.width_out_of_range": QT_TRANSLATE_NOOP(
        "messages", "{what} must be between 1 and {limit}, got {value}"
    ),
    "diverged.activation": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the activations of layer {layer} (and so the "
        "loss) became non-finite (NaN or infinity); the last finite weights were kept - try "
        "a smaller learning rate",
    ),
    "diverged.loss": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the loss of the outputs of layer {layer} became "
        "non-finite (NaN or infinity); the last finite weights were kept - try a smaller "
        "learning rate",
    ),
    "diverged.loss_no_layer": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the loss became non-finite (NaN or infinity); the "
        "last finite weights were kept - try a smaller learning rate",
    ),
    "diverged.gradient": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the gradients of layer {layer} became non-finite "
        "(NaN or infinity); the last finite weights were kept - try a smaller learning rate",
    ),
    "diverged.weight": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the weights of layer {layer} became non-finite "
        "(NaN or infinity); the last finite weights were kept - try a smaller learning rate",
    ),
    "diverged.weight_size": QT_TRANSLATE_NOOP(
        "messages",
        "training diverged at step {step}: the weights of layer {layer} grew beyond {limit} "
        "in size; the last finite weights were kept - try a smaller learning rate",
    ),
    "data.zero_variance": QT_TRANSLATE_NOOP(
        "messages",
        "cannot standardise input {which}: it has the same value ({value}) in every training "
        "row (it is constant), so its standard deviation is 0; turn standardisation off or "
        "remove the column",
    ),
    "data.zero_variance_one_row": QT_TRANSLATE_NOOP(
        "messages",
        "cannot standardise input {which}: it has the same value ({value}) in every training "
        "row (there is only one training row), so its standard deviation is 0; turn "
        "standardisation off or remove the column",
    ),
}

#: CSV kind -> template of the reason (after "<file>, row R, column C: ").
CSV: dict[str, str] = {
    "csv.folder": QT_TRANSLATE_NOOP("messages", "this is a folder, not a file"),
    "csv.not_regular": QT_TRANSLATE_NOOP("messages", "this is not a regular file"),
    "csv.too_large": QT_TRANSLATE_NOOP("messages", "file is {size}, over the {limit} limit"),
    "csv.grew_too_large": QT_TRANSLATE_NOOP("messages", "file is over the {limit} limit"),
    "csv.cannot_open": QT_TRANSLATE_NOOP("messages", "cannot open the file: {detail}"),
    "csv.not_utf8": QT_TRANSLATE_NOOP(
        "messages", "byte {byte} is not UTF-8 text (save the file as 'CSV UTF-8')"
    ),
    "csv.missing_value": QT_TRANSLATE_NOOP("messages", "missing value"),
    "csv.non_finite": QT_TRANSLATE_NOOP("messages", "non-finite value {value}"),
    "csv.not_a_number": QT_TRANSLATE_NOOP("messages", "{value} is not a number"),
    "csv.not_ascii": QT_TRANSLATE_NOOP(
        "messages",
        "{value} is not a number: only ASCII digits 0-9 are read, as in 1000, -2.5 or 3e-4 "
        "(no '_' separators, no digits of other scripts)",
    ),
    "csv.too_wide": QT_TRANSLATE_NOOP(
        "messages",
        "{count} columns, but a network takes at most {max_inputs:,} input columns (plus "
        "the {targets} target columns)",
    ),
    "csv.too_many_targets": QT_TRANSLATE_NOOP(
        "messages", "targets must be at most {limit} (the widest output layer), got {targets}"
    ),
    "csv.no_feature_column": QT_TRANSLATE_NOOP(
        "messages",
        "targets={targets} but the file has {width} columns; at least one feature column is needed",
    ),
    "csv.ragged": QT_TRANSLATE_NOOP("messages", "expected {expected} columns, found {found}"),
    "csv.unreadable": QT_TRANSLATE_NOOP("messages", "unreadable CSV ({detail})"),
    "csv.empty": QT_TRANSLATE_NOOP("messages", "the file is empty"),
    "csv.header_only": QT_TRANSLATE_NOOP("messages", "only a header row, no data"),
    "csv.bad_targets": QT_TRANSLATE_NOOP(
        "messages", "targets must be a whole number >= 1, got {value}"
    ),
    "csv.other": "{reason}",  # the engine's own words: nothing to translate
}
_TOO_WIDE_ONE_TARGET = QT_TRANSLATE_NOOP(
    "messages",
    "{count} columns, but a network takes at most {max_inputs:,} input columns (plus the "
    "1 target column)",
)
_ONE_COLUMN = QT_TRANSLATE_NOOP(
    "messages", "targets={targets} but the file has 1 column; at least one feature column is needed"
)

#: weight / session file kind -> template of the problem (after "<file>: ").
FILE: dict[str, str] = {
    "file.not_regular": QT_TRANSLATE_NOOP("messages", "not a regular file"),
    "file.too_large": QT_TRANSLATE_NOOP(
        "messages", "the file is {size} bytes, more than the {limit} limit for this format"
    ),
    "file.changed": QT_TRANSLATE_NOOP("messages", "the file changed while it was being read"),
    "file.diverged_not_saved": QT_TRANSLATE_NOOP(
        "messages", "the network has NaN or infinite weights (it diverged); not saved"
    ),
    "file.invalid_architecture": QT_TRANSLATE_NOOP("messages", "invalid architecture: {inner}"),
    "file.architecture_document": QT_TRANSLATE_NOOP("messages", "architecture: {inner}"),
    "file.data": QT_TRANSLATE_NOOP("messages", "data: {inner}"),
    "file.not_utf8": QT_TRANSLATE_NOOP("messages", "not UTF-8 text (byte {byte})"),
    "file.too_many_brackets": QT_TRANSLATE_NOOP(
        "messages", "not a model file: {count} JSON brackets (at most {limit})"
    ),
    "file.json_too_deep": QT_TRANSLATE_NOOP("messages", "invalid JSON: nested too deeply"),
    "file.invalid_json_at": QT_TRANSLATE_NOOP(
        "messages", "invalid JSON at line {line} column {column}: {detail}"
    ),
    "file.inner": "{inner}",
    "file.other": "{problem}",  # the engine's own words: nothing to translate
}

#: Names of values (the ``what`` of a range error) that the catalogue translates; any
#: other name (a session file's key, say) is shown as the engine wrote it.
WHAT: dict[str, str] = {
    "the learning rate": QT_TRANSLATE_NOOP("messages", "the learning rate"),
    "the batch size": QT_TRANSLATE_NOOP("messages", "the batch size"),
    "the noise": QT_TRANSLATE_NOOP("messages", "the noise"),
    "the seed": QT_TRANSLATE_NOOP("messages", "the seed"),
    "the rate": QT_TRANSLATE_NOOP("messages", "the rate"),
    "the iteration count": QT_TRANSLATE_NOOP("messages", "the iteration count"),
    "the epoch count": QT_TRANSLATE_NOOP("messages", "the epoch count"),
    "the optimizer's update count": QT_TRANSLATE_NOOP("messages", "the optimizer's update count"),
    "the network": QT_TRANSLATE_NOOP("messages", "the network"),
    "the data": QT_TRANSLATE_NOOP("messages", "the data"),
    "the data's inputs": QT_TRANSLATE_NOOP("messages", "the data's inputs"),
    "the data's targets": QT_TRANSLATE_NOOP("messages", "the data's targets"),
    "the data's validation inputs": QT_TRANSLATE_NOOP("messages", "the data's validation inputs"),
    "the data's validation targets": QT_TRANSLATE_NOOP("messages", "the data's validation targets"),
}

#: What Python's JSON parser says (``json.JSONDecodeError.msg``) -> the catalogue's text.
JSON_DETAILS: dict[str, str] = {
    "Expecting value": QT_TRANSLATE_NOOP("messages", "Expecting value"),
    "Expecting property name enclosed in double quotes": QT_TRANSLATE_NOOP(
        "messages", "Expecting property name enclosed in double quotes"
    ),
    "Expecting ':' delimiter": QT_TRANSLATE_NOOP("messages", "Expecting ':' delimiter"),
    "Expecting ',' delimiter": QT_TRANSLATE_NOOP("messages", "Expecting ',' delimiter"),
    "Unterminated string starting at": QT_TRANSLATE_NOOP(
        "messages", "Unterminated string starting at"
    ),
    "Invalid control character at": QT_TRANSLATE_NOOP("messages", "Invalid control character at"),
    "Extra data": QT_TRANSLATE_NOOP("messages", "Extra data"),
}

_PIECES = {
    "at_least": QT_TRANSLATE_NOOP("messages", "at least {lo}"),
    "above": QT_TRANSLATE_NOOP("messages", "above {lo}"),
    "at_most": QT_TRANSLATE_NOOP("messages", "at most {hi}"),
    "below": QT_TRANSLATE_NOOP("messages", "below {hi}"),
    "bytes": QT_TRANSLATE_NOOP("messages", "{count} bytes"),
    "input_size": QT_TRANSLATE_NOOP("messages", "input size"),
    "layer_width": QT_TRANSLATE_NOOP("messages", "layer {layer} width"),
    "column": QT_TRANSLATE_NOOP("messages", "column {input_column}"),
    "named_column": QT_TRANSLATE_NOOP("messages", "column {name} (column {input_column})"),
    "where_row_column": QT_TRANSLATE_NOOP("messages", "{file}, row {row}, column {column}"),
    "where_row": QT_TRANSLATE_NOOP("messages", "{file}, row {row}"),
    "where_column": QT_TRANSLATE_NOOP("messages", "{file}, column {column}"),
}


def kinds() -> set[str]:
    """Every kind :func:`render` has a template for."""
    return set(PLAIN) | set(CSV) | set(FILE)


def _fill(template: str, params: dict[str, Any]) -> str:
    """``template`` in the current language, its ``{names}`` filled from ``params``."""
    verbatim = template in ("{reason}", "{problem}", "{inner}")
    return (template if verbatim else _t(template)).format(**params)


def _extra(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The derived values some templates need, in the current language."""
    p = dict(params)
    if "what" in p:
        what = str(p["what"])
        p["what"] = _t(WHAT[what]) if what in WHAT else what
    for key in ("size", "limit"):  # "400 bytes", "1,024 bytes": the unit is a word
        value = p.get(key)
        if isinstance(value, str) and value.endswith(" bytes"):
            p[key] = _t(_PIECES["bytes"]).format(count=value.removesuffix(" bytes"))
    if kind == "file.invalid_json_at" and p.get("detail") in JSON_DETAILS:
        p["detail"] = _t(JSON_DETAILS[p["detail"]])
    if kind == "limits.out_of_range":
        p["left"] = _t(_PIECES["above" if p.get("lo_open") else "at_least"]).format(**p)
        p["right"] = _t(_PIECES["below" if p.get("hi_open") else "at_most"]).format(**p)
    if kind.startswith("architecture.width"):
        layer = p.get("layer", 0)
        p["what"] = (
            _t(_PIECES["input_size"]) if not layer else _t(_PIECES["layer_width"]).format(**p)
        )
    if kind.startswith("data.zero_variance"):
        name = p.get("name")
        piece = "column" if name is None else "named_column"
        p["which"] = _t(_PIECES[piece]).format(**{**p, "name": repr(name)})
    return p


def _sentence(kind: str, params: dict[str, Any]) -> str | None:
    """The line for ``kind`` without a file name, or None for an unknown kind."""
    p = _extra(kind, params)
    if kind in PLAIN:
        return _fill(PLAIN[kind], p)
    if kind in CSV:
        if kind == "csv.no_feature_column" and p.get("width") == 1:
            return _fill(_ONE_COLUMN, p)
        if kind == "csv.too_wide" and p.get("targets") == 1:
            return _fill(_TOO_WIDE_ONE_TARGET, p)
        return _fill(CSV[kind], p)
    if kind in FILE:
        if "inner_kind" in p:
            inner = _problem(p["inner_kind"], p.get("inner_params", {}))
            p["inner"] = inner if inner is not None else p.get("detail", p.get("problem", ""))
        return _fill(FILE[kind], p)
    return None


def _problem(kind: str, params: dict[str, Any]) -> str | None:
    """A nested error's text: a file kind's problem without its file name."""
    if kind in ("other", "file.other"):
        return params.get("problem") if kind == "file.other" else None
    return _sentence(kind, params)


def _csv_where(params: dict[str, Any]) -> str:
    row, column = params.get("row"), params.get("column")
    if row is not None and column is not None:
        return _fill(_PIECES["where_row_column"], params)
    if row is not None:
        return _fill(_PIECES["where_row"], params)
    if column is not None:
        return _fill(_PIECES["where_column"], params)
    return str(params.get("file", ""))


def render_kind(kind: str, params: dict[str, Any]) -> str | None:
    """The whole line for ``kind`` and ``params`` in the current language (with the file
    name for CSV and weight-file kinds), or None when the table has no such kind or the
    params do not fit its template."""
    try:
        text = _sentence(kind, params)
        if text is None:
            return None
        if kind in CSV or (kind.startswith("data.") and "file" in params):
            return f"{_csv_where(params)}: {text}"
        if kind in FILE and params.get("source"):
            return f"{params['source']}: {text}"
        return text
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return None


def render(error: BaseException | str) -> str:
    """One line for a message box: ``error`` (an engine error, any exception, or the
    message of a divergence as the training process sends it) in the current language;
    ``str(error)`` (English) for anything the table does not know."""
    if isinstance(error, str):
        diverged = TrainingDiverged.from_message(error)
        if diverged is None:
            return error
        error = diverged
    kind, params = kind_of(error)
    text = render_kind(kind, params)
    return text if text is not None else str(error)


__all__ = ["CSV", "FILE", "PLAIN", "WHAT", "kinds", "render", "render_kind"]
