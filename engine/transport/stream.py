"""A small framing codec for sending engine objects through a pipe - no pickle.

The GUI's training thread and the worker process (:mod:`engine.transport.worker_process`) talk in
frames. A frame is::

    b"BPLF"                     4 bytes, magic
    header length   H           uint32, little-endian
    payload length  P           uint64, little-endian
    header                      H bytes of UTF-8 JSON:
                                {"kind": str, "meta": {...}, "arrays": [[name, dtype, shape], ...]}
    payload                     P bytes: the arrays in order, C order, little-endian, each
                                starting at a multiple of 8 bytes (zero padding between)

dtypes are "f8", "f4", "i8" and "u1". The reader checks the magic, the header length, the
declared sizes and that the arrays exactly fill the payload *before* it allocates anything,
so a truncated or hostile frame raises :class:`FrameError` with a clear message instead of
exhausting memory. Decoded arrays are read-only views of one freshly read buffer.

On top of the framing, ``*_to_frame`` / ``*_from_frame`` pairs turn the engine's values
(architecture, network, training config, trainer state, snapshot, data) into
``(meta, arrays)`` and back; the other end gets equal values (networks bit-identical).
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from ..network import Architecture, LayerSpec, Network
from ..optimizers import Optimizer, OptimizerState
from ..trainer import TrainerState, TrainingConfig
from .snapshot import GridSpec, Snapshot

MAGIC = b"BPLF"
_PREFIX = struct.Struct("<4sIQ")
MAX_HEADER = 1 << 20  # 1 MiB of JSON is far more than any frame needs
MAX_PAYLOAD = 1 << 32  # 4 GiB; readers may pass a smaller limit
MAX_NDIM = 8
CHUNK = 1 << 26  # 64 MiB: how far a read may allocate ahead of the bytes received
DTYPES = {"f8": np.dtype("<f8"), "f4": np.dtype("<f4"), "i8": np.dtype("<i8"), "u1": np.dtype("u1")}


class FrameError(ValueError):
    """A frame that is truncated, malformed or larger than allowed."""


@dataclass(frozen=True)
class Frame:
    """One decoded frame: its kind, JSON metadata and named read-only arrays."""

    kind: str
    meta: dict
    arrays: dict[str, np.ndarray]


def _align(n: int) -> int:
    return (n + 7) & ~7


# ---------------------------------------------------------------- framing


def encode_frame(
    kind: str, meta: Mapping | None = None, arrays: Mapping[str, np.ndarray] | None = None
) -> list:
    """The frame as a list of byte chunks (header, then array buffers without copies) for
    ``writelines``; ``b"".join(...)`` gives the whole frame."""
    specs, chunks, size = [], [], 0
    for name, a in (arrays or {}).items():
        a = np.asarray(a)
        code = a.dtype.str[1:]  # "<f8" -> "f8"; big-endian input is swapped below
        if code not in DTYPES:
            raise FrameError(f"array {name!r}: dtype {a.dtype} cannot be framed")
        a = np.asarray(a, dtype=DTYPES[code], order="C")  # keeps 0-d shapes
        specs.append([str(name), code, list(a.shape)])
        pad = _align(size) - size
        if pad:
            chunks.append(b"\0" * pad)
        chunks.append(memoryview(a.reshape(-1).view(np.uint8)))
        size = _align(size) + a.nbytes
    header = json.dumps(
        {"kind": kind, "meta": dict(meta or {}), "arrays": specs}, separators=(",", ":")
    ).encode()
    if len(header) > MAX_HEADER:
        raise FrameError(f"frame header of {len(header)} bytes exceeds {MAX_HEADER}")
    return [_PREFIX.pack(MAGIC, len(header), size), header, *chunks]


def write_frame(
    f: BinaryIO,
    kind: str,
    meta: Mapping | None = None,
    arrays: Mapping[str, np.ndarray] | None = None,
) -> None:
    """Write one frame to the binary stream ``f`` and flush it."""
    f.writelines(encode_frame(kind, meta, arrays))
    f.flush()


def _read_exact(f: BinaryIO, n: int, what: str) -> bytearray:
    """Exactly ``n`` bytes. The buffer grows by at most CHUNK beyond what has arrived, so
    a frame that declares a large size but ends early never costs that much memory."""
    buf = bytearray(min(n, CHUNK))
    got = 0
    while got < n:
        if got == len(buf):
            buf.extend(bytes(min(n - got, len(buf), CHUNK)))  # at most doubles
        with memoryview(buf) as view:
            k = f.readinto(view[got:])
        if not k:
            raise FrameError(f"truncated frame: {what} ends after {got} of {n} bytes")
        got += k
    return buf


def _array_specs(specs: object, payload: int) -> list[tuple[str, np.dtype, tuple, int]]:
    """Validate the header's array list against the payload length; (name, dtype, shape,
    offset) per array."""
    if not isinstance(specs, list):
        raise FrameError("frame header: 'arrays' must be a list")
    out, names, pos = [], set(), 0
    for spec in specs:
        if not (isinstance(spec, list) and len(spec) == 3 and isinstance(spec[0], str)):
            raise FrameError(f"frame header: bad array entry {str(spec)[:80]!r}")
        name, code, shape = spec
        if name in names:
            raise FrameError(f"frame header: array {name!r} appears twice")
        names.add(name)
        if code not in DTYPES:
            raise FrameError(f"array {name!r}: unknown dtype {str(code)[:20]!r}")
        if not isinstance(shape, list) or len(shape) > MAX_NDIM:
            raise FrameError(f"array {name!r}: shape must be a list of at most {MAX_NDIM} sizes")
        if not all(type(d) is int and d >= 0 for d in shape):
            raise FrameError(f"array {name!r}: shape sizes must be whole numbers >= 0")
        nbytes = math.prod(shape) * DTYPES[code].itemsize
        pos = _align(pos)
        if pos + nbytes > payload:
            raise FrameError(
                f"array {name!r} of shape {tuple(shape)} needs {nbytes} bytes but the frame's "
                f"payload has {max(payload - pos, 0)} left"
            )
        out.append((name, DTYPES[code], tuple(shape), pos))
        pos += nbytes
    if pos != payload:
        raise FrameError(f"frame payload is {payload} bytes but its arrays fill {pos}")
    return out


def read_frame(f: BinaryIO, max_payload: int = MAX_PAYLOAD) -> Frame | None:
    """Read the next frame from the binary stream ``f``; None at a clean end of stream.

    Raises FrameError for anything malformed, truncated or larger than ``max_payload``."""
    prefix = f.read(_PREFIX.size)
    if not prefix:
        return None
    if len(prefix) < _PREFIX.size:
        raise FrameError(f"truncated frame: {len(prefix)} of {_PREFIX.size} prefix bytes")
    magic, hlen, plen = _PREFIX.unpack(prefix)
    if magic != MAGIC:
        raise FrameError(f"not a frame: magic {magic!r}, expected {MAGIC!r}")
    if hlen > MAX_HEADER:
        raise FrameError(f"frame header of {hlen} bytes exceeds the limit of {MAX_HEADER}")
    if plen > max_payload:
        raise FrameError(f"frame payload of {plen} bytes exceeds the limit of {max_payload}")
    try:
        header = json.loads(bytes(_read_exact(f, hlen, "header")))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FrameError(f"frame header is not valid JSON: {e}") from None
    if not isinstance(header, dict) or not isinstance(header.get("kind"), str):
        raise FrameError("frame header must be an object with a 'kind' string")
    meta = header.get("meta", {})
    if not isinstance(meta, dict):
        raise FrameError("frame header: 'meta' must be an object")
    specs = _array_specs(header.get("arrays", []), plen)
    payload = _read_exact(f, plen, "payload") if plen else bytearray()
    arrays = {}
    for name, dtype, shape, offset in specs:
        a = np.frombuffer(payload, dtype, math.prod(shape), offset).reshape(shape)
        a.flags.writeable = False
        arrays[name] = a
    return Frame(header["kind"], meta, arrays)


# ---------------------------------------------------------------- engine values


def _sub(arrays: Mapping[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    n = len(prefix)
    return {k[n:]: v for k, v in arrays.items() if k.startswith(prefix)}


def _need(arrays: Mapping[str, np.ndarray], name: str) -> np.ndarray:
    try:
        return arrays[name]
    except KeyError:
        raise FrameError(f"frame lacks the array {name!r}") from None


def architecture_from_dict(d: Mapping) -> Architecture:
    """Inverse of ``Architecture.to_dict`` (validated by Architecture itself)."""
    try:
        layers = tuple(LayerSpec(int(ly["units"]), str(ly["activation"])) for ly in d["layers"])
        return Architecture(int(d["input_size"]), layers, bool(d["bias"]))
    except (KeyError, TypeError) as e:
        raise FrameError(f"bad architecture in frame: {e!r}") from None


def network_to_frame(net: Network, prefix: str = "") -> tuple[dict, dict]:
    """(meta, arrays) of a network: its architecture and flat parameter vector."""
    return {"architecture": net.architecture.to_dict()}, {prefix + "flat": net.flat}


def network_from_frame(meta: Mapping, arrays: Mapping, prefix: str = "") -> Network:
    flat = _need(arrays, prefix + "flat")
    if flat.ndim != 1 or flat.dtype.kind != "f":
        raise FrameError(f"network parameters must be a flat float vector, got {flat.shape}")
    try:
        return Network.from_flat(architecture_from_dict(meta["architecture"]), flat)
    except (KeyError, ValueError) as e:
        raise FrameError(f"bad network in frame: {e}") from None


_OPTIMIZER_FIELDS = ("name", "lr", "momentum", "beta1", "beta2", "eps")


def config_to_dict(c: TrainingConfig) -> dict:
    """A TrainingConfig as plain JSON values."""
    o = c.optimizer
    return {
        "loss": c.loss,
        "optimizer": {name: getattr(o, name) for name in _OPTIMIZER_FIELDS},
        "batch_size": c.batch_size,
        "l2": c.l2,
        "l1": c.l1,
        "seed": c.seed,
    }


def config_from_dict(d: Mapping) -> TrainingConfig:
    try:
        return TrainingConfig(
            loss=str(d["loss"]),
            optimizer=Optimizer(**d["optimizer"]),
            batch_size=d["batch_size"],
            l2=float(d["l2"]),
            l1=float(d["l1"]),
            seed=int(d["seed"]),
        )
    except (KeyError, TypeError) as e:
        raise FrameError(f"bad training config in frame: {e!r}") from None


def state_to_frame(s: TrainerState, prefix: str = "state.") -> tuple[dict, dict]:
    """(meta, arrays) of a TrainerState: everything a Trainer needs to continue exactly."""
    meta, arrays = network_to_frame(s.network, prefix)
    meta.update(
        step=s.step, epoch=s.epoch, cursor=s.cursor, rng_state=s.rng_state,
        optimizer_t=s.optimizer_state.t, has_order=s.order is not None,
    )  # fmt: skip
    arrays.update({f"{prefix}opt.{k}": v for k, v in s.optimizer_state.buffers.items()})
    if s.order is not None:
        arrays[prefix + "order"] = np.asarray(s.order, dtype=np.int64)
    return meta, arrays


def state_from_frame(meta: Mapping, arrays: Mapping, prefix: str = "state.") -> TrainerState:
    try:
        order = _need(arrays, prefix + "order") if meta["has_order"] else None
        return TrainerState(
            network=network_from_frame(meta, arrays, prefix),
            optimizer_state=OptimizerState(int(meta["optimizer_t"]), _sub(arrays, prefix + "opt.")),
            step=int(meta["step"]),
            epoch=int(meta["epoch"]),
            cursor=int(meta["cursor"]),
            order=order,
            rng_state=dict(meta["rng_state"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        if isinstance(e, FrameError):
            raise
        raise FrameError(f"bad trainer state in frame: {e!r}") from None


def data_to_frame(
    x: np.ndarray, t: np.ndarray, x_val: np.ndarray | None, t_val: np.ndarray | None
) -> dict:
    """Arrays of a training problem's data ("data.x", "data.t", optional validation)."""
    arrays = {"data.x": x, "data.t": t}
    if x_val is not None:
        arrays.update({"data.x_val": x_val, "data.t_val": t_val})
    return arrays


def data_from_frame(arrays: Mapping) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, ...]:
    """(x, t, x_val, t_val) from ``data_to_frame`` arrays (validation may be None)."""
    return (
        _need(arrays, "data.x"),
        _need(arrays, "data.t"),
        arrays.get("data.x_val"),
        arrays.get("data.t_val"),
    )


_SNAP_SCALARS = ("step", "epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy",
                 "sample_index", "final", "diverged", "rate", "sample_rows")  # fmt: skip


def snapshot_to_frame(s: Snapshot) -> tuple[dict, dict]:
    """(meta, arrays) of a Snapshot."""
    meta, arrays = network_to_frame(s.network, "net.")
    meta.update({k: getattr(s, k) for k in _SNAP_SCALARS})
    meta["grid_spec"] = None if s.grid_spec is None else vars(s.grid_spec).copy()
    meta["activations"] = len(s.activations)
    arrays.update(steps=s.steps, losses=s.losses, grad_norms=s.grad_norms)
    for name in ("gradients", "update", "grid", "curve"):
        if getattr(s, name) is not None:
            arrays[name] = getattr(s, name)
    arrays.update({f"act{i}": a for i, a in enumerate(s.activations)})
    return meta, arrays


def snapshot_from_frame(meta: Mapping, arrays: Mapping) -> Snapshot:
    try:
        grid_spec = meta["grid_spec"]
        return Snapshot(
            network=network_from_frame(meta, arrays, "net."),
            steps=_need(arrays, "steps"),
            losses=_need(arrays, "losses"),
            grad_norms=_need(arrays, "grad_norms"),
            gradients=arrays.get("gradients"),
            update=arrays.get("update"),
            grid=arrays.get("grid"),
            curve=arrays.get("curve"),
            grid_spec=None if grid_spec is None else GridSpec(**grid_spec),
            activations=tuple(_need(arrays, f"act{i}") for i in range(meta["activations"])),
            **{k: meta[k] for k in _SNAP_SCALARS},
        )
    except (KeyError, TypeError) as e:
        raise FrameError(f"bad snapshot in frame: {e!r}") from None


__all__ = [
    "MAX_PAYLOAD",
    "Frame",
    "FrameError",
    "architecture_from_dict",
    "config_from_dict",
    "config_to_dict",
    "data_from_frame",
    "data_to_frame",
    "encode_frame",
    "network_from_frame",
    "network_to_frame",
    "read_frame",
    "snapshot_from_frame",
    "snapshot_to_frame",
    "state_from_frame",
    "state_to_frame",
    "write_frame",
]
