"""``python -m backprop_lab.gui``: the same as the ``backprop-lab`` command (see
:mod:`gui.main`)."""

import sys

from .main import main

sys.exit(main())
