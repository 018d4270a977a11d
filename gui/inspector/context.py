"""Which numbers a derivation uses: the weights, the data and the optimiser state.

* While an iteration is stepped phase by phase (or was just finished by its update
  phase): that iteration's own inputs - the network it started from, its batch (one
  sample or the mini-batch, listing the paths of the chosen sample's row), its optimiser
  and state. The inspector then explains exactly the gradient and update the stepper
  computes.
* Otherwise, paused: the trainer's current network on the chosen sample alone (the
  mini-batch of the next iteration is drawn only when it begins), with the trainer's
  optimiser state - what the next iteration on that sample would do.
* While training runs: the newest snapshot's network on the chosen sample alone; the
  optimiser state lives in the training process, so the update starts from a fresh one.
"""

from __future__ import annotations

import numpy as np
from backprop_lab.engine.transport.snapshot import Snapshot
from PySide6.QtCore import QCoreApplication

from ..model.live_text import LiveText
from .explain_runner import ExplainRequest

translate = QCoreApplication.translate


def chosen_row(rows: np.ndarray | None, sample: int) -> tuple[int, int | None]:
    """(batch row, its training index) showing training sample ``sample``: its own row
    if it is in the batch, else row 0. ``rows``: the batch's training indices."""
    if rows is None:
        return 0, None
    hit = np.flatnonzero(rows == sample)
    row = int(hit[0]) if len(hit) else 0
    return row, int(rows[row])


def explain_request(
    controller,
    layer: int,
    row: int,
    col: int | None,
    sample: int,
    snapshot: Snapshot | None = None,
) -> ExplainRequest | None:
    """The request for ``weights[layer-1][row, col]`` (``col`` None: the bias of unit
    ``row``) with the data chosen as the module docstring says; ``sample`` is the chosen
    training sample. None without a problem."""
    trainer = controller.trainer
    if trainer is None:
        return None
    sample = min(max(int(sample), 0), len(trainer.x) - 1)
    s = controller.phase_stepper
    if s is not None and not controller.is_running:
        rows = controller.phase_batch_indices
        batch_row, index = chosen_row(rows, sample)
        batch, step = len(s.x), s.step  # the stepper moves on; the label stays
        label = LiveText(lambda: _stepped_label(batch, step, index, batch_row, sample))
        return ExplainRequest(
            s.net, s.x, s.t, s.loss, layer, row, col, s.optimizer, s.state, batch_row, s.l2,
            s.l1, label, index, s.step,
        )  # fmt: skip
    c = trainer.config
    x, t = trainer.x[sample : sample + 1], trainer.t[sample : sample + 1]
    if controller.is_running and snapshot is not None:
        step = snapshot.step
        label = LiveText(
            lambda: translate(
                "InspectorContext",
                "training sample {0}, weights of iteration {1} (training runs: the update "
                "starts from a fresh optimiser state)",
            ).format(sample, step)
        )
        return ExplainRequest(
            snapshot.network, x, t, c.loss, layer, row, col, c.optimizer, None, 0, c.l2, c.l1,
            label, sample, snapshot.step + 1,
        )  # fmt: skip
    step = trainer.step_count + 1
    label = LiveText(
        lambda: translate(
            "InspectorContext", "training sample {0}, the weights before iteration {1}"
        ).format(sample, step)
    )
    return ExplainRequest(
        trainer.network, x, t, c.loss, layer, row, col, c.optimizer, trainer.state, 0, c.l2,
        c.l1, label, sample, step,
    )  # fmt: skip


def _stepped_label(batch: int, step: int, index: int | None, batch_row: int, sample: int) -> str:
    """Which data a stepped iteration's derivation uses, in the current language."""
    if batch == 1:
        return translate("InspectorContext", "training sample {0}, iteration {1}").format(
            index, step
        )
    who = (
        translate("InspectorContext", "sample {0}").format(index)
        if index is not None
        else translate("InspectorContext", "row {0}").format(batch_row)
    )
    missing = (
        translate("InspectorContext", " (sample {0} is not in this mini-batch)").format(sample)
        if index is not None and index != sample
        else ""
    )
    return translate(
        "InspectorContext", "mini-batch of {0}, iteration {1}: paths of {2}{3}"
    ).format(batch, step, who, missing)
