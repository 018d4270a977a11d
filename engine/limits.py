"""The sizes any network may have: one set of limits for the builder, the command line,
the weight and session files and the data files alike (:mod:`engine.network` checks
every architecture against them; a CSV file wider than ``MAX_INPUTS`` input columns is
refused before its rows are read)."""

from __future__ import annotations

#: The widest layer (hidden or output) any network may have - the command line's and the
#: window's limit alike.
MAX_UNITS = 4096
#: The widest input layer: the most feature columns a data set may have.
MAX_INPUTS = 100_000
MAX_LAYERS = 64
MAX_PARAMETERS = 50_000_000  # 400 MB of float64 weights: beyond this a laptop runs out
