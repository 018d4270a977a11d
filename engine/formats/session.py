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

This module holds the file: writing, reading and checking the zip archive, and the
autosave pair beside it. The :class:`Session` record, its conversions to and from a
Trainer and the checks on its values are in :mod:`.session_record` (importable from here).
"""

from __future__ import annotations

import contextlib
import os
import re
import struct
import time
import weakref
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .architecture_doc import check_savable, total_elements
from .atomic import atomic_write
from .common import (
    ModelFileError,
    display_name,
    dumps_compact,
    human_size,
    loads_json,
    open_checked,
)
from .npz import MAX_RATIO, _read_npy_header, _zip_entry_count
from .session_record import (
    Session,
    assemble_session,
    check_names,
    check_spec,
    data_for_session,
    restore_trainer,
    session_config,
    session_dataset,
    session_from_trainer,
)
from .session_schema import (
    CSV_KEYS,
    MAX_HISTORY_ARRAYS,
    ArraySpec,
    Document,
    build_document,
    member_specs,
    parse_document,
)

__all__ = [
    "MAX_SESSION_BYTES",
    "PREVIOUS_NAME",
    "SUFFIX",
    "Session",
    "autosave_path",
    "check_session",
    "data_for_session",
    "find_autosave",
    "load_session",
    "remove_autosave",
    "restore_trainer",
    "save_session",
    "session_config",
    "session_dataset",
    "session_from_trainer",
    "write_autosave",
]

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
#: the sessions load_session returned: checked, with read-only arrays
_LOADED: weakref.WeakSet[Session] = weakref.WeakSet()
_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same session always gives the same bytes


# ---------------------------------------------------------------- writing


def check_session(session: Session, source: str = "<session>") -> None:
    """Check a Session record the way :func:`load_session` checks a file (and
    :func:`save_session` before writing): every value in its range (:mod:`engine.limits`),
    the arrays' dtypes, shapes and contents, the data against the network. ModelFileError
    (one line, naming ``source``) for the first problem; nothing is written. A session
    that passes can be saved, reopened and continued (``restore_trainer``). A session
    :func:`load_session` returned has passed already (its arrays are read-only) and is
    not checked again."""
    if session not in _LOADED:
        _checked(session, source)


def _checked(session: Session, source: str) -> tuple[str, dict[str, np.ndarray]]:
    """(session.json's text, the members' arrays) of a checked session."""
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
    check_names(specs, arrays, source)
    for name, a in arrays.items():
        check_spec(specs[name], a.dtype, a.shape, name, source)
    history = sum(a.nbytes for k, a in arrays.items() if k.startswith("history."))
    total = sum(a.nbytes for a in arrays.values()) + len(text)
    if history > MAX_HISTORY_BYTES or total > MAX_SESSION_BYTES:
        raise ModelFileError(source, f"the session is too large to save ({human_size(total)})")
    assemble_session(doc, arrays, source)
    return text, arrays


def _encoder(session: Session, source: str) -> Callable[[BinaryIO], None]:
    """After the same checks load_session makes (a problem raises here, before any file
    is touched): a function that writes the session file to a binary, seekable file -
    member by member, so the data set is never copied into memory whole."""
    text, arrays = _checked(session, source)

    def write(f: BinaryIO) -> None:
        with zipfile.ZipFile(f, "w") as zf:
            info = zipfile.ZipInfo(DOCUMENT, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
            for name, a in arrays.items():
                info = zipfile.ZipInfo(name, _DATE)  # ZIP_STORED: fast, floats barely shrink
                with zf.open(info, "w", force_zip64=a.nbytes > 1024 * MB) as member:
                    np.lib.format.write_array(member, np.ascontiguousarray(a), allow_pickle=False)

    return write


def save_session(path: str | os.PathLike, session: Session) -> None:
    """Write ``session`` to ``path`` atomically (an existing file stays intact on failure).

    Raises ModelFileError for a session that would not load back (non-finite weights,
    data that do not fit the network, ...) and OSError for the file system's refusals."""
    atomic_write(path, _encoder(session, display_name(path)))


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
    check_names(specs, by_name, source)
    arrays = {name: _read_array(zf, by_name[name], source, name, spec)
              for name, spec in specs.items()}  # fmt: skip
    session = assemble_session(doc, arrays, source)
    _LOADED.add(session)
    return session


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
        check_spec(spec, native, shape, what, source)
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
    write = _encoder(session, target.name)  # checked before any file is touched
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(target.parent)
    if target.exists():
        os.replace(target, target.parent / PREVIOUS_NAME)
    atomic_write(target, write)
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
