"""The headless command line: ``backprop-lab train ...`` (also
``python -m backprop_lab.engine train ...``).

Trains a network on a built-in data set or a CSV file without any GUI, prints the final
losses and accuracies to stdout and writes the weights to the files named by ``--export``.

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

Subcommands: each one is a single function ``add_<name>_command(subparsers)`` listed in
:data:`COMMANDS`; it adds its subparser and sets ``run=<function(args) -> int>`` as a
default. Its ``run`` raises :class:`UsageError` (or ValueError) for bad input.

Never imports Qt.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

import numpy as np

from . import __version__
from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .data import BUILTIN_DATASETS, CSVError, Dataset, load_csv, make_dataset
from .data.builtin import MAX_SAMPLES, MIN_SAMPLES
from .data.dataset import check_val_split
from .formats import ModelFileError, format_of, load_model, save_model
from .losses import LOSSES, check_pairing, default_loss
from .network import DTYPES, INITS, MAX_UNITS, Architecture, Network, init_network
from .optimizers import OPTIMIZERS, Optimizer, check_learning_rate
from .trainer import Trainer, TrainingConfig, TrainingDiverged

PROG = "backprop-lab"

EXIT_OK = 0
EXIT_WRITE_FAILED = 1
EXIT_USAGE = 2
EXIT_DIVERGED = 3
EXIT_INTERRUPTED = 130

DEFAULT_DATA = "xor"
DEFAULT_SAMPLES = 200
DEFAULT_NOISE = 0.1
DEFAULT_LAYERS = (8, 8)
DEFAULT_ACTIVATION = "tanh"
DEFAULT_INIT = "xavier"
DEFAULT_STEPS = 1000
PROGRESS_INTERVAL = 0.1  # seconds between progress-bar redraws (at most ~10 per second)


class UsageError(Exception):
    """Bad input. :func:`main` prints ``backprop-lab: error: <message>`` on one line and
    returns 2."""


def one_line(text: object) -> str:
    return " ".join(str(text).split())


class HelpFormatter(argparse.HelpFormatter):
    """Wraps plain paragraphs; keeps text that is laid out by hand (has line breaks)."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class ArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (no usage block) and do not exit:
    :meth:`error` raises :class:`UsageError`, which :func:`main` turns into exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------- argument types


def _type(name: str, parse: Callable[[str], object]) -> Callable[[str], object]:
    """An argparse type whose ValueError message is kept (argparse would replace it)."""

    def convert(text: str) -> object:
        try:
            return parse(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(one_line(e)) from None

    convert.__name__ = name
    return convert


def _whole(text: str, low: int | None = None, what: str = "a whole number") -> int:
    try:
        value = int(text.strip(), 10)
    except ValueError:
        raise ValueError(f"expected {what}, got {text!r}") from None
    if low is not None and value < low:
        raise ValueError(f"expected {what}, got {value}")
    return value


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None


def _rate(text: str) -> float:
    value = _float(text)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"expected a finite number >= 0, got {text!r}")
    return value


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
    n = _whole(text)
    if not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise ValueError(f"expected a whole number from {MIN_SAMPLES} to {MAX_SAMPLES}, got {n}")
    return n


def parse_batch_size(text: str) -> int | None:
    """A whole number >= 1, or "full" (None: every training row in every step)."""
    if text.strip().lower() == "full":
        return None
    return _whole(text, 1, "a whole number >= 1 or 'full'")


def parse_lr(text: str) -> float:
    return check_learning_rate(_float(text))


def parse_val_split(text: str) -> float:
    return check_val_split(_float(text))


# ---------------------------------------------------------------- the parser

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

TRAIN_EPILOG = (
    """\
examples:
  backprop-lab train --data xor --layers 8,8 --optimizer adam --lr 0.05 --export xor.json
  backprop-lab train --data spiral3 --layers 32,32 --epochs 500 --export s3.safetensors
  backprop-lab train --data measurements.csv --targets 2 --standardize --val-split 0.25
  backprop-lab train --data xor --model xor.json --steps 500 --export xor2.json

"""
    + EXIT_CODES_HELP
)


def add_data_arguments(p: argparse.ArgumentParser):
    """--data, --targets, --samples, --noise, --standardize: the data options every
    command that reads a data set shares. Returns the argument group."""
    d = p.add_argument_group("data")
    d.add_argument(
        "--data",
        metavar="NAME|FILE.csv",
        default=DEFAULT_DATA,
        help=f"a built-in data set ({', '.join(BUILTIN_DATASETS)}) or a CSV file of numbers "
        f"(default: {DEFAULT_DATA}); a built-in name wins, write ./NAME for a file of that name",
    )
    d.add_argument(
        "--targets",
        metavar="K",
        type=_type("targets", lambda s: _whole(s, 1, "a whole number >= 1")),
        help="CSV only: the last K columns are targets (default: 1). One target column of "
        "class numbers 0, 1, 2, ... makes a classification",
    )
    d.add_argument(
        "--samples",
        metavar="N",
        type=_type("samples", parse_samples),
        help=f"built-in data sets only: number of samples, {MIN_SAMPLES}..{MAX_SAMPLES} "
        f"(default: {DEFAULT_SAMPLES})",
    )
    d.add_argument(
        "--noise",
        metavar="F",
        type=_type("noise", _rate),
        help=f"built-in data sets only: noise standard deviation (default: {DEFAULT_NOISE})",
    )
    d.add_argument(
        "--standardize",
        action="store_true",
        help="scale every input column to mean 0 and standard deviation 1 (statistics of the "
        "training rows)",
    )
    return d


def add_train_command(subparsers) -> None:
    """``backprop-lab train``."""
    p = subparsers.add_parser(
        "train",
        help="train a network without the GUI and export its weights",
        description=(
            "Train a multilayer perceptron on a built-in data set or a CSV file, print the "
            "final training and validation loss (and accuracy for classification), and "
            "write the weights to the files named by --export."
        ),
        epilog=TRAIN_EPILOG,
        formatter_class=HelpFormatter,
    )
    d = add_data_arguments(p)
    d.add_argument(
        "--val-split",
        metavar="F",
        type=_type("val_split", parse_val_split),
        default=0.2,
        help="share of the rows held out for validation, 0..0.9; 0 = none (default: 0.2)",
    )

    n = p.add_argument_group(
        "network",
        "Either build a new network (the options below) or start from --model; the "
        "architecture options cannot be combined with --model (exit code 2).",
    )
    n.add_argument(
        "--model",
        metavar="FILE",
        help="start from a saved model (.json, .npz, .safetensors): architecture and weights",
    )
    n.add_argument(
        "--layers",
        metavar="W,W,...",
        type=_type("layers", parse_layers),
        help="hidden-layer widths, e.g. 8,8; '' = no hidden layer (default: "
        + ",".join(map(str, DEFAULT_LAYERS))
        + ")",
    )
    n.add_argument(
        "--activation",
        choices=HIDDEN_ACTIVATIONS,
        help=f"hidden-layer activation (default: {DEFAULT_ACTIVATION})",
    )
    n.add_argument(
        "--output-activation",
        choices=OUTPUT_ACTIVATIONS,
        help="output-layer activation (default: sigmoid for two classes, softmax for more, "
        "identity for regression; with only --loss given: the one that fits the loss)",
    )
    n.add_argument("--no-bias", action="store_true", help="no biases (as in the article)")
    n.add_argument("--init", choices=INITS, help=f"weight initialisation (default: {DEFAULT_INIT})")
    n.add_argument(
        "--dtype",
        choices=tuple(DTYPES),
        help="floating-point precision (default: float64, or the model file's)",
    )

    t = p.add_argument_group("training")
    t.add_argument(
        "--loss",
        choices=LOSSES,
        help="mse, bce (sigmoid outputs) or ce (softmax outputs) (default: the one that fits "
        "the output activation: bce for sigmoid, ce for softmax, mse otherwise)",
    )
    t.add_argument("--optimizer", choices=OPTIMIZERS, default="sgd", help="(default: sgd)")
    t.add_argument(
        "--lr",
        metavar="ETA",
        type=_type("lr", parse_lr),
        default=0.1,
        help="learning rate, a finite number > 0 (default: 0.1)",
    )
    t.add_argument(
        "--batch-size",
        metavar="N|full",
        type=_type("batch_size", parse_batch_size),
        default=32,
        help="samples per step, or 'full' for every training row (default: 32)",
    )
    length = t.add_mutually_exclusive_group()
    length.add_argument(
        "--steps",
        metavar="N",
        type=_type("steps", lambda s: _whole(s, 0, "a whole number >= 0")),
        help=f"number of update steps (default: {DEFAULT_STEPS})",
    )
    length.add_argument(
        "--epochs",
        metavar="N",
        type=_type("epochs", lambda s: _whole(s, 0, "a whole number >= 0")),
        help="number of passes over the training rows (instead of --steps)",
    )
    t.add_argument(
        "--seed",
        metavar="N",
        type=_type("seed", _whole),
        default=0,
        help="seed for the data, the initial weights and the batch order (default: 0)",
    )
    t.add_argument(
        "--l2",
        metavar="F",
        type=_type("l2", _rate),
        default=0.0,
        help="L2 regularisation rate (default: 0)",
    )
    t.add_argument(
        "--l1",
        metavar="F",
        type=_type("l1", _rate),
        default=0.0,
        help="L1 regularisation rate (default: 0)",
    )

    o = p.add_argument_group("output")
    o.add_argument(
        "--export",
        metavar="PATH",
        action="append",
        default=[],
        help="write the trained weights; the format follows the suffix: .json, .npz, "
        ".safetensors or .onnx (repeatable)",
    )
    o.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar (the results are still printed; errors still go to stderr)",
    )
    p.set_defaults(run=run_train)


#: One function per subcommand; adding a subcommand = writing one such function and
#: listing it here.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = [add_train_command]


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(
        prog=PROG,
        description="Backprop Lab: watch backpropagation train a multilayer perceptron. "
        f"Without a command, '{PROG}' opens the desktop app.",
        epilog=EXIT_CODES_HELP,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    from .cli_explain import add_explain_command  # imports this module: added here

    for add in (*COMMANDS, add_explain_command):
        add(sub)
    return parser


# ---------------------------------------------------------------- train


def load_data(args: argparse.Namespace) -> Dataset:
    """The data set named by --data (built-in name or CSV path)."""
    name = args.data
    if name.strip().lower() in BUILTIN_DATASETS:
        if args.targets is not None:
            raise UsageError(f"--targets applies to CSV files only, not to the built-in {name!r}")
        data = make_dataset(
            name,
            DEFAULT_SAMPLES if args.samples is None else args.samples,
            DEFAULT_NOISE if args.noise is None else args.noise,
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
        1 if args.targets is None else args.targets,
        args.val_split,
        args.seed,
        args.standardize,
    )


def default_output_activation(data: Dataset, loss: str | None) -> str:
    """sigmoid for two classes, softmax for more, identity for regression - or, when only
    the loss is given, the activation that fits it."""
    if loss == "ce":
        return "softmax"
    if loss == "bce":
        return "sigmoid"
    if data.task == "regression":
        return "identity"
    if data.n_classes <= 2:
        return "sigmoid"
    return "sigmoid" if loss == "mse" else "softmax"


def _load_model(path: str) -> Network:
    try:
        return load_model(path)
    except OSError as e:
        raise UsageError(f"cannot read the model file {path!r}: {e.strerror or e}") from None


def build_network(args: argparse.Namespace, data: Dataset) -> tuple[Network, str]:
    """(the starting network, the loss name), from --model or the architecture options."""
    if args.model is not None:
        given = [
            opt
            for opt, value in (
                ("--layers", args.layers),
                ("--activation", args.activation),
                ("--output-activation", args.output_activation),
                ("--no-bias", True if args.no_bias else None),
                ("--init", args.init),
            )
            if value is not None
        ]
        if given:
            raise UsageError(
                f"{', '.join(given)} cannot be combined with --model (the architecture comes "
                "from the model file)"
            )
        net = _load_model(args.model)
        if args.dtype is not None:
            net = net.astype(DTYPES[args.dtype])
        arch = net.architecture
        loss = args.loss or default_loss(arch.output_activation)
        check_pairing(loss, arch.output_activation)
        outputs = data.output_size(loss)
        if arch.input_size != data.input_size:
            raise UsageError(
                f"the model expects {arch.input_size} input column(s) but the data set "
                f"{data.name!r} has {data.input_size}"
            )
        if arch.layers[-1].units != outputs:
            raise UsageError(
                f"the model has {arch.layers[-1].units} output(s) but training with loss "
                f"{loss!r} on {data.name!r} needs {outputs}"
            )
        return net, loss
    out_act = args.output_activation or default_output_activation(data, args.loss)
    loss = args.loss or default_loss(out_act)
    check_pairing(loss, out_act)
    try:
        arch = Architecture.build(
            data.input_size,
            DEFAULT_LAYERS if args.layers is None else args.layers,
            data.output_size(loss),
            args.activation or DEFAULT_ACTIVATION,
            out_act,
            not args.no_bias,
        )
    except ValueError as e:
        raise UsageError(f"impossible network: {one_line(e)}") from None
    try:
        net = init_network(arch, args.init or DEFAULT_INIT, args.seed, args.dtype or "float64")
    except MemoryError:
        raise UsageError(
            f"not enough memory for a network of {arch.parameter_count:,} parameters"
        ) from None
    return net, loss


def check_targets(data: Dataset, loss: str) -> None:
    if loss == "bce":
        t = data.targets(loss)
        if t.size and (t.min() < 0 or t.max() > 1):
            raise UsageError(
                f"loss 'bce' needs targets between 0 and 1, but {data.name!r} has targets "
                f"from {t.min():g} to {t.max():g}; use --loss mse"
            )


def check_exports(paths: Sequence[str]) -> None:
    """Refuse, before any training, exports that cannot work."""
    for p in paths:
        suffix = format_of(p)  # ModelFileError for an unknown suffix
        target = Path(p)
        if target.is_dir():
            raise UsageError(f"--export {p!r} is a folder, not a file")
        if not target.parent.is_dir():
            raise UsageError(f"--export {p!r}: the folder {str(target.parent)!r} does not exist")
        if suffix == ".onnx" and importlib.util.find_spec("onnx") is None:
            raise UsageError("--export to .onnx needs the 'onnx' package (pip install onnx)")


class ProgressBar:
    """A one-line progress bar on a terminal: step, epoch and the last batch's loss,
    redrawn at most every ``interval`` seconds."""

    def __init__(self, stream: TextIO, total: int, interval: float = PROGRESS_INTERVAL):
        self.stream, self.total, self.interval = stream, total, interval
        self._next = 0.0
        self._shown = False

    def __call__(self, rec) -> None:
        now = time.monotonic()
        if now >= self._next or rec.step == self.total:
            self._next = now + self.interval
            self.draw(rec.step, rec.epoch, rec.loss.value)

    def draw(self, step: int, epoch: int, loss: float) -> None:
        columns = shutil.get_terminal_size((80, 24)).columns
        text = f" {step:>{len(str(self.total))}}/{self.total} steps  epoch {epoch}  loss {loss:.4g}"
        width = max(10, min(30, columns - 60))  # steady: not tied to the text's length
        filled = width * step // max(self.total, 1)
        line = f"[{'#' * filled}{'-' * (width - filled)}]{text}"
        self.stream.write("\r" + line[: max(columns - 1, 1)] + "\x1b[K")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _fmt_loss(value: float) -> str:
    return f"{value:.6g}"


def print_summary(
    out: TextIO,
    trainer: Trainer,
    data: Dataset,
    diverged: TrainingDiverged | None,
    written: Sequence[str],
) -> None:
    net, c = trainer.network, trainer.config
    arch = net.architecture
    batch = "full batch" if c.batch_size is None else f"batch size {trainer.batch_size}"
    rows = f"{len(data.x)} training rows, {len(data.x_val)} validation rows"
    steps = f"{trainer.step_count} (epoch {trainer.epoch})"
    if diverged is not None:
        steps += f", diverged at step {diverged.step}"
    lines = [
        ("network", f"{arch.describe()} ({arch.parameter_count} parameters, {net.dtype})"),
        ("data", f"{data.name} ({rows})"),
        ("training", f"loss {c.loss}, {c.optimizer.name} lr {c.optimizer.lr:g}, {batch}"),
        ("steps", steps),
    ]
    for split, label in (("train", "train"), ("val", "val")):
        loss, acc = trainer.evaluate(split)
        if split == "val" and trainer.x_val is None:
            lines.append((f"{label} loss", "- (no validation rows)"))
            continue
        lines.append((f"{label} loss", _fmt_loss(loss)))
        if acc is not None:
            lines.append((f"{label} accuracy", f"{acc:.2%}"))
    lines += [("wrote", p) for p in written]
    for key, value in lines:
        print(f"{key + ':':<16}{value}", file=out)


def run_train(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    # ---- everything that can be wrong with the input is found before training
    check_exports(args.export)
    data = load_data(args)
    net, loss = build_network(args, data)
    check_targets(data, loss)
    config = TrainingConfig(
        loss, Optimizer(args.optimizer, args.lr), args.batch_size, args.l2, args.l1, args.seed
    )
    trainer = Trainer(
        net,
        data.x,
        data.targets(loss, "train"),
        config,
        data.x_val,
        data.targets(loss, "val"),
    )
    if args.epochs is not None:
        steps = args.epochs * trainer.steps_per_epoch
    else:
        steps = DEFAULT_STEPS if args.steps is None else args.steps

    # ---- training
    bar = ProgressBar(err, steps) if steps and not args.quiet and _isatty(err) else None
    diverged: TrainingDiverged | None = None
    try:
        trainer.run(steps, bar)
    except TrainingDiverged as e:
        diverged = e
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()  # before the message, on the bar's line
        print(f"{PROG}: interrupted at step {trainer.step_count}; nothing written", file=err)
        return EXIT_INTERRUPTED
    finally:
        if bar is not None:
            bar.close()

    # ---- results (after divergence: the last finite network)
    written, failed = [], []
    for path in args.export:
        try:
            save_model(trainer.network, path)
        except KeyboardInterrupt:
            done = f"; complete: {', '.join(written)}" if written else "; nothing written"
            print(f"{PROG}: interrupted while writing {path!r}{done}", file=err)
            return EXIT_INTERRUPTED
        except (OSError, ModelFileError) as e:
            failed.append(f"cannot write {path!r}: {one_line(e)}")
        else:
            written.append(path)
    print_summary(out, trainer, data, diverged, written)
    out.flush()
    for message in failed:
        print(f"{PROG}: error: {message}", file=err)
    if diverged is not None:
        print(f"{PROG}: {one_line(diverged)}", file=err)
    if failed:  # the promised file is missing: that outranks a divergence
        return EXIT_WRITE_FAILED
    return EXIT_OK if diverged is None else EXIT_DIVERGED


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------- entry point


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


if __name__ == "__main__":
    sys.exit(main())
