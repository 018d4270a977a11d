"""Training off the GUI thread: :class:`TrainingController` (the window's one entry
point, :mod:`.controller`) and the parts it owns - the play runs (:mod:`.play_runs`: the
QThread worker of :mod:`.worker` and the worker-process client of :mod:`.process`), phase
stepping (:mod:`.phase_stepping`), the snapshots made in the GUI thread
(:mod:`.local_snapshot`), the problem (:mod:`.problem`); the mailbox and the fan-out carry
snapshots to the views."""

from __future__ import annotations

from .controller import TrainingController

__all__ = ["TrainingController"]
