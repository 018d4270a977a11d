"""The window's control panels: the network builder, the data choice, the training
controls. Each is a plain QWidget that emits what the user asked for; the window wires
them to the training controller."""

from .data_panel import DataChoice, DataPanel
from .layer_editor import LayerEditor, NetworkSpec
from .training_panel import TrainingPanel, TrainingSettings

__all__ = [
    "DataChoice",
    "DataPanel",
    "LayerEditor",
    "NetworkSpec",
    "TrainingPanel",
    "TrainingSettings",
]
