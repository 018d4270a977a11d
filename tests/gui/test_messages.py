"""The engine's errors in the window's language (gui.messages.render): the English
rendering is the engine's own line, the Japanese one has the same numbers and no English
left, an unknown kind falls back to English, and every kind the engine raises has an
entry (collected from the engine's source)."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine import limits
from backprop_lab.engine.data import CSVError, load_csv
from backprop_lab.engine.errors import UNKNOWN_KIND, EngineValueError
from backprop_lab.engine.formats import ModelFileError, load_model
from backprop_lab.engine.network import Architecture, LayerSpec
from backprop_lab.engine.training_state import TrainingDiverged
from backprop_lab.gui import i18n, messages

ENGINE = Path(__file__).resolve().parents[2] / "engine"


@pytest.fixture
def japanese(qapp):
    loaded = i18n.apply_language("ja")
    assert "messages" in loaded
    yield
    i18n.apply_language("en")


def _raised(call) -> BaseException:
    try:
        call()
    except Exception as e:
        return e
    raise AssertionError("nothing was raised")


def _csv(tmp_path, text: str, **kw):
    path = tmp_path / f"data{len(list(tmp_path.glob('*.csv')))}.csv"
    path.write_text(text)
    return lambda: load_csv(path, **kw)


def real_errors(tmp_path) -> dict[str, BaseException]:
    """Errors the engine raises for real inputs, by kind."""
    calls = {
        "csv.not_a_number": _csv(tmp_path, "a,b\n1,2\n3,x\n"),
        "csv.non_finite": _csv(tmp_path, "1,nan\n"),
        "csv.missing_value": _csv(tmp_path, "1,2\n3,\n"),
        "csv.ragged": _csv(tmp_path, "1,2\n3\n"),
        "csv.empty": _csv(tmp_path, ""),
        "csv.header_only": _csv(tmp_path, "a,b\n"),
        "csv.no_feature_column": _csv(tmp_path, "1,2\n", targets=2),
        "csv.bad_targets": _csv(tmp_path, "1,2\n", targets=0),
        "csv.folder": lambda: load_csv(tmp_path),
        "csv.too_large": _csv(tmp_path, "1,2\n" * 100, max_bytes=10),
        "data.zero_variance_one_row": _csv(tmp_path, "x1,t\n1,0\n", standardize=True),
        "data.zero_variance": _csv(tmp_path, "4,0\n4,1\n4,0\n4,1\n", standardize=True),
        "limits.out_of_range": lambda: limits.check_learning_rate(0.0),
        "limits.whole_out_of_range": lambda: limits.check_batch_size(0),
        "limits.not_a_number": lambda: limits.check_noise("x"),
        "limits.not_finite": lambda: limits.check_eps(float("nan")),
        "limits.not_whole": lambda: limits.check_seed(1.5, "the seed"),
        "limits.array_not_finite": lambda: limits.check_weights(np.array([np.nan])),
        "limits.array_too_large": lambda: limits.check_data(np.array([1e200])),
        "architecture.no_layers": lambda: Architecture(2, ()),
        "architecture.too_many_layers": lambda: Architecture(2, (LayerSpec(2, "tanh"),) * 999),
        "architecture.unknown_activation": lambda: Architecture(2, (LayerSpec(1, "x"),)),
        "architecture.output_only_activation": lambda: Architecture(
            2, (LayerSpec(2, "softmax"), LayerSpec(1, "tanh"))
        ),
        "architecture.too_many_parameters": lambda: Architecture(
            4096, (LayerSpec(4096, "tanh"),) * 30
        ),
        "architecture.width_not_whole": lambda: Architecture(2, (LayerSpec(1.5, "tanh"),)),
        "architecture.width_out_of_range": lambda: Architecture(0, (LayerSpec(1, "tanh"),)),
        "file.not_regular": lambda: load_model(tmp_path / "folder.json"),
        "file.invalid_json_at": lambda: load_model(tmp_path / "bad.json"),
        "file.not_utf8": lambda: load_model(tmp_path / "latin1.json"),
    }
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "bad.json").write_text('{"format": "backprop-lab-model", "version": }')
    (tmp_path / "latin1.json").write_bytes(b'{"format": "\xe9"}')
    out = {kind: _raised(call) for kind, call in calls.items()}
    for quantity in TrainingDiverged.KINDS:
        e = TrainingDiverged(12, 3, quantity)
        out[e.kind] = e
    out["diverged.loss_no_layer"] = TrainingDiverged(7, None, "loss")
    return out


def test_real_errors_have_the_kind_expected(tmp_path):
    for kind, error in real_errors(tmp_path).items():
        assert error.kind == kind, (kind, error)


def test_english_rendering_is_the_engines_own_line(qapp, tmp_path):
    for kind, error in real_errors(tmp_path).items():
        assert messages.render(error) == str(error), kind


#: Japanese lines may keep these (identifiers, units, file names of the samples).
ALLOWED = {"nan", "csv", "utf", "targets", "tanh", "relu", "softmax", "data", "json", "mb",
           "kb", "identity", "sigmoid", "model", "folder", "eps", "leaky"}  # fmt: skip


def _numbers(text: str) -> Counter:
    return Counter(re.findall(r"\d+(?:[.,]\d+)*(?:e[+-]?\d+)?", text))


def _english_words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"(?<![0-9A-Za-z])[A-Za-z]{2,}", text)} - ALLOWED


def test_japanese_rendering_has_the_same_numbers_and_no_english(tmp_path, japanese):
    errors = real_errors(tmp_path)
    english = {kind: str(e) for kind, e in errors.items()}
    for kind, error in errors.items():
        ja = messages.render(error)
        assert ja != english[kind], kind
        assert _numbers(ja) == _numbers(english[kind]), (kind, ja)
        named = ja
        for key in ("file", "source"):  # the file's name is the user's
            named = named.replace(str(error.params.get(key) or "\0"), "")
        assert not _english_words(named), (kind, ja)


def _sample_params(kind: str) -> dict:
    return {
        "file": "d.csv", "row": 5, "column": 3, "reason": "r", "size": "3.5 MB",
        "limit": "2 MB", "detail": "", "byte": "0xff", "value": "'7'", "targets": 2,
        "width": 2, "expected": 4, "found": 3, "source": "m.json", "problem": "p",
        "inner_kind": "limits.array_not_finite", "inner_params": {"what": "the network"},
        "what": "the learning rate", "lo": "0", "hi": "1", "lo_open": True, "hi_open": False,
        "count": 9, "known": "tanh", "activation": "'softmax'", "layer": 2, "step": 12,
        "input_column": 1, "name": None, "line": 1, "max_inputs": 100_000,
    }  # fmt: skip


def test_every_kind_of_the_table_renders_in_japanese(japanese):
    for kind in sorted(messages.kinds() - {"csv.other", "file.other"}):
        params = _sample_params(kind)
        ja = messages.render(EngineValueError("english", kind, **params))
        assert ja != "english", kind
        assert not _english_words(ja.replace("d.csv", "").replace("m.json", "")), (kind, ja)


def test_an_unknown_kind_or_unfit_params_fall_back_to_english(japanese):
    assert messages.render(EngineValueError("an unforeseen problem", "new.kind")) == (
        "an unforeseen problem"
    )
    assert messages.render(EngineValueError("no params", "csv.ragged")) == "no params"
    assert messages.render(RuntimeError("plain")) == "plain"
    assert messages.render("a message that is no divergence") == "a message that is no divergence"


def test_a_divergence_message_from_the_training_process_is_rendered(japanese):
    message = str(TrainingDiverged(40, 2, "gradient"))
    ja = messages.render(message)
    assert "イテレーション 40" in ja and "第2層" in ja


def test_a_file_error_wrapping_an_engine_error_renders_both(japanese):
    inner = _raised(lambda: limits.check_weights(np.array([np.inf]), "layer 1 weight"))
    e = ModelFileError("m.npz", str(inner), inner=inner)
    assert str(e) == "m.npz: layer 1 weight contains NaN or infinite values"
    assert messages.render(e).startswith("m.npz: layer 1 weightに NaN")
    csv = CSVError("d.csv", "whatever the engine said")  # no kind: the engine's words
    assert messages.render(csv) == str(csv)


#: A kind is "family.name" (engine/errors.py).
DOTTED = re.compile(r"^[a-z]+\.[a-z0-9_]+$")


def _strings(node: ast.AST) -> set[str]:
    return {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def _engine_kinds() -> set[str]:
    """Every kind the engine can raise, from its source: ``kind=`` arguments of an
    error's constructor, values assigned to a variable ``kind``, the first argument of
    ``explain``, and the values of a ``KINDS`` table."""
    found = set()
    for path in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name.endswith("Error"):
                    found |= {s for k in node.keywords if k.arg == "kind" for s in _strings(k)}
                if name == "explain" and node.args:
                    found |= {s for s in _strings(node.args[0]) if DOTTED.match(s)}
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                if "kind" in names and node.value is not None:
                    found |= {s for s in _strings(node.value) if DOTTED.match(s)}
                if "KINDS" in names and isinstance(node.value, ast.Dict):
                    found |= {s for v in node.value.values for s in _strings(v)}
    return found - {UNKNOWN_KIND}


def test_every_kind_the_engine_raises_has_an_entry():
    kinds = _engine_kinds()
    assert {"csv.not_a_number", "diverged.weight_size", "limits.out_of_range"} <= kinds
    missing = kinds - messages.kinds()
    assert not missing, f"no message for {sorted(missing)} in gui/messages.py"


def test_the_catalogue_translates_every_template():
    import xml.etree.ElementTree as ET

    ts = i18n.catalogue_folder() / "messages_ja.ts"
    translated = {}
    for m in ET.parse(ts).getroot().iter("message"):
        tr = m.find("translation")
        assert tr.get("type") not in ("unfinished", "vanished", "obsolete"), m.find("source").text
        assert tr.text, m.find("source").text
        translated[m.find("source").text] = tr.text
    tables = (messages.PLAIN, messages.CSV, messages.FILE, messages.WHAT, messages._PIECES)
    templates = {t for table in tables for t in table.values()} - {
        "{reason}",
        "{problem}",
        "{inner}",
    }
    assert templates <= set(translated)
    for source, text in translated.items():  # the same placeholders, none lost or added
        assert sorted(re.findall(r"{\w+}", source)) == sorted(re.findall(r"{\w+}", text)), source


def test_the_compiled_catalogue_is_built_from_its_source(tmp_path):
    import shutil
    import subprocess
    import sys

    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed beside this Python")
    ts = i18n.catalogue_folder() / "messages_ja.ts"
    built = tmp_path / "messages_ja.qm"
    subprocess.run([lrelease, str(ts), "-qm", str(built)], check=True, capture_output=True)
    assert built.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run pyside6-lrelease"


def test_a_session_value_out_of_range_is_rendered_with_its_range(japanese):
    from backprop_lab.engine.formats.session_schema import within

    e = _raised(lambda: within(limits.check_number, 0.0, 'training "lr"', "s.bplab", 1e-6, 1e6))
    assert str(e) == 's.bplab: training "lr" must be at least 1e-06 and at most 1e+06, got 0.0'
    assert messages.render(e) == (
        's.bplab: training "lr"は1e-06 以上、1e+06 以下にしてください(指定された値: 0.0)'
    )


def test_a_sessions_refused_data_is_rendered_with_its_reason(japanese):
    from backprop_lab.engine.formats.session_record import _data_error

    inner = _raised(lambda: limits.check_data(np.array([np.nan])))
    e = _data_error("s.bplab", inner)
    assert str(e) == "s.bplab: data: the data contains NaN or infinite values"
    assert messages.render(e) == "s.bplab: データ: データに NaN または無限大の値が含まれています"
