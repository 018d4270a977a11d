"""How a failed file operation is told to the user."""

from __future__ import annotations

import os

from backprop_lab.engine.formats import ModelFileError

from ..messages import render


def describe_error(error: BaseException, path: str | os.PathLike) -> str:
    """One line for a message box: the engine's own message for a bad file
    (ModelFileError, in the window's language: :func:`gui.messages.render`), otherwise
    "<file name>: <reason>"."""
    if isinstance(error, ModelFileError):
        return render(error)
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"{os.path.basename(os.fspath(path))}: {reason}"


__all__ = ["describe_error"]
