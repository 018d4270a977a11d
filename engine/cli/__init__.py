"""The headless command line: ``backprop-lab train ...`` and ``backprop-lab explain ...``
(also ``python -m backprop_lab.engine train ...``).

``train`` trains a network on a built-in data set or a CSV file without any GUI, prints the
final losses and accuracies to stdout and writes the weights to the files named by
``--export``; ``explain`` prints the chain-rule derivation of one weight's gradient.

Exit codes:

* 0   success
* 1   a file named by ``--export`` could not be written (disk full, permissions, ...)
* 2   bad input: a usage error, unreadable or invalid data or model file, an impossible
      architecture or learning rate, a loss that does not fit the output activation, data
      whose width does not fit the model. stderr gets exactly one line,
      ``backprop-lab: error: <what is wrong>``, and no traceback.
* 3   training diverged: stderr gets the divergence message (step and layer); the
      ``--export`` files are still written and hold the last finite weights.
* 130 interrupted (Ctrl-C): training stops, nothing is written.

Subcommands: each one is a module (:mod:`.train`, :mod:`.explain`) with a single function
``add_<name>_command(subparsers)`` listed in :data:`COMMANDS`; it adds its subparser and
sets ``run=<function(args) -> int>`` as a default. Its ``run`` raises
:class:`~.options.UsageError` (or ValueError) for bad input. What the commands share -
the argument types, the data options, the one-line error - is in :mod:`.options`; this
module only dispatches.

Never imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

import numpy as np

from .. import __version__
from ..data import CSVError
from ..formats import ModelFileError
from .explain import add_explain_command
from .options import (
    EXIT_CODES_HELP,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    ArgumentParser,
    HelpFormatter,
    UsageError,
    one_line,
)
from .train import add_train_command

#: One function per subcommand; adding a subcommand = writing one such function and
#: listing it here.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [
    add_train_command,
    add_explain_command,
]


def build_parser() -> ArgumentParser:
    """The ``backprop-lab`` parser with every command of :data:`COMMANDS`."""
    parser = ArgumentParser(
        prog=PROG,
        description="Backprop Lab: watch backpropagation train a multilayer perceptron. "
        f"Without a command, '{PROG}' opens the desktop app.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for add in COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``backprop-lab <command> ...``; returns the exit code (see the module docstring)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as e:  # --help, --version
            return e.code if isinstance(e.code, int) else (0 if e.code is None else EXIT_USAGE)
        with np.errstate(all="ignore"):
            return args.run(args)
    except (UsageError, CSVError, ModelFileError, ValueError) as e:
        print(f"{PROG}: error: {one_line(e)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


__all__ = ["COMMANDS", "UsageError", "build_parser", "main"]
