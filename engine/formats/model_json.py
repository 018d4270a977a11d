"""The ``.json`` model document: human-readable, bit-exact.

::

    {"format": "backprop-lab.model", "version": 1, "input_size": 2, "bias": true,
     "dtype": "float64",
     "layers": [{"units": 2, "activation": "sigmoid", "weight": [[...], [...]], "bias": [...]},
                ...]}

``weight`` has shape (units, inputs of that layer) - the torch.nn.Linear layout - and
``bias`` is null without bias. Every float is written as Python's repr of the float64
value, which reads back bit-for-bit; float32 weights are widened to float64 (exactly) and
``"dtype": "float32"`` narrows them back to the identical float32 values.
NaN and Infinity are never written nor accepted. On read ``bias`` and ``dtype`` are
optional (bias: whether the layers carry non-null biases; dtype: float64).
"""

from __future__ import annotations

import json
import os

import numpy as np

from ..network import MAX_LAYERS, Network
from .architecture_doc import _describe, build_network, check_savable, header_dict, parse_header
from .atomic import atomic_write
from .common import MAX_JSON_BYTES, ModelFileError, display_name, human_size, json_text, read_capped
from .json_lists import NumberList, scan


def model_to_dict(net: Network, source: str = "<model>") -> dict:
    """The JSON document of ``net`` (plain lists and Python floats).

    Raises ModelFileError for a network with NaN or infinite weights."""
    check_savable(net, source)
    doc = header_dict(net.architecture, net.dtype)
    for layer, w, b in zip(doc["layers"], net.weights, net.biases, strict=True):
        layer["weight"] = w.astype(np.float64).tolist()
        layer["bias"] = None if b is None else b.astype(np.float64).tolist()
    return doc


def dumps_model(net: Network, source: str = "<model>") -> str:
    """The .json file text: the header keys one per line, one weight row per line."""
    doc = model_to_dict(net, source)

    def dump(v: object) -> str:
        return json.dumps(v, allow_nan=False)

    out = ["{"]
    out += [f"  {dump(k)}: {dump(doc[k])}," for k in doc if k != "layers"]
    out.append('  "layers": [')
    for n, layer in enumerate(doc["layers"]):
        out.append(f'    {{"units": {layer["units"]}, "activation": {dump(layer["activation"])},')
        out.append('     "weight": [')
        rows = layer["weight"]
        out += [
            f"      {dump(row)}{',' if i < len(rows) - 1 else ''}" for i, row in enumerate(rows)
        ]
        out.append("     ],")
        out.append(
            f'     "bias": {dump(layer["bias"])}}}{"," if n < len(doc["layers"]) - 1 else ""}'
        )
    out.append("  ]")
    out.append("}")
    return "\n".join(out) + "\n"


#: A list longer than expected is still read (for a malformed number's message, which
#: comes first) up to this many characters; beyond, it is refused by its comma count.
READ_LONGER_CHARS = 64 * 1024


def _unread(value: object, length: int, too_many, source: str) -> object:
    """``value``, with a list not read yet (:class:`.json_lists.NumberList`) read when it
    holds at most ``length`` items; a longer one is refused with the message
    ``too_many(count)`` - unread when it is longer than READ_LONGER_CHARS."""
    if not isinstance(value, NumberList):
        return value
    n = value.count()
    if n <= length:
        return value.parse(source)
    if len(value) <= READ_LONGER_CHARS:
        n = len(value.parse(source))
    raise ModelFileError(source, too_many(n))


def _matrix(value: object, rows: int, cols: int, source: str, what: str) -> np.ndarray:
    """A list of ``rows`` lists of ``cols`` numbers -> float64 array, strictly typed."""

    def too_many(n: int) -> str:
        return f"{what} has {n} rows, expected {rows} (one per unit)"

    value = _unread(value, rows, too_many, source)
    if not isinstance(value, list | tuple):
        raise ModelFileError(source, f"{what} must be a list of rows, got {_describe(value)}")
    if len(value) != rows:
        raise ModelFileError(source, too_many(len(value)))
    out = np.empty((rows, cols))
    for i, row in enumerate(value):
        out[i] = _vector(row, cols, source, f"{what} row {i + 1}")
    return out


def _vector(value: object, length: int, source: str, what: str) -> np.ndarray:
    def too_many(n: int) -> str:
        return f"{what} has {n} numbers, expected {length}"

    value = _unread(value, length, too_many, source)
    _check_numbers(value, length, source, what)
    return _to_float64(value, source, what)


def _check_numbers(row: object, length: int, source: str, what: str) -> None:
    if not isinstance(row, list | tuple):
        raise ModelFileError(source, f"{what} must be a list of numbers, got {_describe(row)}")
    if len(row) != length:
        raise ModelFileError(source, f"{what} has {len(row)} numbers, expected {length}")
    types = set(map(type, row))
    if not types <= {float, int}:
        bad = next(v for v in row if type(v) not in (float, int))
        raise ModelFileError(source, f"{what}: {_describe(bad)} is not a number")


def _to_float64(value: object, source: str, what: str) -> np.ndarray:
    try:
        return np.array(value, dtype=np.float64)
    except (OverflowError, ValueError):
        raise ModelFileError(source, f"{what}: a number is too large") from None


def _narrow(a: np.ndarray, dtype: np.dtype, source: str, what: str) -> np.ndarray:
    if dtype == np.float64:
        return a
    with np.errstate(over="ignore"):
        b = a.astype(dtype)
    if not np.isfinite(b).all():
        raise ModelFileError(source, f"{what}: a number is too large for {dtype}")
    return b


def _read_layers(doc: object, source: str) -> object:
    """``doc`` with its "layers" list read when it is a list not read yet (a flat list of
    numbers where the layer objects belong: refused by its length if too long)."""
    if isinstance(doc, dict) and isinstance(doc.get("layers"), NumberList):

        def too_many(n: int) -> str:
            return f"{n} layers, at most {MAX_LAYERS} are supported"

        doc = dict(doc, layers=_unread(doc["layers"], MAX_LAYERS, too_many, source))
    return doc


def model_from_dict(d: object, source: str = "<model>") -> Network:
    """The Network described by a JSON document (see the module docstring).

    Everything is checked (format, version, keys, types, shapes, finiteness, architecture);
    any problem raises ModelFileError ``"<source>: <what is wrong>"``. The weight rows and
    biases may be lists not read yet (:func:`.json_lists.scan`): each is read only when
    the architecture expects as many numbers as it holds."""
    header = parse_header(_read_layers(d, source), source, with_arrays=True)
    layers = header.layers
    has_bias = [ly.get("bias") is not None for ly in layers]
    bias = header.bias
    if bias is None:
        if any(has_bias) and not all(has_bias):
            n = has_bias.index(False) + 1
            raise ModelFileError(source, f"layer {n} has no bias but other layers have one")
        bias = all(has_bias)
    for n, present in enumerate(has_bias, start=1):
        if bias and not present:
            raise ModelFileError(source, f'layer {n}: "bias" is missing but "bias" is true')
        if not bias and present:
            raise ModelFileError(source, f'layer {n}: has a "bias" but "bias" is false')
    arch = header.architecture(bias, source)
    dtype = header.dtype if header.dtype is not None else np.dtype(np.float64)
    sizes = arch.sizes
    weights, biases = [], []
    for n, layer in enumerate(layers, start=1):
        what = f"layer {n} weight"
        w = _matrix(layer["weight"], sizes[n], sizes[n - 1], source, what)
        weights.append(_narrow(w, dtype, source, what))
        if bias:
            b = _vector(layer["bias"], sizes[n], source, f"layer {n} bias")
            biases.append(_narrow(b, dtype, source, f"layer {n} bias"))
        else:
            biases.append(None)
    return build_network(arch, weights, biases, source)


#: Fewest bytes one number takes in the file ("0.0, "): a cheap early size check.
MIN_BYTES_PER_NUMBER = 5


def _too_large(name: str, size: int, qualifier: str = "") -> ModelFileError:
    return ModelFileError(
        name,
        f"the network is too large for .json ({qualifier}{human_size(size)}, limit "
        f"{human_size(MAX_JSON_BYTES)}); save it as .npz or .safetensors",
    )


def save_json(net: Network, path: str | os.PathLike) -> None:
    name = display_name(path)
    check_savable(net, name)
    at_least = net.architecture.parameter_count * MIN_BYTES_PER_NUMBER
    if at_least > MAX_JSON_BYTES:
        raise _too_large(name, at_least, "at least ")
    text = dumps_model(net, name)
    data = text.encode("ascii")
    if len(data) > MAX_JSON_BYTES:
        raise _too_large(name, len(data))
    atomic_write(path, data)


def load_json(path: str | os.PathLike) -> Network:
    """The network in the .json file ``path``. The document's structure and architecture
    are checked before any weight is parsed, and a list longer than the architecture says
    is refused unread (:mod:`.json_lists`): refusing a 100 MB file takes a scan of its
    text, not a float per number. Any problem raises ModelFileError."""
    name = display_name(path)
    return model_from_dict(scan(json_text(read_capped(path, MAX_JSON_BYTES), name), name), name)
