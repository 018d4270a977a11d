"""Session files (``.bplab``): everything needed to reopen a training run and continue it
with exactly the numbers it would have produced had it never been closed.

The file is a zip archive (readable with :mod:`zipfile`; the arrays with ``np.load``):

``session.json`` (deflated)
    ``{"format": "backprop-lab.session", "version": 1, "app_version": ..., "model": <the
    architecture document of the .npz/.safetensors weight files>, "training": {loss,
    optimizer {name, lr, momentum, beta1, beta2, eps}, batch_size, l2, l1, train_seed,
    init, init_seed, dtype}, "state": {step, epoch, cursor, optimizer_t, order (bool),
    rng_state (NumPy's PCG64 state)}, "data": <recipe>, "history": [names], "settings": {}}``
``network.npy``
    the flat parameter vector, (P,) float64/float32, laid out as ``Architecture.layout``
    (layer by layer: ``weight.ravel()`` of shape (units, inputs), then ``bias``)
``optimizer.velocity.npy`` (momentum), ``optimizer.m.npy`` + ``optimizer.v.npy`` (adam)
    the optimiser buffers, (P,) in the same layout and dtype
``order.npy``
    this epoch's sample order, (N,) int64, a permutation of range(N) (absent before the
    first mini-batch epoch and for full-batch training)
``data.{x,t,x_val,t_val}.npy``, ``data.{labels,labels_val}.npy``, ``data.{mean,std}.npy``
    only for CSV data: the rows as loaded (float64; labels int64 for classification;
    mean/std when standardised), so reopening does not need the CSV file. Built-in data is
    regenerated from its recipe (same arguments -> bit-identical arrays).
``history.<name>.npy``
    the GUI's loss curves, float64 or int64, 1-D or 2-D (NaN allowed)

Arrays are stored uncompressed and written with ``allow_pickle=False``. Writes are atomic.
Reading checks the zip directory (member count, whitelisted names, sizes, compression
ratio) and every ``.npy`` header against the document before reading the array's bytes,
then the contents: finite weights and optimiser buffers, data that fit the network,
order a permutation, cursor in range, a PCG64 state NumPy accepts. Any problem raises a
one-line :class:`ModelFileError`; nothing is unpickled. :func:`save_session` applies the
same checks, so what it writes always loads; it refuses a diverged (non-finite) network.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..data import Dataset, make_dataset
from ..network import Network
from ..optimizers import Optimizer, OptimizerState
from ..trainer import Trainer, TrainerState, TrainingConfig, check_targets
from .atomic import atomic_write
from .common import (
    ModelFileError,
    check_savable,
    display_name,
    dumps_compact,
    human_size,
    loads_json,
    open_checked,
    total_elements,
)
from .npz import MAX_RATIO, _read_npy_header, _zip_entry_count
from .session_schema import (
    BUFFERS,
    CSV_KEYS,
    MAX_HISTORY_ARRAYS,
    ArraySpec,
    Document,
    build_document,
    member_specs,
    parse_document,
)

SUFFIX = ".bplab"
MB = 1024 * 1024
#: No session file larger than this is read or written (50 M float64 parameters with adam
#: take 1.2 GB).
MAX_SESSION_BYTES = 2048 * MB
MAX_DOCUMENT_BYTES = 16 * MB
MAX_HISTORY_BYTES = 64 * MB
#: Deflated members may expand the archive by at most this much beyond its file size
#: (arrays are written uncompressed; only session.json is deflated).
MAX_EXPANSION = 64 * MB
DOCUMENT = "session.json"
MAX_MEMBERS = 1 + 1 + 2 + 1 + 8 + MAX_HISTORY_ARRAYS
_MEMBER = re.compile(
    r"network\.npy|optimizer\.(velocity|m|v)\.npy|order\.npy"
    r"|data\.(x|t|x_val|t_val|labels|labels_val|mean|std)\.npy|history\.[A-Za-z0-9_-]{1,64}\.npy"
)
_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same session always gives the same bytes


@dataclass(frozen=True, eq=False)
class Session:
    """A training run as saved: see the module docstring for what each part becomes.

    ``optimizer`` is {"name", "lr", "momentum", "beta1", "beta2", "eps"}; ``data`` the
    recipe ({"kind": "builtin", "name", "n", "noise", "seed", "val_split", "standardize"}
    or {"kind": "csv", "path", "targets", "val_split", "seed", "standardize", "name",
    "task", "n_classes", "feature_names", "target_names"} - :func:`data_for_session`
    makes both); ``data_arrays`` the CSV rows ("x", "t", "x_val", "t_val", "labels",
    "labels_val", "mean", "std"), empty for built-in data; ``history`` named float64/int64
    1-D/2-D arrays; ``settings`` a small plain-JSON dict."""

    trainer_state: TrainerState
    loss: str
    optimizer: dict
    batch_size: int | None
    l2: float
    l1: float
    train_seed: int
    init: str
    init_seed: int
    dtype: str
    data: dict
    data_arrays: dict[str, np.ndarray] = field(default_factory=dict)
    history: dict[str, np.ndarray] = field(default_factory=dict)
    settings: dict = field(default_factory=dict)
    app_version: str = ""


# ---------------------------------------------------------------- building sessions


def data_for_session(dataset: Dataset, recipe: dict) -> tuple[dict, dict[str, np.ndarray]]:
    """(``data``, ``data_arrays``) for a Session from the Dataset in use and the recipe
    that made it: {"kind": "builtin", "name", "n", "noise", "seed", "val_split",
    "standardize"} (no arrays) or {"kind": "csv", "path", "targets", "val_split", "seed",
    "standardize"} (the rows, names and classes are taken from ``dataset``)."""
    data = dict(recipe)
    if data.get("kind") != "csv":
        return data, {}
    data.update(
        name=dataset.name,
        task=dataset.task,
        n_classes=dataset.n_classes,
        feature_names=list(dataset.feature_names),
        target_names=list(dataset.target_names),
    )
    arrays = {k: getattr(dataset, k) for k in ("x", "t", "x_val", "t_val")}
    for pair in (("labels", "labels_val"), ("mean", "std")):
        if getattr(dataset, pair[0]) is not None:
            arrays.update({k: getattr(dataset, k) for k in pair})
    return data, arrays


def session_from_trainer(
    trainer: Trainer,
    data: dict,
    data_arrays: dict[str, np.ndarray] | None = None,
    *,
    init: str = "xavier",
    init_seed: int = 0,
    history: dict[str, np.ndarray] | None = None,
    settings: dict | None = None,
    app_version: str = "",
) -> Session:
    """A Session of ``trainer``'s current position and configuration."""
    c = trainer.config
    o = c.optimizer
    return Session(
        trainer_state=trainer.get_state(),
        loss=c.loss,
        optimizer={k: getattr(o, k) for k in ("name", "lr", "momentum", "beta1", "beta2", "eps")},
        batch_size=None if c.batch_size is None else int(c.batch_size),
        l2=c.l2,
        l1=c.l1,
        train_seed=c.seed,
        init=init,
        init_seed=init_seed,
        dtype=trainer.network.dtype.name,
        data=data,
        data_arrays=dict(data_arrays or {}),
        history=dict(history or {}),
        settings=dict(settings or {}),
        app_version=app_version,
    )


def session_config(session: Session) -> TrainingConfig:
    """The session's TrainingConfig (loss, optimiser, batch size, l2, l1, seed)."""
    return TrainingConfig(
        session.loss, Optimizer(**session.optimizer), session.batch_size,
        session.l2, session.l1, session.train_seed,
    )  # fmt: skip


def session_dataset(session: Session) -> Dataset:
    """The session's data: regenerated from a built-in recipe, or the embedded CSV rows."""
    return _dataset(session.data, session.data_arrays, "<session>")


def restore_trainer(session: Session) -> Trainer:
    """A Trainer on the session's data and configuration, positioned at its saved state:
    its next iteration gives the same numbers as the saved trainer's would have."""
    ds = session_dataset(session)
    loss = session.loss
    t_val = ds.targets(loss, "val") if len(ds.x_val) else None
    trainer = Trainer(
        session.trainer_state.network, ds.x, ds.targets(loss, "train"),
        session_config(session), ds.x_val, t_val,
    )  # fmt: skip
    trainer.set_state(session.trainer_state)
    return trainer


def _dataset(data: dict, arrays: dict, source: str) -> Dataset:
    try:
        if data["kind"] == "builtin":
            ds = make_dataset(data["name"], data["n"], data["noise"], data["seed"],
                              data["val_split"])  # fmt: skip
            return ds.standardized() if data["standardize"] else ds
        return Dataset(
            name=data["name"], x=arrays["x"], t=arrays["t"], x_val=arrays["x_val"],
            t_val=arrays["t_val"], labels=arrays.get("labels"),
            labels_val=arrays.get("labels_val"), task=data["task"],
            n_classes=data["n_classes"], feature_names=tuple(data["feature_names"]),
            target_names=tuple(data["target_names"]), mean=arrays.get("mean"),
            std=arrays.get("std"),
        )  # fmt: skip
    except (ValueError, TypeError, KeyError) as e:
        raise ModelFileError(source, f"data: {e}") from None


# ---------------------------------------------------------------- checking the contents


def _check_names(specs: dict[str, ArraySpec], found, source: str) -> None:
    """The members ``found`` are exactly the ones ``specs`` calls for."""
    for name in found:
        if name not in specs:
            raise ModelFileError(
                source, f"unexpected member {name!r} (this session has no such array)"
            )
    for name in specs:
        if name not in found:
            raise ModelFileError(source, f"missing member {name!r}")


def _check_spec(spec: ArraySpec, dtype: np.dtype, shape: tuple, what: str, source: str) -> None:
    if not spec.fits(dtype, tuple(shape)):
        raise ModelFileError(
            source, f"{what}: {dtype} array of shape {tuple(shape)}, expected {spec.describe()}"
        )


def _finite(a: np.ndarray, what: str, source: str) -> None:
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ModelFileError(source, f"{what} contains NaN or infinite values")


def _assemble(doc: Document, arrays: dict[str, np.ndarray], source: str) -> Session:
    """The Session of a checked document and its arrays (dtypes and shapes already
    checked), after checking what depends on the values."""
    arch = doc.architecture
    _finite(arrays["network.npy"], "the network", source)
    net = Network.from_flat(arch, arrays["network.npy"])
    tr = doc.training
    buffers = {}
    for b in BUFFERS[tr["optimizer"]["name"]]:
        a = arrays[f"optimizer.{b}.npy"]
        _finite(a, f"the optimizer's {b!r} buffer", source)
        buffers[b] = a
    data_arrays = {n[5:-4]: a for n, a in arrays.items() if n.startswith("data.")}
    for name, a in data_arrays.items():
        _finite(a, f"data {name}", source)
    ds = _dataset(doc.data, data_arrays, source)
    try:
        outputs = ds.output_size(tr["loss"])
        if ds.input_size != arch.input_size or outputs != arch.layers[-1].units:
            raise ValueError(
                f"the data has {ds.input_size} inputs and {outputs} outputs for the "
                f"{tr['loss']!r} loss, the network is {arch.describe()}"
            )
        check_targets(tr["loss"], ds.targets(tr["loss"]))
    except ValueError as e:
        raise ModelFileError(source, f"data: {e}") from None
    n = len(ds.x)
    order = arrays.get("order.npy")
    if order is not None and (
        order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n))
    ):
        raise ModelFileError(source, f"order is not a permutation of the {n} training rows")
    if doc.cursor > 2 * n:
        raise ModelFileError(source, f"cursor {doc.cursor} is out of range for {n} rows")
    state = TrainerState(
        net, OptimizerState(doc.optimizer_t, buffers), doc.step, doc.epoch, doc.cursor,
        order, doc.rng_state,
    )  # fmt: skip
    return Session(
        trainer_state=state,
        **{k: tr[k] for k in ("loss", "optimizer", "batch_size", "l2", "l1", "train_seed")},
        init=tr["init"],
        init_seed=tr["init_seed"],
        dtype=doc.dtype,
        data=doc.data,
        data_arrays=data_arrays,
        history={name: arrays[f"history.{name}.npy"] for name in doc.history},
        settings=doc.settings,
        app_version=doc.app_version,
    )


# ---------------------------------------------------------------- writing


def _encode(session: Session, source: str) -> bytes:
    """The file's bytes, after the same checks load_session makes."""
    if not isinstance(session, Session):
        raise TypeError(f"expected a Session, got {type(session).__name__}")
    s = session.trainer_state
    check_savable(s.network, source)
    data = session.data
    if isinstance(data, dict) and data.get("kind") == "csv" and not set(CSV_KEYS[6:]) <= set(data):
        raise ModelFileError(source, "CSV data needs its names and classes: use data_for_session")
    doc = Document(
        app_version=session.app_version, architecture=s.network.architecture,
        dtype=session.dtype, step=s.step, epoch=s.epoch, cursor=s.cursor,
        optimizer_t=s.optimizer_state.t, has_order=s.order is not None,
        rng_state=s.rng_state, data=session.data, history=tuple(session.history),
        settings=session.settings,
        training={
            "loss": session.loss, "optimizer": session.optimizer,
            "batch_size": session.batch_size, "l2": session.l2, "l1": session.l1,
            "train_seed": session.train_seed, "init": session.init,
            "init_seed": session.init_seed, "dtype": session.dtype,
        },
    )  # fmt: skip
    try:
        text = dumps_compact(build_document(doc))
    except (TypeError, ValueError) as e:
        raise ModelFileError(source, f"the session holds values JSON cannot store: {e}") from None
    doc = parse_document(loads_json(text, source), source)
    arrays = {"network.npy": s.network.flat}
    arrays.update({f"optimizer.{k}.npy": v for k, v in s.optimizer_state.buffers.items()})
    if s.order is not None:
        arrays["order.npy"] = s.order
    arrays.update({f"data.{k}.npy": v for k, v in session.data_arrays.items()})
    arrays.update({f"history.{k}.npy": v for k, v in session.history.items()})
    for name, a in arrays.items():
        if not isinstance(a, np.ndarray):
            raise ModelFileError(source, f"{name}: expected a NumPy array, got {type(a).__name__}")
    specs = member_specs(doc)
    _check_names(specs, arrays, source)
    for name, a in arrays.items():
        _check_spec(specs[name], a.dtype, a.shape, name, source)
    history = sum(a.nbytes for k, a in arrays.items() if k.startswith("history."))
    total = sum(a.nbytes for a in arrays.values()) + len(text)
    if history > MAX_HISTORY_BYTES or total > MAX_SESSION_BYTES:
        raise ModelFileError(source, f"the session is too large to save ({human_size(total)})")
    _assemble(doc, arrays, source)

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo(DOCUMENT, _DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, text.encode("utf-8"))
        for name, a in arrays.items():
            info = zipfile.ZipInfo(name, _DATE)  # ZIP_STORED: fast, random floats barely shrink
            with zf.open(info, "w", force_zip64=a.nbytes > 1024 * MB) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def save_session(path: str | os.PathLike, session: Session) -> None:
    """Write ``session`` to ``path`` atomically (an existing file stays intact on failure).

    Raises ModelFileError for a session that would not load back (non-finite weights,
    data that do not fit the network, ...) and OSError for the file system's refusals."""
    atomic_write(path, _encode(session, display_name(path)))


# ---------------------------------------------------------------- reading


def load_session(path: str | os.PathLike) -> Session:
    """Read and check a session file. ModelFileError (one line) for anything wrong with
    it; OSError if it cannot be opened."""
    source = display_name(path)
    f, size = open_checked(path, MAX_SESSION_BYTES)
    with f:
        try:
            count = _zip_entry_count(f, size)
            if count is not None and count > MAX_MEMBERS:
                raise ModelFileError(source, f"the archive has {count} members, too many")
            f.seek(0)
            with zipfile.ZipFile(f) as zf:
                return _read(zf, source, size)
        except ModelFileError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError) as e:
            raise ModelFileError(source, f"not a valid session file (zip): {e}") from None
        except (NotImplementedError, RuntimeError) as e:  # unsupported method, encrypted
            raise ModelFileError(source, f"unsupported zip archive: {e}") from None
        except (ValueError, struct.error, OverflowError) as e:
            raise ModelFileError(source, f"not a valid session file: {e}") from None


def _check_directory(zf: zipfile.ZipFile, source: str, size: int) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ModelFileError(source, f"the archive has {len(infos)} members, too many")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = history = 0
    for info in infos:
        name = info.filename
        if name != DOCUMENT and not _MEMBER.fullmatch(name):
            raise ModelFileError(source, f"unexpected member {name[:80]!r}")
        if name in by_name:
            raise ModelFileError(source, f"member {name!r} appears twice")
        by_name[name] = info
        if info.flag_bits & 0x1:
            raise ModelFileError(source, f"member {name!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ModelFileError(source, f"member {name!r}: unsupported compression")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size != info.compress_size:
            raise ModelFileError(source, f"member {name!r}: inconsistent sizes")
        if info.file_size > MAX_RATIO * info.compress_size + 4096 or info.compress_size > size:
            raise ModelFileError(
                source,
                f"member {name!r} would expand from {human_size(info.compress_size)} to "
                f"{human_size(info.file_size)} (a zip bomb?)",
            )
        total += info.file_size
        history += info.file_size if name.startswith("history.") else 0
    if total > min(MAX_SESSION_BYTES, size + MAX_EXPANSION) or history > MAX_HISTORY_BYTES:
        raise ModelFileError(
            source, f"the archive would expand to {human_size(total)}, too much (a zip bomb?)"
        )
    return by_name


def _read(zf: zipfile.ZipFile, source: str, size: int) -> Session:
    by_name = _check_directory(zf, source, size)
    info = by_name.pop(DOCUMENT, None)
    if info is None:
        raise ModelFileError(source, f"no {DOCUMENT}: not a Backprop Lab session file")
    if info.file_size > MAX_DOCUMENT_BYTES:
        raise ModelFileError(source, f"{DOCUMENT} is {human_size(info.file_size)}, too large")
    with zf.open(info) as member:
        text = member.read(info.file_size + 1)
    doc = parse_document(loads_json(text, source), source)
    specs = member_specs(doc)
    _check_names(specs, by_name, source)
    arrays = {name: _read_array(zf, by_name[name], source, name, spec)
              for name, spec in specs.items()}  # fmt: skip
    return _assemble(doc, arrays, source)


def _read_array(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, what: str, spec: ArraySpec
) -> np.ndarray:
    """One member's array: header checked against ``spec`` before any data is read;
    read-only, native byte order."""
    member, shape, fortran, dtype, data_bytes = _read_npy_header(zf, info, source, what)
    with member:
        if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
            raise ModelFileError(
                source, f"{what}: {dtype} arrays are not allowed (pickled data is never loaded)"
            )
        native = dtype.newbyteorder("=")
        _check_spec(spec, native, shape, what, source)
        nbytes = total_elements(shape) * dtype.itemsize
        if data_bytes != nbytes:
            raise ModelFileError(
                source, f"{what}: the header declares {nbytes} bytes but the member holds "
                f"{data_bytes}",
            )  # fmt: skip
        data = member.read(nbytes)
        if len(data) != nbytes:
            raise ModelFileError(source, f"{what}: truncated data")
        member.read(1)  # reach the end, so zipfile checks the CRC
    a = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran else "C")
    if a.dtype != native or not a.flags.c_contiguous:
        a = np.ascontiguousarray(a, dtype=native)
    a.flags.writeable = False
    return a


# ---------------------------------------------------------------- autosave

AUTOSAVE_NAME = "autosave" + SUFFIX
PREVIOUS_NAME = "autosave.previous" + SUFFIX
STALE_TEMP_SECONDS = 600


def autosave_path(folder: str | os.PathLike) -> Path:
    """Where :func:`write_autosave` puts the newest autosave in ``folder``."""
    return Path(os.fspath(folder)) / AUTOSAVE_NAME


def write_autosave(folder: str | os.PathLike, session: Session) -> Path:
    """Autosave ``session`` in ``folder`` (created if needed); returns the file's path.

    The session is checked and encoded first: a diverged (non-finite) network raises
    ModelFileError and touches no file. Then the current autosave becomes the previous
    one and the new one is written atomically, so at every moment at least one complete
    autosave exists (:func:`find_autosave` picks the newest that loads)."""
    target = autosave_path(folder)
    data = _encode(session, target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target.parent)
    if target.exists():
        os.replace(target, target.parent / PREVIOUS_NAME)
    atomic_write(target, data)
    return target


def find_autosave(folder: str | os.PathLike) -> Path | None:
    """The newest autosave in ``folder`` that loads (the previous one when the newest is
    missing or broken), or None."""
    folder = Path(os.fspath(folder))
    found = []
    for rank, name in enumerate((AUTOSAVE_NAME, PREVIOUS_NAME)):
        with contextlib.suppress(OSError):
            found.append((-(folder / name).stat().st_mtime_ns, rank, folder / name))
    for _, _, path in sorted(found):
        try:
            load_session(path)
        except (ModelFileError, OSError, MemoryError):
            continue
        return path
    return None


def remove_autosave(folder: str | os.PathLike) -> None:
    """Delete the autosaves in ``folder`` (after a clean exit nothing needs restoring)."""
    for name in (AUTOSAVE_NAME, PREVIOUS_NAME):
        with contextlib.suppress(FileNotFoundError):
            (Path(os.fspath(folder)) / name).unlink()


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files a killed autosave left behind (old enough not to be in use)."""
    now = time.time()
    for tmp in folder.glob(f".{AUTOSAVE_NAME}.*.tmp"):
        with contextlib.suppress(OSError):
            if now - tmp.stat().st_mtime > STALE_TEMP_SECONDS:
                tmp.unlink()
