"""The network: an architecture (built layer by layer) and its weights.

A :class:`Network` is an immutable value. Layer ``l`` (0-based here, "layer l+1" in the
user interface, counted from the first layer after the input) has

* ``weights[l]``: shape ``(units, inputs)`` - the torch.nn.Linear layout, row j holds the
  weights *into* unit j, so ``weights[l][j, i]`` is the article's w_ji;
* ``biases[l]``: shape ``(units,)``, or ``None`` when the network has no bias (the article
  leaves biases out: "the essence does not change").

Arrays are read-only; training produces new Networks instead of mutating old ones, so
every record that holds a Network keeps seeing the values it was made with.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from .errors import EngineValueError
from .limits import MAX_INPUTS, MAX_LAYERS, MAX_PARAMETERS, MAX_UNITS
from .losses import losses_for

if TYPE_CHECKING:
    from .data import Dataset

DTYPES = {"float64": np.float64, "float32": np.float32}
INITS = ("xavier", "he", "uniform", "normal")


class LayerLayout(NamedTuple):
    """Where one layer's parameters sit in the flat parameter vector (``Network.flat``, and
    every gradient and optimiser buffer laid out like it): the weights are
    ``flat[weight_start:weight_end].reshape(weight_shape)``, ``weight_shape`` being
    (units, inputs); the biases are ``flat[bias_start:bias_end]``, an empty span
    (``bias_start == bias_end``) without bias. A layer's weights and biases are adjacent
    (``bias_start == weight_end``), so ``flat[weight_start:bias_end]`` is all of the layer.
    A NamedTuple, so the training loop can unpack it as fast as a plain tuple."""

    weight_start: int
    weight_end: int
    weight_shape: tuple[int, int]
    bias_start: int
    bias_end: int


@dataclass(frozen=True)
class LayerSpec:
    """One dense layer: how many units and which activation."""

    units: int
    activation: str


@dataclass(frozen=True)
class Architecture:
    """Input width, then the dense layers in order (the last one is the output layer)."""

    input_size: int
    layers: tuple[LayerSpec, ...]
    bias: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self.layers))
        _check_width("input size", self.input_size, MAX_INPUTS, 0)
        if not self.layers:
            raise EngineValueError(
                "a network needs at least one layer (the output layer)",
                kind="architecture.no_layers",
            )
        if len(self.layers) > MAX_LAYERS:
            raise EngineValueError(
                f"at most {MAX_LAYERS} layers are supported, got {len(self.layers)}",
                kind="architecture.too_many_layers",
                limit=MAX_LAYERS,
                count=len(self.layers),
            )
        for n, layer in enumerate(self.layers, start=1):
            if not isinstance(layer, LayerSpec):
                raise TypeError(f"layer {n} is not a LayerSpec")
            _check_width(f"layer {n} width", layer.units, MAX_UNITS, n)
            if layer.activation not in ACTIVATIONS:
                raise EngineValueError(
                    f"layer {n}: unknown activation {layer.activation!r} "
                    f"(known: {', '.join(ACTIVATIONS)})",
                    kind="architecture.unknown_activation",
                    layer=n,
                    activation=repr(layer.activation),
                    known=", ".join(ACTIVATIONS),
                )
            if n < len(self.layers) and layer.activation not in HIDDEN_ACTIVATIONS:
                raise EngineValueError(
                    f"layer {n}: {layer.activation!r} is only allowed on the output layer",
                    kind="architecture.output_only_activation",
                    layer=n,
                    activation=repr(layer.activation),
                )
        if self.parameter_count > MAX_PARAMETERS:
            raise EngineValueError(
                f"the network would have {self.parameter_count:,} parameters; at most "
                f"{MAX_PARAMETERS:,} are supported",
                kind="architecture.too_many_parameters",
                count=f"{self.parameter_count:,}",
                limit=f"{MAX_PARAMETERS:,}",
            )

    @classmethod
    def build(
        cls,
        input_size: int,
        hidden: Sequence[int],
        output_size: int,
        activation: str = "tanh",
        output_activation: str = "identity",
        bias: bool = True,
    ) -> Architecture:
        """Convenience: equal hidden activations, then the output layer."""
        layers = [LayerSpec(int(u), activation) for u in hidden]
        layers.append(LayerSpec(int(output_size), output_activation))
        return cls(int(input_size), tuple(layers), bool(bias))

    @property
    def sizes(self) -> tuple[int, ...]:
        """Widths from input to output, e.g. (2, 8, 8, 1)."""
        return (self.input_size, *(layer.units for layer in self.layers))

    @property
    def output_activation(self) -> str:
        return self.layers[-1].activation

    @cached_property
    def layout(self) -> tuple[LayerLayout, ...]:
        """Where each layer's parameters sit in the flat parameter vector, one
        :class:`LayerLayout` per layer: [W_0.ravel(), b_0, W_1.ravel(), b_1, ...]."""
        out, pos, s = [], 0, self.sizes
        for fan_in, fan_out in itertools.pairwise(s):
            w_end = pos + fan_in * fan_out
            b_end = w_end + (fan_out if self.bias else 0)
            out.append(LayerLayout(pos, w_end, (fan_out, fan_in), w_end, b_end))
            pos = b_end
        return tuple(out)

    @cached_property
    def parameter_count(self) -> int:
        """The length of the flat parameter vector: every weight and bias."""
        return self.layout[-1].bias_end

    @cached_property
    def activations(self):
        """The :class:`engine.activations.Activation` (fn, grad, formulas) of every layer,
        looked up once per architecture rather than by name in every phase."""
        return tuple(ACTIVATIONS[layer.activation] for layer in self.layers)

    @cached_property
    def splitter(self):
        """``f(flat) -> (weights, biases)``: per-layer views of a flat parameter vector.
        Generated once per architecture as straight-line slicing code, because the training
        loop makes these views for every new network (every iteration)."""
        ws = ", ".join(
            f"f[{s.weight_start}:{s.weight_end}].reshape({s.weight_shape[0]}, {s.weight_shape[1]})"
            for s in self.layout
        )
        bs = ", ".join(
            f"f[{s.bias_start}:{s.bias_end}]" if s.bias_end > s.bias_start else "None"
            for s in self.layout
        )
        return eval(f"lambda f: (({ws},), ({bs},))")  # integers only: no user text

    def describe(self) -> str:
        parts = [str(self.input_size)] + [f"{ly.units} {ly.activation}" for ly in self.layers]
        return " -> ".join(parts) + ("" if self.bias else " (no bias)")

    def to_dict(self) -> dict:
        return {
            "input_size": self.input_size,
            "bias": self.bias,
            "layers": [{"units": ly.units, "activation": ly.activation} for ly in self.layers],
        }


def fit_problem(data: Dataset, architecture: Architecture, loss: str) -> str | None:
    """None if a network of ``architecture`` can be trained with ``loss`` on ``data``,
    else why not, in one line: its input width must be the data's, ``loss`` must make
    sense for its output layer on the data (:func:`engine.losses.losses_for`), and its
    output width must be what the data needs with that loss (``Dataset.output_size``)."""
    if architecture.input_size != data.input_size:
        return (
            f"the network takes {architecture.input_size} inputs but the data has {data.input_size}"
        )
    out = architecture.layers[-1]
    if loss not in losses_for(data, out.activation):
        return (
            f"a {out.activation} output layer with the {loss} loss does not suit "
            f"the data {data.name!r}"
        )
    if out.units != data.output_size(loss):
        return f"the network has {out.units} output(s) but the data needs {data.output_size(loss)}"
    return None


def _check_width(what: str, value: object, limit: int, layer: int) -> None:
    """``layer`` 0 is the input size, else the 1-based layer whose width ``value`` is."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise EngineValueError(
            f"{what} must be a whole number, got {value!r}",
            kind="architecture.width_not_whole",
            layer=layer,
            value=repr(value),
        )
    if not 1 <= value <= limit:
        raise EngineValueError(
            f"{what} must be between 1 and {limit}, got {value}",
            kind="architecture.width_out_of_range",
            layer=layer,
            limit=limit,
            value=int(value),
        )


@dataclass(frozen=True, eq=False)
class Network:
    """An architecture with concrete weights (see the module docstring for shapes)."""

    architecture: Architecture
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray | None, ...] = field(default=())
    flat: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        arch = self.architecture
        weights = tuple(self.weights)
        biases = tuple(self.biases) if self.biases else (None,) * len(weights)
        if len(weights) != len(arch.layers) or len(biases) != len(arch.layers):
            raise ValueError(
                f"expected {len(arch.layers)} weight matrices and bias vectors, "
                f"got {len(weights)} and {len(biases)}"
            )
        sizes = arch.sizes
        dtype = np.asarray(weights[0]).dtype
        if dtype not in (np.float32, np.float64):
            raise ValueError(f"weights must be float32 or float64, got {dtype}")
        for n, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
            expected = (sizes[n], sizes[n - 1])
            if not isinstance(w, np.ndarray) or w.shape != expected:
                got = getattr(w, "shape", type(w).__name__)
                raise ValueError(f"layer {n}: weight must have shape {expected}, got {got}")
            if w.dtype != dtype:
                raise ValueError(f"layer {n}: weight dtype {w.dtype} differs from {dtype}")
            if arch.bias:
                if not isinstance(b, np.ndarray) or b.shape != (sizes[n],) or b.dtype != dtype:
                    got = getattr(b, "shape", None)
                    raise ValueError(f"layer {n}: bias must have shape ({sizes[n]},), got {got}")
            elif b is not None:
                raise ValueError(f"layer {n}: the network has no bias but a bias was given")
        flat = np.empty(arch.parameter_count, dtype)
        for span, w, b in zip(arch.layout, weights, biases, strict=True):
            flat[span.weight_start : span.weight_end] = w.ravel()
            if b is not None:
                flat[span.bias_start : span.bias_end] = b
        _fill_from_flat(self, arch, flat)

    @property
    def dtype(self) -> np.dtype:
        return self.weights[0].dtype

    @property
    def depth(self) -> int:
        return len(self.weights)

    @classmethod
    def from_flat(cls, architecture: Architecture, flat: np.ndarray) -> Network:
        """A Network whose parameters are views of the 1-D vector ``flat`` (see
        ``Architecture.layout``). Used on the training hot path: no copies and no checks
        beyond the length; ``flat`` is made read-only, so the caller must not keep a
        writable alias of it."""
        if flat.shape != (architecture.parameter_count,):
            raise ValueError(
                f"expected {architecture.parameter_count} parameters, got {flat.shape}"
            )
        net = object.__new__(cls)
        _fill_from_flat(net, architecture, flat)
        return net

    def astype(self, dtype) -> Network:
        dtype = np.dtype(dtype)
        return Network(
            self.architecture,
            tuple(w.astype(dtype) for w in self.weights),
            tuple(None if b is None else b.astype(dtype) for b in self.biases),
        )

    def all_finite(self) -> bool:
        return bool(np.isfinite(self.flat).all())

    def equals(self, other: Network) -> bool:
        """Same architecture and bit-identical parameters."""
        return (
            self.architecture == other.architecture
            and self.dtype == other.dtype
            and np.array_equal(self.flat, other.flat)
        )

    def __repr__(self) -> str:
        return f"Network({self.architecture.describe()}, {self.dtype})"


def _fill_from_flat(net: Network, arch: Architecture, flat: np.ndarray) -> None:
    flat.setflags(write=False)
    weights, biases = arch.splitter(flat)
    # the fields of a frozen dataclass, set in one go (four object.__setattr__ calls cost
    # more than the views themselves on a small network)
    net.__dict__.update(architecture=arch, weights=weights, biases=biases, flat=flat)


def init_network(
    architecture: Architecture, init: str = "xavier", seed: int = 0, dtype="float64"
) -> Network:
    """Random weights, reproducible from ``seed`` (same seed, same network).

    * ``xavier`` (Glorot uniform): U(-r, r), r = sqrt(6 / (fan_in + fan_out))
    * ``he`` (Kaiming normal): N(0, 2 / fan_in)
    * ``uniform``: U(-1/sqrt(fan_in), 1/sqrt(fan_in))   (the torch.nn.Linear default range)
    * ``normal``: N(0, 1 / fan_in)
    Biases start at 0.
    """
    if init not in INITS:
        raise ValueError(f"unknown initialisation {init!r} (known: {', '.join(INITS)})")
    np_dtype = np.dtype(DTYPES.get(dtype, dtype) if isinstance(dtype, str) else dtype)
    if np_dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be float32 or float64, got {dtype!r}")
    rng = np.random.default_rng(seed)
    sizes = architecture.sizes
    weights, biases = [], []
    for fan_in, fan_out in itertools.pairwise(sizes):
        shape = (fan_out, fan_in)
        if init == "xavier":
            r = np.sqrt(6.0 / (fan_in + fan_out))
            w = rng.uniform(-r, r, shape)
        elif init == "he":
            w = rng.normal(0.0, np.sqrt(2.0 / fan_in), shape)
        elif init == "uniform":
            r = 1.0 / np.sqrt(fan_in)
            w = rng.uniform(-r, r, shape)
        else:
            w = rng.normal(0.0, np.sqrt(1.0 / fan_in), shape)
        weights.append(w.astype(np_dtype))
        biases.append(np.zeros(fan_out, np_dtype) if architecture.bias else None)
    return Network(architecture, tuple(weights), tuple(biases))
