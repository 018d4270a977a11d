"""``python -m backprop_lab.engine.cli ...``: the same as ``backprop-lab ...`` with a command."""

import sys

from . import main

sys.exit(main())
