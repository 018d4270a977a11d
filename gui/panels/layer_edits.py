"""The rules of the network builder's edits, without widgets: the limits (hidden layers,
seed), what a valid hidden layer is, which layer a new one copies, the hidden-layer list
after an insert or a move
(IndexError / ValueError with a one-line reason otherwise), the description of a layer's
change (for undo labels), the output activation and loss the data allow, and whether a
:class:`NetworkSpec` fits the data.

Whether a whole network can exist (e.g. not too many parameters) is the engine's rule
(``engine.network.Architecture``, ``fit_problem``); these only add the builder's own.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_lab.engine import defaults, limits
from backprop_lab.engine.activations import HIDDEN_ACTIVATIONS
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.losses import default_output, losses_for
from backprop_lab.engine.network import (
    INITS,
    MAX_LAYERS,
    MAX_PARAMETERS,
    MAX_UNITS,
    Architecture,
    LayerSpec,
    fit_problem,
)
from PySide6.QtCore import QCoreApplication

from ..model import labels
from ..model.labels import EditLabel, Phrase, fill
from ..model.records import NetworkSpec

MAX_HIDDEN = MAX_LAYERS - 1
MAX_SEED = limits.MAX_SEED  # engine.limits: the range the session file checks
DEFAULT_WIDTH = 8


def limits_text() -> str:
    """The builder's limits in one paragraph (its summary's tooltip, the README says the
    same): layers, widths, parameters, and what happens to networks too big to step at
    once."""
    return QCoreApplication.translate(
        "LayerEditor",
        "Limits: up to {0} hidden layers of 1 to {1:,} units and {2:,} parameters in all. "
        "A network whose step takes more than ~30 ms (on the 2-D examples from about two "
        "hidden layers of 128 units) steps in the background: Step and Step phase wait for "
        "it and Esc cancels it. The largest networks take seconds to minutes per step.",
    ).format(MAX_HIDDEN, MAX_UNITS, MAX_PARAMETERS)


def hidden_layer(width: int, activation: str) -> LayerSpec:
    """A hidden layer of ``width`` units (1..MAX_UNITS) and a hidden-layer activation;
    ValueError otherwise."""
    if isinstance(width, bool) or not 1 <= int(width) <= MAX_UNITS:
        raise ValueError(f"a hidden layer's width must be between 1 and {MAX_UNITS}, got {width}")
    if activation not in HIDDEN_ACTIVATIONS:
        raise ValueError(f"{activation!r} is not a hidden-layer activation")
    return LayerSpec(int(width), activation)


def check_index(hidden: Sequence[LayerSpec], index: int) -> int:
    """``index`` if it names a layer of ``hidden``, else IndexError."""
    if not 0 <= index < len(hidden):
        raise IndexError(f"no hidden layer {index} (there are {len(hidden)})")
    return index


def new_layer_at(hidden: Sequence[LayerSpec], index: int) -> LayerSpec:
    """The layer the builder inserts at ``index`` (0..len(hidden)) when the user does not
    say which: a copy (width and activation) of its neighbour, so that a new layer fits
    the network it joins (a relu network gets a relu layer, not tanh). The neighbour is
    the layer it is inserted after (on its input side); inserted at the front, the layer
    it is inserted before. With no hidden layers, DEFAULT_WIDTH units of the default
    hidden activation (``engine.defaults.HIDDEN_ACTIVATION``). IndexError for an index
    out of range."""
    if not 0 <= index <= len(hidden):
        raise IndexError(f"cannot insert at {index}: there are {len(hidden)} layers")
    if not hidden:
        return LayerSpec(DEFAULT_WIDTH, defaults.HIDDEN_ACTIVATION)
    neighbour = hidden[index - 1] if index > 0 else hidden[0]
    return LayerSpec(neighbour.units, neighbour.activation)


def with_inserted(
    hidden: Sequence[LayerSpec], index: int, width: int, activation: str
) -> list[LayerSpec]:
    """``hidden`` with a new layer at ``index`` (0..len); ValueError beyond MAX_HIDDEN
    layers or for an invalid layer, IndexError for an index out of range."""
    if len(hidden) >= MAX_HIDDEN:
        raise ValueError(f"at most {MAX_HIDDEN} hidden layers")
    if not 0 <= index <= len(hidden):
        raise IndexError(f"cannot insert at {index}: there are {len(hidden)} layers")
    out = list(hidden)
    out.insert(index, hidden_layer(width, activation))
    return out


def with_moved(hidden: Sequence[LayerSpec], index: int, delta: int) -> tuple[list, int]:
    """(``hidden`` with layer ``index`` moved by ``delta`` places, its new index);
    IndexError if either index is out of range or ``delta`` is 0."""
    check_index(hidden, index)
    target = index + delta
    if not 0 <= target < len(hidden) or delta == 0:
        raise IndexError(f"cannot move layer {index + 1} by {delta}")
    out = list(hidden)
    out.insert(target, out.pop(index))
    return out, target


def change_description(index: int, old: LayerSpec, new: LayerSpec) -> EditLabel:
    """E.g. "layer 2 width 8 -> 16, activation tanh -> relu" (``index`` 0-based), an
    :class:`~gui.model.labels.EditLabel` (Japanese: "第2層の幅 8 → 16、活性化関数 ...")."""
    parts = []
    if new.units != old.units:
        parts.append(Phrase(labels.WIDTH, old.units, new.units))
    if new.activation != old.activation:
        parts.append(Phrase(labels.ACTIVATION, old.activation, new.activation))
    return EditLabel(parts, prefix=Phrase(labels.LAYER, index + 1))


def spec_problem(spec: NetworkSpec, dataset: Dataset) -> str | None:
    """None if ``spec`` can be shown and trained on ``dataset``, else a one-line reason."""
    problem = fit_problem(dataset, spec.architecture, spec.loss)
    if problem is not None:
        return problem
    if spec.init not in INITS:
        text = QCoreApplication.translate("LayerEdits", "unknown initialisation %1")
        return fill(text, repr(spec.init))
    if not 0 <= spec.seed <= MAX_SEED:
        text = QCoreApplication.translate("LayerEdits", "the seed must be between 0 and %1")
        return fill(text, MAX_SEED)
    return None


def possible_hidden(
    dataset: Dataset, hidden: list[LayerSpec], output: str, loss: str, bias: bool
) -> list[LayerSpec]:
    """``hidden``, if a network with these hidden layers (and that output activation, loss
    and bias) can exist on ``dataset``; else ValueError with the engine's reason (e.g. too
    many parameters: wide layers are allowed one by one, but not all of them at once)."""
    units = dataset.output_size(loss)
    Architecture(dataset.input_size, (*hidden, LayerSpec(units, output)), bias)
    return hidden


def output_loss(dataset: Dataset, activation: str, loss: str | None, current: str) -> str:
    """The loss for an ``activation`` output layer on ``dataset``: ``loss`` if given, else
    ``current`` if it suits, else the first that does; ValueError for an activation or a
    loss that does not suit the data."""
    allowed = losses_for(dataset, activation)
    if not allowed:
        raise ValueError(f"a {activation!r} output layer does not suit this data")
    loss = loss or (current if current in allowed else allowed[0])
    if loss not in allowed:
        raise ValueError(f"the {loss!r} loss does not suit a {activation!r} output here")
    return loss


def default_loss(dataset: Dataset, activation: str, current: str) -> str:
    """``current`` if it suits an ``activation`` output on ``dataset``, else the
    conventional loss (the first allowed; "mse" if none is)."""
    allowed = losses_for(dataset, activation)
    return current if current in allowed else (allowed or ("mse",))[0]


def output_for_data(old: Dataset, new: Dataset, output: str, loss: str) -> tuple[str, str]:
    """(output activation, loss) after the data changes from ``old`` to ``new``: kept when
    the new data is of the same kind (same default pair) and they still make sense, else
    the new data's defaults."""
    same_kind = default_output(new) == default_output(old)
    if not same_kind or loss not in losses_for(new, output):
        return default_output(new)
    return output, loss
