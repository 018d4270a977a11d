"""What ``backprop-lab train`` writes to the terminal: the progress bar on stderr (only
on a terminal) and the summary of the run on stdout, one ``key: value`` line each."""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from typing import TextIO

from ..data import Dataset
from ..trainer import Trainer, TrainingDiverged

PROGRESS_INTERVAL = 0.1  # seconds between progress-bar redraws (at most ~10 per second)


class ProgressBar:
    """A one-line progress bar on a terminal: step, epoch and the last batch's loss,
    redrawn at most every ``interval`` seconds."""

    def __init__(self, stream: TextIO, total: int, interval: float = PROGRESS_INTERVAL):
        self.stream, self.total, self.interval = stream, total, interval
        self._next = 0.0
        self._shown = False

    def __call__(self, rec) -> None:
        now = time.monotonic()
        if now >= self._next or rec.step == self.total:
            self._next = now + self.interval
            self.draw(rec.step, rec.epoch, rec.loss.value)

    def draw(self, step: int, epoch: int, loss: float) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        text = f" {step:>{len(str(self.total))}}/{self.total} steps  epoch {epoch}  loss {loss:.4g}"
        width = max(10, min(30, columns - 60))  # steady: not tied to the text's length
        filled = width * step // max(self.total, 1)
        line = f"[{'#' * filled}{'-' * (width - filled)}]{text}"
        self.stream.write("\r" + line[: max(columns - 1, 1)] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _fmt_loss(value: float) -> str:
    return f"{value:.6g}"


def print_summary(
    out: TextIO,
    trainer: Trainer,
    data: Dataset,
    diverged: TrainingDiverged | None,
    written: Sequence[str],
) -> None:
    """The run's summary on ``out``: network, data, training settings, steps (and where it
    diverged), training and validation loss and accuracy, the files ``written``."""
    net, c = trainer.network, trainer.config
    arch = net.architecture
    batch = "full batch" if c.batch_size is None else f"batch size {trainer.batch_size}"
    rows = f"{len(data.x)} training rows, {len(data.x_val)} validation rows"
    steps = f"{trainer.step_count} (epoch {trainer.epoch})"
    if diverged is not None:
        steps += f", diverged at step {diverged.step}"
    lines = [
        ("network", f"{arch.describe()} ({arch.parameter_count} parameters, {net.dtype})"),
        ("data", f"{data.name} ({rows})"),
        ("training", f"loss {c.loss}, {c.optimizer.name} lr {c.optimizer.lr:g}, {batch}"),
        ("steps", steps),
    ]
    for split, label in (("train", "train"), ("val", "val")):
        loss, acc = trainer.evaluate(split)
        if split == "val" and trainer.x_val is None:
            lines.append((f"{label} loss", "- (no validation rows)"))
            continue
        lines.append((f"{label} loss", _fmt_loss(loss)))
        if acc is not None:
            lines.append((f"{label} accuracy", f"{acc:.2%}"))
    lines += [("wrote", p) for p in written]
    for key, value in lines:
        print(f"{key + ':':<16}{value}", file=out)


def isatty(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for anything that cannot say)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
