"""Weight files: save and load a :class:`~engine.network.Network`.

=================  ===========  ==================================================
suffix             direction    content
=================  ===========  ==================================================
``.json``          save, load   human-readable document, bit-exact floats
``.npz``           save, load   NumPy arrays + architecture (``np.load`` can read it)
``.safetensors``   save, load   torch.nn.Sequential state-dict keys + architecture
``.onnx``          export only  float32 inference graph (opset 17)
=================  ===========  ==================================================

>>> save_model(net, "xor.json")
>>> net2 = load_model("xor.json")      # net2.equals(net)

Errors: :class:`ModelFileError` (a ValueError) for anything wrong with the file or the
request - ``str(e)`` is one line, ``"<file name>: <what is wrong>"``. Operating-system
failures (missing file or folder, no permission, disk full) are raised as :class:`OSError`.
Files are written atomically (:func:`atomic_write`) and read defensively: size limits are
checked before reading, nothing is unpickled, and malformed files are rejected quickly
without large allocations. Only ``onnx_export`` imports ``onnx``, lazily.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..network import Network
from .atomic import atomic_write
from .common import (
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_JSON_BYTES,
    ModelFileError,
    display_name,
)
from .model_json import load_json, model_from_dict, model_to_dict, save_json
from .npz import load_npz, save_npz
from .safetensors import load_safetensors, save_safetensors

# Session files (.bplab): training runs saved to be continued exactly.
from .session import (
    Session,
    autosave_path,
    data_for_session,
    find_autosave,
    load_session,
    remove_autosave,
    restore_trainer,
    save_session,
    session_config,
    session_dataset,
    session_from_trainer,
    write_autosave,
)

FORMATS = (".json", ".npz", ".safetensors", ".onnx")
#: Suffixes :func:`load_model` reads (ONNX is export-only).
LOADABLE_FORMATS = (".json", ".npz", ".safetensors")


def _export_onnx(net: Network, path) -> None:
    from .onnx_export import export_onnx

    export_onnx(net, path)


_SAVERS = {
    ".json": save_json,
    ".npz": save_npz,
    ".safetensors": save_safetensors,
    ".onnx": _export_onnx,
}
_LOADERS = {".json": load_json, ".npz": load_npz, ".safetensors": load_safetensors}


def format_of(path: str | os.PathLike) -> str:
    """The lower-case suffix of ``path`` if it is one of :data:`FORMATS`, else ModelFileError."""
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix not in FORMATS:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise ModelFileError(
            display_name(path),
            f"unknown file type ({shown}); use one of {', '.join(FORMATS)}",
        )
    return suffix


def save_model(net: Network, path: str | os.PathLike) -> None:
    """Save ``net`` to ``path`` in the format given by its suffix (case-insensitive).

    Raises ModelFileError (unknown suffix, non-finite weights, too large for the format)
    or OSError (the folder does not exist, no permission, disk full). The write is atomic:
    on failure an existing file is left untouched."""
    _SAVERS[format_of(path)](net, path)


def load_model(path: str | os.PathLike) -> Network:
    """Load a network saved as .json, .npz or .safetensors.

    Raises ModelFileError for anything wrong with the file (including ``.onnx``, which is
    export-only) and OSError if it cannot be opened."""
    suffix = format_of(path)
    if suffix == ".onnx":
        raise ModelFileError(
            display_name(path),
            "ONNX files are export-only: Backprop Lab cannot load them; open the .json, "
            ".npz or .safetensors file the network was saved as",
        )
    return _LOADERS[suffix](path)


__all__ = [
    "FORMATS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "LOADABLE_FORMATS",
    "MAX_FILE_BYTES",
    "MAX_JSON_BYTES",
    "ModelFileError",
    "Session",
    "atomic_write",
    "autosave_path",
    "data_for_session",
    "find_autosave",
    "format_of",
    "load_model",
    "load_session",
    "model_from_dict",
    "model_to_dict",
    "remove_autosave",
    "restore_trainer",
    "save_model",
    "save_session",
    "session_config",
    "session_dataset",
    "session_from_trainer",
    "write_autosave",
]
