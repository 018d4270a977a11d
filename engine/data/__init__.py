"""Data for Backprop Lab: built-in toy sets and CSV files, as :class:`Dataset` records.

* :mod:`engine.data.dataset` - the Dataset record, the seeded split, standardisation,
  targets ready for a loss (one-hot for "ce")
* :mod:`engine.data.builtin` - :func:`make_dataset` for the names in :data:`BUILTIN_DATASETS`
* :mod:`engine.data.csvfile` - :func:`load_csv` and its :class:`CSVError`

Pure NumPy and the standard library; never imports Qt.
"""

from .builtin import BUILTIN_DATASETS, make_dataset
from .csvfile import CSVError, load_csv
from .dataset import Dataset, ZeroVarianceError, one_hot

__all__ = [
    "BUILTIN_DATASETS",
    "CSVError",
    "Dataset",
    "ZeroVarianceError",
    "load_csv",
    "make_dataset",
    "one_hot",
]
