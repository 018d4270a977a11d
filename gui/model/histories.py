"""The run's plotted histories, kept by the model (the views draw them, the session file
saves them): the training loss of every iteration, the validation loss and accuracies
of every snapshot, and the gradient norm of every layer. Each is an
:class:`engine.transport.history.LossHistory` (bounded, no gaps; see there).

Named arrays (:meth:`Histories.state`, the session file's ``history``): ``train-*`` the
training loss, ``eval-*`` the validation loss and accuracies, ``norms-*`` the gradient
norms (LossHistory.get_state under a prefix).
"""

from __future__ import annotations

import numpy as np
from backprop_lab.engine.network import MAX_LAYERS
from backprop_lab.engine.transport.history import LossHistory
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QCoreApplication

# columns of the per-snapshot evaluation history
VAL_LOSS, TRAIN_ACC, VAL_ACC = 0, 1, 2


def history_part(state: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The arrays of ``state`` named ``prefix-...``, without the prefix."""
    n = len(prefix) + 1
    return {k[n:]: v for k, v in state.items() if k.startswith(prefix + "-")}


def _number(v: float | None) -> float:
    return float("nan") if v is None else float(v)


class Histories:
    """The loss curves and gradient norms of one run (see the module docstring).
    ``version`` grows with every change, so a view can tell whether to redraw."""

    def __init__(self) -> None:
        self.train = LossHistory()
        self.eval = LossHistory(columns=3)
        self.norms: LossHistory | None = None  # one column per layer, from the first snapshot
        self.version = 0

    def record(self, snap: Snapshot) -> None:
        """Append a snapshot's losses (every iteration since the last one), its
        evaluation numbers and its per-iteration gradient norms."""
        self.record_losses(snap)
        self.record_norms(snap)

    def record_losses(self, snap: Snapshot) -> None:
        """Append a snapshot's losses and evaluation numbers only."""
        self.train.append(snap.steps, snap.losses)
        self.eval.append(
            [snap.step],
            [[_number(snap.val_loss), _number(snap.train_accuracy), _number(snap.val_accuracy)]],
        )
        self.version += 1

    def record_norms(self, snap: Snapshot) -> None:
        """Append a snapshot's per-iteration gradient norms only (a network of another
        depth starts them afresh)."""
        depth = snap.network.depth
        if self.norms is None or self.norms.columns != depth:
            self.norms = LossHistory(columns=depth)
        self.norms.append(snap.steps, snap.grad_norms)
        self.version += 1

    def clear(self) -> None:
        """Forget everything (a new problem or a reset)."""
        self.train.clear()
        self.eval.clear()
        if self.norms is not None:
            self.norms.clear()
        self.version += 1

    def loss_state(self) -> dict[str, np.ndarray]:
        """The loss curves as named arrays (``train-*``, ``eval-*``; fresh arrays)."""
        out = {}
        for prefix, h in (("train", self.train), ("eval", self.eval)):
            out.update({f"{prefix}-{k}": v for k, v in h.get_state().items()})
        return out

    def norm_state(self) -> dict[str, np.ndarray]:
        """The gradient norms as named arrays ``norms-*``; empty before any snapshot."""
        h = self.norms
        return {} if h is None else {f"norms-{k}": v for k, v in h.get_state().items()}

    def state(self) -> dict[str, np.ndarray]:
        """Every history as named arrays (for session files and undo)."""
        return {**self.loss_state(), **self.norm_state()}

    def restore_losses(self, state: dict[str, np.ndarray]) -> None:
        """Continue from the loss curves :meth:`loss_state` gave. ValueError, and
        nothing changes, if they do not fit."""
        train, evals = LossHistory(), LossHistory(columns=3)
        train.set_state(history_part(state, "train"))
        evals.set_state(history_part(state, "eval"))
        self.train, self.eval = train, evals
        self.version += 1

    def restore_norms(self, state: dict[str, np.ndarray]) -> None:
        """Continue from the norms :meth:`norm_state` gave (none: forget them).
        ValueError, and nothing changes, if they do not fit."""
        part = history_part(state, "norms")
        if not part:
            if self.norms is not None:
                self.norms.clear()
            self.version += 1
            return
        counters = np.asarray(part.get("counters", ()))
        depth = int(counters[0]) if counters.shape == (8,) else 0
        if not 1 <= depth <= MAX_LAYERS:
            text = QCoreApplication.translate("Histories", "gradient-norm history with %1 layers")
            raise ValueError(text.replace("%1", str(depth)))
        history = LossHistory(columns=depth)
        history.set_state(part)
        self.norms = history
        self.version += 1

    def restore(self, state: dict[str, np.ndarray]) -> list[str]:
        """Continue from the histories :meth:`state` gave; returns the problems (a part
        that does not fit is left out - the loss curves and the norms separately -
        with the reason)."""
        problems = []
        for restore in (self.restore_losses, self.restore_norms):
            try:
                restore(state)
            except ValueError as e:
                problems.append(str(e))
        return problems


__all__ = ["TRAIN_ACC", "VAL_ACC", "VAL_LOSS", "Histories", "history_part"]
