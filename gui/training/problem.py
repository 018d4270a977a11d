"""The training problem the controller holds: the data, the architecture and how the
network is initialised - everything a fresh trainer is built from."""

from __future__ import annotations

from dataclasses import dataclass

from backprop_lab.engine.data import Dataset
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.trainer import Trainer, TrainingConfig


@dataclass(frozen=True)
class TrainingProblem:
    """Data, architecture and initialisation (scheme, seed, dtype) of one problem."""

    dataset: Dataset
    architecture: Architecture
    init: str
    seed: int
    dtype: str

    def build_trainer(self, config: TrainingConfig) -> Trainer:
        """A fresh trainer: the network initialised from the seed, the training targets
        (and the validation split's, if any) for ``config.loss``. ValueError when the
        data, the architecture and the loss do not fit together."""
        net = init_network(self.architecture, self.init, self.seed, self.dtype)
        ds = self.dataset
        t_val = ds.targets(config.loss, "val") if len(ds.x_val) else None
        return Trainer(net, ds.x, ds.targets(config.loss, "train"), config, ds.x_val, t_val)
