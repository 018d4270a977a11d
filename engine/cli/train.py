"""``backprop-lab train``: train a network without the GUI, print the final losses and
accuracies to stdout and write the weights to the files named by ``--export``.

Exit codes: see :mod:`engine.cli` (0 success, 1 an export failed, 2 bad input, 3
diverged, 130 interrupted). Never imports Qt.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import defaults
from ..activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from ..data import Dataset
from ..formats import ModelFileError, format_of, save_model
from ..limits import BATCH_SIZE, LEARNING_RATE, MAX_SEED, PENALTY
from ..losses import LOSSES, check_pairing, default_loss_for, default_output
from ..network import DTYPES, INITS, Architecture, Network, init_network
from ..optimizers import OPTIMIZERS, Optimizer
from ..trainer import Trainer, TrainingConfig, TrainingDiverged
from .options import (
    EXIT_CODES_HELP,
    EXIT_DIVERGED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_WRITE_FAILED,
    PROG,
    HelpFormatter,
    UsageError,
    add_data_arguments,
    check_targets,
    load_data,
    load_model_file,
    one_line,
    parse_batch_size,
    parse_layers,
    parse_lr,
    parse_penalty,
    parse_seed,
    parse_val_split,
    parse_whole,
    typed,
)
from .report import ProgressBar, isatty, print_summary

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
        type=typed("val_split", parse_val_split),
        default=defaults.VAL_SPLIT,
        help="share of the rows held out for validation, 0..0.9; 0 = none "
        f"(default: {defaults.VAL_SPLIT})",
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
        type=typed("layers", parse_layers),
        help="hidden-layer widths, e.g. 8,8; '' = no hidden layer (default: "
        + ",".join(map(str, defaults.HIDDEN_LAYERS))
        + ")",
    )
    n.add_argument(
        "--activation",
        choices=HIDDEN_ACTIVATIONS,
        help=f"hidden-layer activation (default: {defaults.HIDDEN_ACTIVATION})",
    )
    n.add_argument(
        "--output-activation",
        choices=OUTPUT_ACTIVATIONS,
        help="output-layer activation (default: sigmoid for two classes or 0/1 targets, "
        "softmax for more classes, identity for any other targets; with only --loss given: "
        "the one that fits the loss)",
    )
    n.add_argument("--no-bias", action="store_true", help="no biases (as in the article)")
    n.add_argument(
        "--init", choices=INITS, help=f"weight initialisation (default: {defaults.INIT})"
    )
    n.add_argument(
        "--dtype",
        choices=tuple(DTYPES),
        help="floating-point precision (default: float64, or the model file's)",
    )

    t = p.add_argument_group("training")
    t.add_argument(
        "--loss",
        choices=LOSSES,
        help="mse, bce (sigmoid outputs) or ce (softmax outputs) (default: it follows the "
        "data - class labels (0/1 targets, or one column of class numbers) give bce on a "
        "sigmoid output and ce on a softmax output, any other targets mse)",
    )
    t.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        default=defaults.OPTIMIZER,
        help=f"(default: {defaults.OPTIMIZER})",
    )
    t.add_argument(
        "--lr",
        metavar="ETA",
        type=typed("lr", parse_lr),
        default=defaults.LEARNING_RATE,
        help=f"learning rate, {LEARNING_RATE[0]:g}..{LEARNING_RATE[1]:g} "
        f"(default: {defaults.LEARNING_RATE})",
    )
    t.add_argument(
        "--batch-size",
        metavar="N|full",
        type=typed("batch_size", parse_batch_size),
        default=defaults.BATCH_SIZE,
        help=f"samples per step, 1..{BATCH_SIZE[1]:,}, or 'full' for every training row "
        f"(default: {defaults.BATCH_SIZE})",
    )
    length = t.add_mutually_exclusive_group()
    length.add_argument(
        "--steps",
        metavar="N",
        type=typed("steps", lambda s: parse_whole(s, 0, "a whole number >= 0")),
        help=f"number of update steps (default: {defaults.STEPS})",
    )
    length.add_argument(
        "--epochs",
        metavar="N",
        type=typed("epochs", lambda s: parse_whole(s, 0, "a whole number >= 0")),
        help="number of passes over the training rows (instead of --steps)",
    )
    t.add_argument(
        "--seed",
        metavar="N",
        type=typed("seed", parse_seed),
        default=defaults.TRAIN_SEED,
        help=f"seed for the data, the initial weights and the batch order, 0..{MAX_SEED} "
        f"(default: {defaults.TRAIN_SEED})",
    )
    t.add_argument(
        "--l2",
        metavar="F",
        type=typed("l2", parse_penalty),
        default=defaults.L2,
        help=f"L2 regularisation rate, 0..{PENALTY[1]:g} (default: {defaults.L2:g})",
    )
    t.add_argument(
        "--l1",
        metavar="F",
        type=typed("l1", parse_penalty),
        default=defaults.L1,
        help=f"L1 regularisation rate, 0..{PENALTY[1]:g} (default: {defaults.L1:g})",
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
        net = load_model_file(args.model)
        if args.dtype is not None:
            net = net.astype(DTYPES[args.dtype])
        arch = net.architecture
        loss = args.loss or default_loss_for(data, arch.output_activation)
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
    out_act = args.output_activation or default_output(data, args.loss)[0]
    loss = args.loss or default_loss_for(data, out_act)
    check_pairing(loss, out_act)
    try:
        arch = Architecture.build(
            data.input_size,
            defaults.HIDDEN_LAYERS if args.layers is None else args.layers,
            data.output_size(loss),
            args.activation or defaults.HIDDEN_ACTIVATION,
            out_act,
            defaults.BIAS and not args.no_bias,
        )
    except ValueError as e:
        raise UsageError(f"impossible network: {one_line(e)}") from None
    try:
        net = init_network(arch, args.init or defaults.INIT, args.seed, args.dtype or "float64")
    except MemoryError:
        raise UsageError(
            f"not enough memory for a network of {arch.parameter_count:,} parameters"
        ) from None
    return net, loss


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


def run_train(args: argparse.Namespace) -> int:
    out, err = sys.stdout, sys.stderr
    # ---- everything that can be wrong with the input is found before training
    check_exports(args.export)
    data = load_data(args)
    net, loss = build_network(args, data)
    check_targets(data, net.architecture.output_activation, loss)
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
        steps = defaults.STEPS if args.steps is None else args.steps

    # ---- training
    bar = ProgressBar(err, steps) if steps and not args.quiet and isatty(err) else None
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
