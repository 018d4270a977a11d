"""Backprop Lab's engine: a multilayer perceptron and backpropagation in pure NumPy.

Never imports Qt, pyqtgraph or ``gui``. The pieces, in the article's order:

* :mod:`engine.network`    - architecture built layer by layer, weights, initialisation
* :mod:`engine.activations`, :mod:`engine.losses` - f, f' and the loss conventions
* :mod:`engine.defaults`   - what the window and the command line use when nothing is said
* :mod:`engine.phases`     - forward -> loss -> backward -> update, as immutable records
* :mod:`engine.optimizers` - sgd (w <- w - eta dL/dw), momentum, adam
* :mod:`engine.trainer`    - the phases in a loop, with divergence detection
  (:mod:`engine.training_state`: its config, its state and the checks)
* :mod:`engine.gradcheck`  - central-difference gradients to check it all
* :mod:`engine.chainrule`  - one weight's gradient as a sum over paths, with the numbers
  (:mod:`engine.chainrule_paths`: the paths; :mod:`engine.derivation`: the record, Markdown)
* :mod:`engine.data`       - built-in data sets and CSV files
* :mod:`engine.formats`    - weight files: json, npz, safetensors, onnx
* :mod:`engine.transport`  - snapshots, frames and the worker process that carry a run to
  the window
* :mod:`engine.cli`        - the headless command line (``backprop-lab train/explain``)
"""

from .activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .gradcheck import numerical_gradient, numerical_gradients, relative_error
from .losses import LOSSES, check_pairing, default_loss
from .network import INITS, Architecture, LayerLayout, LayerSpec, Network, init_network
from .optimizers import OPTIMIZERS, Optimizer, OptimizerState
from .phases import (
    BackwardRecord,
    ForwardRecord,
    IterationRecord,
    LossRecord,
    UpdateRecord,
    backward,
    compute_loss,
    forward,
    iterate,
    predict,
    update,
)
from .trainer import Trainer, TrainerState, TrainingConfig, TrainingDiverged, accuracy

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "HIDDEN_ACTIVATIONS",
    "INITS",
    "LOSSES",
    "OPTIMIZERS",
    "OUTPUT_ACTIVATIONS",
    "Architecture",
    "BackwardRecord",
    "ForwardRecord",
    "IterationRecord",
    "LayerLayout",
    "LayerSpec",
    "LossRecord",
    "Network",
    "Optimizer",
    "OptimizerState",
    "Trainer",
    "TrainerState",
    "TrainingConfig",
    "TrainingDiverged",
    "UpdateRecord",
    "accuracy",
    "backward",
    "check_pairing",
    "compute_loss",
    "default_loss",
    "forward",
    "init_network",
    "iterate",
    "numerical_gradient",
    "numerical_gradients",
    "predict",
    "relative_error",
    "update",
]
