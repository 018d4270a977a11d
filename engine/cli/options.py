"""What every ``backprop-lab`` command shares: the one-line error, the parser that raises
it, the argument types, the data options and the files they name.

Every argument type is a plain function ``parse_...(text) -> value`` that raises
ValueError with a readable message; :func:`typed` turns one into an argparse type that
keeps that message. Never imports Qt.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

from .. import defaults, limits
from ..data import BUILTIN_DATASETS, Dataset, load_csv, make_dataset
from ..data.builtin import MAX_SAMPLES, MIN_SAMPLES
from ..data.dataset import check_val_split
from ..formats import load_model
from ..losses import loss_problem
from ..network import MAX_UNITS, Network
from ..optimizers import check_learning_rate

PROG = "backprop-lab"

EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    a file named by --export could not be written
  2    bad input (usage, data or model file, architecture, learning rate, loss); one line
       "backprop-lab: error: ..." on stderr
  3    training diverged (NaN/infinity); the --export files still hold the last finite
       weights
  130  interrupted (Ctrl-C); nothing is written
"""


class UsageError(Exception):
    """Bad input. :func:`engine.cli.main` prints ``backprop-lab: error: <message>`` on one
    line and returns 2."""


def one_line(text: object) -> str:
    """``text`` as one line: every run of whitespace (newlines included) becomes a space."""
    return " ".join(str(text).split())


class HelpFormatter(argparse.HelpFormatter):
    """Wraps plain paragraphs; keeps text that is laid out by hand (has line breaks)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) and do not exit:
    :meth:`error` raises :class:`UsageError`, which the entry point turns into exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------- argument types


def typed(name: str, parse: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type calling ``parse`` whose ValueError message is kept (argparse would
    replace it with "invalid <name> value"); ``name`` is the type's name in messages."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(one_line(e)) from None

    convert.__name__ = name
    return convert


def parse_whole(text: str, low: int | None = None, what: str = "a whole number") -> int:
    """A base-10 whole number >= ``low`` (no bound when None); ValueError saying it
    expected ``what`` otherwise."""
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise ValueError(f"expected {what}, got {text!r}") from None
    if low is not None and value < low:
        raise ValueError(f"expected {what}, got {value}")
    return value


def parse_number(text: str) -> float:
    """Any float, as Python spells it (nan and inf included)."""
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None


def parse_rate(text: str) -> float:
    """A finite number >= 0."""
    value = parse_number(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"expected a finite number >= 0, got {text!r}")
    return value


def parse_penalty(text: str) -> float:
    """An L2 or L1 rate in the window's range (:data:`engine.limits.PENALTY`)."""
    return limits.check_penalty(parse_rate(text), "the rate")


def parse_noise(text: str) -> float:
    """A built-in data set's noise in the window's range (:data:`engine.limits.NOISE`)."""
    return limits.check_noise(parse_rate(text))


def parse_seed(text: str) -> int:
    """A seed in the window's range, 0..:data:`engine.limits.MAX_SEED`."""
    return limits.check_seed(parse_whole(text), "the seed")


def parse_layers(text: str) -> tuple[int, ...]:
    """Hidden widths: "8,8" -> (8, 8); "" or "none" -> () (no hidden layer)."""
    stripped = text.strip()
    if stripped.lower() in ("", "none"):
        return ()
    widths = []
    for n, part in enumerate(stripped.split(","), start=1):
        try:
            w = int(part.strip(), 10)
        except ValueError:
            raise ValueError(
                f"expected hidden-layer widths separated by commas such as 8,8 "
                f"(or '' for no hidden layer), got {text!r}"
            ) from None
        if not 1 <= w <= MAX_UNITS:
            raise ValueError(f"hidden layer {n} width must be between 1 and {MAX_UNITS}, got {w}")
        widths.append(w)
    return tuple(widths)


def parse_samples(text: str) -> int:
    """A number of samples for a built-in data set, MIN_SAMPLES..MAX_SAMPLES."""
    n = parse_whole(text)
    if not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise ValueError(f"expected a whole number from {MIN_SAMPLES} to {MAX_SAMPLES}, got {n}")
    return n


def parse_batch_size(text: str) -> int | None:
    """A whole number in the window's range (:data:`engine.limits.BATCH_SIZE`), or
    "full" (None: every training row in every step)."""
    if text.strip().lower() == "full":
        return None
    return limits.check_batch_size(parse_whole(text, 1, "a whole number >= 1 or 'full'"))


def parse_lr(text: str) -> float:
    """A learning rate in the window's range (:data:`engine.limits.LEARNING_RATE`)."""
    return check_learning_rate(parse_number(text))


def parse_val_split(text: str) -> float:
    """The share of rows held out for validation, 0..0.9."""
    return check_val_split(parse_number(text))


# ---------------------------------------------------------------- data and model files


def add_data_arguments(p: argparse.ArgumentParser):
    """--data, --targets, --samples, --noise, --standardize: the data options every
    command that reads a data set shares. Returns the argument group."""
    d = p.add_argument_group("data")
    d.add_argument(
        "--data",
        metavar="NAME|FILE.csv",
        default=defaults.DATA,
        help=f"a built-in data set ({', '.join(BUILTIN_DATASETS)}) or a CSV file of numbers "
        f"(default: {defaults.DATA}); a built-in name wins, write ./NAME for a file of that name",
    )
    d.add_argument(
        "--targets",
        metavar="K",
        type=typed("targets", lambda s: parse_whole(s, 1, "a whole number >= 1")),
        help=f"CSV only: the last K columns are targets (default: {defaults.CSV_TARGETS}). "
        "One target column of "
        "class numbers 0, 1, 2, ... makes a classification",
    )
    d.add_argument(
        "--samples",
        metavar="N",
        type=typed("samples", parse_samples),
        help=f"built-in data sets only: number of samples, {MIN_SAMPLES}..{MAX_SAMPLES} "
        f"(default: {defaults.SAMPLES})",
    )
    d.add_argument(
        "--noise",
        metavar="F",
        type=typed("noise", parse_noise),
        help=f"built-in data sets only: noise standard deviation, {limits.NOISE[0]:g}.."
        f"{limits.NOISE[1]:g} (default: {defaults.NOISE})",
    )
    d.add_argument(
        "--standardize",
        action="store_true",
        default=defaults.STANDARDIZE,
        help="scale every input column to mean 0 and standard deviation 1 (statistics of the "
        "training rows; a column with the same value in every training row is refused). "
        "Default: off, the inputs as written",
    )
    return d


def load_data(args: argparse.Namespace) -> Dataset:
    """The data set named by --data (built-in name or CSV path), from the options of
    :func:`add_data_arguments` plus ``args.seed`` and ``args.val_split``."""
    name = args.data
    if name.strip().lower() in BUILTIN_DATASETS:
        if args.targets is not None:
            raise UsageError(f"--targets applies to CSV files only, not to the built-in {name!r}")
        data = make_dataset(
            name,
            defaults.SAMPLES if args.samples is None else args.samples,
            defaults.NOISE if args.noise is None else args.noise,
            args.seed,
            args.val_split,
        )
        return data.standardized() if args.standardize else data
    given = [o for o, v in (("--samples", args.samples), ("--noise", args.noise)) if v is not None]
    if given:
        verb = "applies" if len(given) == 1 else "apply"
        raise UsageError(f"{' and '.join(given)} {verb} to built-in data sets only, not to a file")
    path = Path(name)
    if not path.exists() and path.suffix.lower() != ".csv":
        raise UsageError(
            f"--data {name!r} is neither a built-in data set ({', '.join(BUILTIN_DATASETS)}) "
            "nor an existing file"
        )
    return load_csv(
        path,
        defaults.CSV_TARGETS if args.targets is None else args.targets,
        args.val_split,
        args.seed,
        args.standardize,
    )


def load_model_file(path: str) -> Network:
    """The network saved at ``path`` (--model); UsageError when it cannot be read
    (ModelFileError, from ``engine.formats``, when it is not a valid model)."""
    try:
        return load_model(path)
    except OSError as e:
        raise UsageError(f"cannot read the model file {path!r}: {e.strerror or e}") from None


def check_targets(data: Dataset, output_activation: str, loss: str) -> None:
    """UsageError when ``loss`` on an ``output_activation`` output layer does not fit
    ``data`` (:func:`engine.losses.loss_problem`: e.g. bce on targets outside [0, 1])."""
    problem = loss_problem(data, output_activation, loss)
    if problem is not None:
        raise UsageError(problem + ("; use --loss mse" if loss == "bce" else ""))
