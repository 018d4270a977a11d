"""``python -m backprop_lab.engine train ...``: the headless command line (see
:mod:`engine.cli`)."""

import sys

from .cli import main

sys.exit(main())
