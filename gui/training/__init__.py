"""Training off the GUI thread: :class:`TrainingController` (the window's one entry
point), the QThread worker and the worker-process client behind it."""

from __future__ import annotations

from .controller import TrainingController

__all__ = ["TrainingController"]
