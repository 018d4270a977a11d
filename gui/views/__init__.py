"""The views: widgets that draw engine snapshots (engine.transport.snapshot.Snapshot).

Every view has ``show_snapshot(snap)`` (a Slot; cheap, latest wins, never mutates what it
was given) and ``clear()`` (forget history: a new problem or a reset).
"""

from __future__ import annotations

from .decision_view import DecisionView
from .grad_norms import GradNormPlot
from .heatmaps import GradientHeatmaps
from .loss_plot import LossPlot
from .network_view import NetworkView

__all__ = ["DecisionView", "GradNormPlot", "GradientHeatmaps", "LossPlot", "NetworkView"]
