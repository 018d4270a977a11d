"""The architecture document every weight format stores (``format``, ``version``,
``input_size``, ``bias``, ``dtype``, ``layers``), read and written, and the arrays it
declares: their shapes and sizes, the network built from them, and what may be saved.

Split from :mod:`.common` (files, JSON and the error type), which every reader shares.
"""

from __future__ import annotations

import json
import math

import numpy as np

from ..errors import kind_of
from ..limits import check_weights
from ..network import DTYPES, MAX_LAYERS, Architecture, LayerSpec, Network
from . import common  # MAX_FILE_BYTES read at call time (tests lower it)
from .common import (
    ARCH_LAYER_KEYS,
    ARRAY_LAYER_KEYS,
    FORMAT_NAME,
    FORMAT_VERSION,
    TOP_KEYS,
    ModelFileError,
    human_size,
    loads_json,
)

# ---------------------------------------------------------------- the architecture document


def _is_int(v: object) -> bool:
    return type(v) is int


def _describe(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, str):
        return repr(v[:40])
    if isinstance(v, list | tuple):
        try:
            text = json.dumps(v) if len(v) <= 8 else ""
        except TypeError:  # holds a list not read yet (json_lists.NumberList)
            text = ""
        return text if 0 < len(text) <= 40 else f"a list of {len(v)}"
    if isinstance(v, dict):
        return "an object"
    return repr(v)[:40]


class Header:
    """What a model document says before any weights: architecture fields, and the
    (possibly absent, then inferred by the format) ``bias`` and ``dtype``."""

    def __init__(self, input_size, bias, dtype, layers) -> None:
        self.input_size = input_size
        self.bias: bool | None = bias
        self.dtype: np.dtype | None = dtype
        self.layers: list[dict] = layers

    def architecture(self, bias: bool, source: str) -> Architecture:
        try:
            return Architecture(
                self.input_size,
                tuple(LayerSpec(ly["units"], ly["activation"]) for ly in self.layers),
                bias,
            )
        except (ValueError, TypeError) as e:
            raise ModelFileError(
                source, f"invalid architecture: {e}", kind="file.invalid_architecture",
                detail=str(e), inner_kind=kind_of(e)[0], inner_params=kind_of(e)[1],
            ) from None  # fmt: skip


def parse_header(doc: object, source: str, *, with_arrays: bool) -> Header:
    """Check the document's structure (format, version, keys, types) and return its header.

    ``with_arrays``: layers carry ``weight``/``bias`` (the .json format) or must not (the
    architecture document inside .npz and .safetensors)."""
    if not isinstance(doc, dict):
        raise ModelFileError(source, f"expected a JSON object, got {_describe(doc)}")
    fmt = doc.get("format")
    if fmt != FORMAT_NAME:
        if fmt is None:
            raise ModelFileError(source, f'not a Backprop Lab model (no "format": "{FORMAT_NAME}")')
        raise ModelFileError(
            source, f'not a Backprop Lab model: "format" is {_describe(fmt)}, not "{FORMAT_NAME}"'
        )
    unknown = [k for k in doc if k not in TOP_KEYS]
    if unknown:
        raise ModelFileError(source, f"unknown key {unknown[0]!r} (known: {', '.join(TOP_KEYS)})")
    version = doc.get("version")
    if version is None:
        raise ModelFileError(source, 'missing "version"')
    if not _is_int(version):
        raise ModelFileError(source, f'"version" must be a whole number, got {_describe(version)}')
    if version != FORMAT_VERSION:
        raise ModelFileError(
            source,
            f"version {version} is not supported (this Backprop Lab reads version "
            f"{FORMAT_VERSION}; a newer app may have written it)",
        )
    if "input_size" not in doc:
        raise ModelFileError(source, 'missing "input_size"')
    input_size = doc["input_size"]
    if not _is_int(input_size):
        raise ModelFileError(
            source, f'"input_size" must be a whole number, got {_describe(input_size)}'
        )
    bias = doc.get("bias")
    if bias is not None and not isinstance(bias, bool):
        raise ModelFileError(source, f'"bias" must be true or false, got {_describe(bias)}')
    dtype = None
    if doc.get("dtype") is not None:
        name = doc["dtype"]
        if not isinstance(name, str) or name not in DTYPES:
            raise ModelFileError(
                source, f'"dtype" must be "float32" or "float64", got {_describe(name)}'
            )
        dtype = np.dtype(DTYPES[name])
    layers = doc.get("layers")
    if layers is None:
        raise ModelFileError(source, 'missing "layers"')
    if not isinstance(layers, list):
        raise ModelFileError(source, f'"layers" must be a list, got {_describe(layers)}')
    if not layers:
        raise ModelFileError(source, "the network has no layers (it needs an output layer)")
    if len(layers) > MAX_LAYERS:
        raise ModelFileError(source, f"{len(layers)} layers, at most {MAX_LAYERS} are supported")
    allowed = ARRAY_LAYER_KEYS if with_arrays else ARCH_LAYER_KEYS
    for n, layer in enumerate(layers, start=1):
        if not isinstance(layer, dict):
            raise ModelFileError(source, f"layer {n}: expected an object, got {_describe(layer)}")
        extra = [k for k in layer if k not in allowed]
        if extra:
            raise ModelFileError(
                source, f"layer {n}: unknown key {extra[0]!r} (known: {', '.join(allowed)})"
            )
        for key in ("units", "activation") + (("weight",) if with_arrays else ()):
            if key not in layer:
                raise ModelFileError(source, f'layer {n}: missing "{key}"')
        if not _is_int(layer["units"]):
            raise ModelFileError(
                source,
                f'layer {n}: "units" must be a whole number, got {_describe(layer["units"])}',
            )
        if not isinstance(layer["activation"], str):
            raise ModelFileError(
                source,
                f'layer {n}: "activation" must be a name, got {_describe(layer["activation"])}',
            )
    return Header(input_size, bias, dtype, layers)


def header_dict(architecture: Architecture, dtype: np.dtype) -> dict:
    """The architecture document without weights (stored inside .npz and .safetensors)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "input_size": architecture.input_size,
        "bias": architecture.bias,
        "dtype": np.dtype(dtype).name,
        "layers": [{"units": ly.units, "activation": ly.activation} for ly in architecture.layers],
    }


def parse_architecture_json(text: bytes | str, source: str) -> Header:
    """The architecture document stored inside .npz/.safetensors; messages say "architecture"."""
    try:
        return parse_header(loads_json(text, source), source, with_arrays=False)
    except ModelFileError as e:
        raise ModelFileError(
            source, f"architecture: {e.problem}", kind="file.architecture_document",
            detail=e.problem, inner_kind=e.kind, inner_params=e.params,
        ) from None  # fmt: skip


# ---------------------------------------------------------------- arrays


def expected_shapes(arch: Architecture) -> list[tuple[tuple[int, int], tuple[int]]]:
    s = arch.sizes
    return [((s[n], s[n - 1]), (s[n],)) for n in range(1, len(s))]


def array_bytes(arch: Architecture, dtype: np.dtype) -> int:
    return arch.parameter_count * np.dtype(dtype).itemsize


def check_float_dtype(dtype: np.dtype, source: str, what: str) -> np.dtype:
    """float32/float64 in either byte order -> the native dtype; anything else -> error."""
    dtype = np.dtype(dtype)
    if dtype.hasobject:
        raise ModelFileError(
            source, f"{what}: object arrays are not allowed (only float32/float64)"
        )
    if dtype.fields is not None or dtype.subdtype is not None:
        raise ModelFileError(source, f"{what}: structured arrays are not allowed")
    if dtype.kind != "f" or dtype.itemsize not in (4, 8):
        raise ModelFileError(source, f"{what}: dtype {dtype} is not supported (float32/float64)")
    return dtype.newbyteorder("=")


def build_network(
    arch: Architecture,
    weights: list[np.ndarray],
    biases: list[np.ndarray | None],
    source: str,
    names: list[tuple[str, str]] | None = None,
) -> Network:
    """Check shapes, one dtype, finiteness and size (at most
    :data:`engine.limits.MAX_WEIGHT`), then build the Network."""
    shapes = expected_shapes(arch)
    dtype = weights[0].dtype
    for n, (w, b, (ws, bs)) in enumerate(zip(weights, biases, shapes, strict=True), start=1):
        wname, bname = names[n - 1] if names else (f"layer {n} weight", f"layer {n} bias")
        for a, shape, what in ((w, ws, wname), (b, bs, bname)):
            if a is None:
                continue
            if a.shape != shape:
                raise ModelFileError(source, f"{what}: shape {a.shape}, expected {shape}")
            if a.dtype != dtype:
                raise ModelFileError(
                    source, f"{what}: dtype {a.dtype} differs from the other arrays' {dtype}"
                )
            if not np.isfinite(a).all():
                raise ModelFileError(source, f"{what}: contains NaN or infinite values")
            try:
                check_weights(a, what)
            except ValueError as e:
                raise ModelFileError(source, str(e), inner=e) from None
    try:
        return Network(arch, tuple(weights), tuple(biases))
    except (ValueError, TypeError) as e:
        raise ModelFileError(source, str(e), inner=e) from None


def check_savable(net: Network, source: str) -> None:
    if not isinstance(net, Network):
        raise TypeError(f"expected a Network, got {type(net).__name__}")
    if not net.all_finite():
        raise ModelFileError(
            source, "the network has NaN or infinite weights (it diverged); not saved",
            kind="file.diverged_not_saved",
        )  # fmt: skip
    try:
        check_weights(net.flat, "the network")
    except ValueError as e:  # what is written must load
        raise ModelFileError(source, f"{e} (it diverged); not saved") from None


def check_binary_size(net: Network, source: str) -> None:
    """Refuse a network whose arrays alone exceed the binary weight-file limit."""
    size = array_bytes(net.architecture, net.dtype)
    if size > common.MAX_FILE_BYTES:
        raise ModelFileError(
            source,
            f"the network's weights take {human_size(size)}, more than the "
            f"{human_size(common.MAX_FILE_BYTES)} limit of a weight file",
        )


def total_elements(shape: tuple[int, ...]) -> int:
    return math.prod(shape)
