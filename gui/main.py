"""The ``backprop-lab`` console entry point.

* ``backprop-lab`` (no arguments) opens the desktop app: :mod:`gui.app` is imported only
  then, so Qt is loaded only then.
* Before that, on Linux, :func:`gui.platform_check.check` makes sure Qt's X11 plugin can
  load: if system libraries are missing it prints the one apt line that installs them
  and ``backprop-lab`` exits with code 1 (Qt itself would name only one of them).
* ``backprop-lab train ...``, ``backprop-lab --version``, ``backprop-lab -h`` - and any
  other arguments - go to the headless command line, :func:`engine.cli.main`, which never
  imports Qt (an unknown command gets its one-line usage error and exit code 2).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

NOT_BUILT = "backprop-lab: the desktop app is not built yet; try 'backprop-lab train --help'"


def main(argv: Sequence[str] | None = None) -> int:
    """Run Backprop Lab; returns the process exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args:
        from backprop_lab.engine.cli import main as cli_main

        return cli_main(args)
    from .platform_check import check as check_platform

    code = check_platform()
    if code is not None:
        return code
    try:
        app = importlib.import_module("backprop_lab.gui.app")
    except ModuleNotFoundError as e:
        if e.name != "backprop_lab.gui.app":  # something gui.app needs is missing: a real error
            raise
        print(NOT_BUILT, file=sys.stderr)
        return 1
    result = app.run()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
