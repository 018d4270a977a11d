"""The model's records: frozen values that say what the user is working on.

* :class:`DataChoice` - the data: a built-in data set and its recipe, or a CSV file;
* :class:`NetworkSpec` - the network: its architecture, loss, initialisation and seed;
* :class:`TrainingSettings` - the hyper-parameters (learning rate, optimiser, batch, L2/L1);
* :class:`Problem` - what training starts from: the data choice, its Dataset, the spec;
* :class:`Progress` - where training stands: the exact ``TrainerState`` and the plotted
  histories (loss curves, gradient norms) as named arrays.

Qt-free: the panels show and edit these, the session file and undo keep them. Their
defaults are the engine's (:mod:`engine.defaults`), shared with the command line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from backprop_lab.engine import defaults
from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture
from backprop_lab.engine.trainer import TrainerState


@dataclass(frozen=True)
class DataChoice:
    """What the data panel's widgets say. ``source`` is a built-in name or ``"csv"``."""

    source: str = defaults.DATA
    noise: float = defaults.NOISE
    samples: int = defaults.SAMPLES
    val_split: float = defaults.VAL_SPLIT
    seed: int = defaults.DATA_SEED
    csv_path: str = ""
    targets: int = defaults.CSV_TARGETS
    standardize: bool = defaults.STANDARDIZE


@dataclass(frozen=True)
class NetworkSpec:
    """What the builder describes: the architecture, its loss, how to initialise it."""

    architecture: Architecture
    loss: str
    init: str = defaults.INIT
    seed: int = defaults.INIT_SEED


@dataclass(frozen=True)
class TrainingSettings:
    """The training panel's hyper-parameters; ``batch_size`` None means the full batch.
    ``momentum``, ``beta1``, ``beta2`` and ``eps`` have no control of their own: they are
    the defaults or a reopened session's, and training uses exactly these."""

    learning_rate: float = defaults.LEARNING_RATE
    optimizer: str = defaults.OPTIMIZER
    batch_size: int | None = defaults.BATCH_SIZE
    l2: float = defaults.L2
    l1: float = defaults.L1
    momentum: float = defaults.MOMENTUM
    beta1: float = defaults.BETA1
    beta2: float = defaults.BETA2
    eps: float = defaults.EPS


@dataclass(frozen=True)
class Problem:
    """What training starts from: the data choice, its Dataset and the network spec."""

    choice: DataChoice
    dataset: Dataset
    spec: NetworkSpec
    dtype: str = "float64"


@dataclass(frozen=True)
class Progress:
    """Where training stands: the exact trainer state and the plotted histories."""

    state: TrainerState
    history: dict[str, np.ndarray]

    @property
    def step(self) -> int:
        """The iteration the state is at."""
        return self.state.step

    def nbytes(self) -> int:
        """Roughly the memory this progress keeps alive."""
        s = self.state
        arrays = [s.network.flat, *s.optimizer_state.buffers.values(), *self.history.values()]
        if s.order is not None:
            arrays.append(s.order)
        return sum(a.nbytes for a in arrays)


__all__ = ["DataChoice", "NetworkSpec", "Problem", "Progress", "TrainingSettings"]
