"""The ``.safetensors`` format, written and read with NumPy alone.

Layout: 8-byte little-endian header length N, N bytes of JSON header (padded with spaces
so the data starts 8-byte aligned), then the tensors back to back, little-endian. Header::

    {"__metadata__": {"format": "backprop-lab.model", "architecture": "<JSON string>"},
     "0.weight": {"dtype": "F64", "shape": [units, inputs], "data_offsets": [start, end]},
     "0.bias": ..., "2.weight": ..., ...}

The keys are those of ``torch.nn.Sequential(Linear, activation, Linear, activation, ...)``:
layer l's Linear is module 2*l (activations have no parameters), so
``Sequential.load_state_dict(..., strict=True)`` accepts the file (no bias keys, and
``Linear(bias=False)``, without bias).

Reading checks the header length against the file and a 1 MB limit, then every tensor's
dtype, shape and data_offsets (in range, no overlap, no gap, size = shape * itemsize)
against the architecture before any tensor data is read.
"""

from __future__ import annotations

import os
import struct

import numpy as np

from ..network import Network
from .architecture_doc import (
    _describe,
    build_network,
    check_binary_size,
    check_savable,
    expected_shapes,
    header_dict,
    parse_architecture_json,
    total_elements,
)
from .atomic import atomic_write
from .common import (
    FORMAT_NAME,
    MAX_FILE_BYTES,
    MAX_HEADER_BYTES,
    ModelFileError,
    display_name,
    dumps_compact,
    human_size,
    loads_json,
    open_checked,
    read_exact,
)

DTYPE_CODES = {"F32": np.dtype("<f4"), "F64": np.dtype("<f8")}
CODE_OF = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64"}
ENTRY_KEYS = {"dtype", "shape", "data_offsets"}


def tensor_names(layers: int) -> list[tuple[str, str]]:
    """State-dict keys of layer l's Linear inside the Sequential: index 2*l."""
    return [(f"{2 * n}.weight", f"{2 * n}.bias") for n in range(layers)]


def save_safetensors(net: Network, path: str | os.PathLike) -> None:
    name = display_name(path)
    check_savable(net, name)
    check_binary_size(net, name)
    code = CODE_OF[net.dtype]
    le = DTYPE_CODES[code]
    header: dict = {
        "__metadata__": {
            "format": FORMAT_NAME,
            "architecture": dumps_compact(header_dict(net.architecture, net.dtype)),
        }
    }
    chunks: list[bytes] = []
    offset = 0
    for (wname, bname), w, b in zip(tensor_names(net.depth), net.weights, net.biases, strict=True):
        for key, a in ((wname, w), (bname, b)):
            if a is None:
                continue
            data = np.ascontiguousarray(a, dtype=le).tobytes()
            header[key] = {
                "dtype": code,
                "shape": list(a.shape),
                "data_offsets": [offset, offset + len(data)],
            }
            chunks.append(data)
            offset += len(data)
    text = dumps_compact(header).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    atomic_write(path, b"".join([struct.pack("<Q", len(text)), text, *chunks]))


def load_safetensors(path: str | os.PathLike) -> Network:
    source = display_name(path)
    f, size = open_checked(path, MAX_FILE_BYTES)
    with f:
        if size < 8:
            raise ModelFileError(source, f"too short for a .safetensors file ({size} bytes)")
        (n,) = struct.unpack("<Q", f.read(8))
        if n > size - 8:
            raise ModelFileError(
                source,
                f"the header claims {n} bytes but the file has only {size - 8} after the "
                "length (truncated or not a .safetensors file)",
            )
        if n > MAX_HEADER_BYTES:
            raise ModelFileError(
                source,
                f"the header is {n:,} bytes, more than the {human_size(MAX_HEADER_BYTES)} limit",
            )
        raw = read_exact(f, n, source, "the header")
        if not raw.lstrip(b" ").startswith(b"{"):
            raise ModelFileError(source, "the header is not a JSON object")
        header = loads_json(raw, source)
        if not isinstance(header, dict):
            raise ModelFileError(source, "the header is not a JSON object")
        data_start = 8 + n
        data_len = size - data_start
        return _load(f, header, source, data_start, data_len)


def _load(f, header: dict, source: str, data_start: int, data_len: int) -> Network:
    meta = header.get("__metadata__")
    if meta is None:
        raise ModelFileError(
            source,
            "no __metadata__ with the architecture: not saved by Backprop Lab "
            "(layer sizes and activations are unknown)",
        )
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise ModelFileError(source, "__metadata__ must map names to strings")
    if meta.get("format") != FORMAT_NAME:
        raise ModelFileError(
            source,
            f'not a Backprop Lab model: __metadata__ "format" is '
            f'{_describe(meta.get("format"))}, not "{FORMAT_NAME}"',
        )
    if "architecture" not in meta:
        raise ModelFileError(source, "__metadata__ has no architecture")
    arch_header = parse_architecture_json(meta["architecture"], source)
    names = tensor_names(len(arch_header.layers))
    bias = arch_header.bias
    if bias is None:
        bias = any(b in header for _, b in names)
    arch = arch_header.architecture(bias, source)

    shapes = expected_shapes(arch)
    expected: dict[str, tuple[int, ...]] = {}
    for (wname, bname), (wshape, bshape) in zip(names, shapes, strict=True):
        expected[wname] = wshape
        if bias:
            expected[bname] = bshape
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    unknown = [k for k in tensors if k not in expected]
    if unknown:
        raise ModelFileError(
            source, f"unexpected tensor {unknown[0]!r} (this architecture has no such tensor)"
        )
    missing = [k for k in expected if k not in tensors]
    if missing:
        raise ModelFileError(source, f"missing tensor {missing[0]!r}")

    # Check every entry, and that the data regions tile [0, data_len) exactly.
    spans = []
    codes = set()
    for key, shape in expected.items():
        entry = tensors[key]
        if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
            raise ModelFileError(
                source, f"tensor {key!r}: expected exactly dtype, shape and data_offsets"
            )
        code = entry["dtype"]
        if code not in DTYPE_CODES:
            raise ModelFileError(
                source, f"tensor {key!r}: dtype {_describe(code)} is not supported (F32, F64)"
            )
        codes.add(code)
        got = entry["shape"]
        if not isinstance(got, list) or not all(type(d) is int for d in got) or tuple(got) != shape:
            raise ModelFileError(
                source,
                f"tensor {key!r}: shape {_describe(got)}, the architecture needs {list(shape)}",
            )
        offsets = entry["data_offsets"]
        if (
            not isinstance(offsets, list)
            or len(offsets) != 2
            or not all(type(o) is int for o in offsets)
        ):
            raise ModelFileError(source, f"tensor {key!r}: data_offsets must be [start, end]")
        start, end = offsets
        nbytes = total_elements(shape) * DTYPE_CODES[code].itemsize
        if not 0 <= start <= end:
            raise ModelFileError(source, f"tensor {key!r}: invalid data_offsets {offsets}")
        if end - start != nbytes:
            raise ModelFileError(
                source,
                f"tensor {key!r}: data_offsets span {end - start} bytes but shape {list(shape)} "
                f"of {code} needs {nbytes}",
            )
        if end > data_len:
            raise ModelFileError(
                source,
                f"tensor {key!r}: data ends at byte {end} but the file holds only {data_len} "
                "bytes of data (truncated?)",
            )
        spans.append((start, end, key))
    if len(codes) > 1:
        raise ModelFileError(source, f"tensors mix dtypes {', '.join(sorted(codes))}")
    spans.sort()
    position = 0
    for start, end, key in spans:
        if start < position:
            raise ModelFileError(source, f"tensor {key!r}: data overlaps the previous tensor")
        if start > position:
            raise ModelFileError(
                source, f"tensor {key!r}: gap of {start - position} bytes before it"
            )
        position = end
    if position != data_len:
        raise ModelFileError(
            source, f"{data_len - position} unexpected bytes after the last tensor"
        )
    (code,) = codes
    le = DTYPE_CODES[code]
    if arch_header.dtype is not None and arch_header.dtype != le.newbyteorder("="):
        raise ModelFileError(
            source, f"the architecture says {arch_header.dtype.name} but the tensors are {code}"
        )

    arrays = {}
    for start, end, key in spans:
        f.seek(data_start + start)
        a = np.empty(expected[key], dtype=le)  # size checked against the file above
        got = f.readinto(memoryview(a).cast("B")) if a.size else 0
        if got != end - start:
            raise ModelFileError(source, f"tensor {key!r}: the file is truncated")
        arrays[key] = a.astype(le.newbyteorder("="), copy=False)
    weights = [arrays[w] for w, _ in names]
    biases = [arrays[b] if bias else None for _, b in names]
    labels = [(f"tensor {w!r}", f"tensor {b!r}") for w, b in names]
    return build_network(arch, weights, biases, source, labels)
