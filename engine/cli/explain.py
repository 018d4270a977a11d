"""``backprop-lab explain``: the chain-rule derivation of one weight's gradient, headless.

    backprop-lab explain --model FILE --data NAME|FILE.csv [--targets K]
                         [--sample I | --batch] --weight L,J,I | --bias L,J
                         [--loss ...] [--lr ...] [--optimizer ...] [--json] [--lang en|ja]

Layers L count from 1 (the first layer after the input); J and I are the indices of the
JSON model's ``weight[J][I]`` (from 0). The default output is the Markdown worked example
(the same as the GUI's "Export derivation..."), in English or Japanese (``--lang``);
``--json`` prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import replace

from .. import defaults
from ..chainrule import explain, to_markdown
from ..derivation_text import LANGS, language_from_environment
from ..limits import MAX_SEED
from ..losses import LOSSES, check_pairing, default_loss_for
from ..optimizers import OPTIMIZERS, Optimizer
from .options import (
    HelpFormatter,
    UsageError,
    add_data_arguments,
    check_targets,
    load_data,
    load_model_file,
    parse_lr,
    parse_seed,
    parse_whole,
    typed,
)


def parse_index(text: str, parts: int, what: str) -> tuple[int, ...]:
    """ "2,0,1" -> (2, 0, 1): the layer from 1, the indices from 0."""
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) != parts:
        raise ValueError(f"{what} needs {parts} comma-separated whole numbers, got {text!r}")
    layer = parse_whole(pieces[0], 1, "a layer number >= 1")
    return (layer, *(parse_whole(p, 0, "an index >= 0") for p in pieces[1:]))


def add_explain_command(subparsers) -> None:
    """``backprop-lab explain``."""
    p = subparsers.add_parser(
        "explain",
        help="derive one weight's gradient by the chain rule, with the numbers filled in",
        description=__doc__.split("\n\n", 2)[2].strip(),
        formatter_class=HelpFormatter,
    )
    p.add_argument("--model", required=True, metavar="FILE", help="a .json/.npz/.safetensors model")
    add_data_arguments(p)
    p.add_argument(
        "--seed",
        type=typed("seed", parse_seed),
        default=defaults.DATA_SEED,
        help=f"data seed, 0..{MAX_SEED} (default {defaults.DATA_SEED})",
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--sample",
        metavar="I",
        type=typed("sample", lambda s: parse_whole(s, 0, "a sample index >= 0")),
        help="derive on training sample I alone (default: 0)",
    )
    which.add_argument(
        "--batch",
        action="store_true",
        help="derive on the whole training set as one batch (paths listed for --sample's "
        "sample, 0 by default; the gradient is the batch mean)",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--weight",
        metavar="L,J,I",
        type=typed("weight", lambda s: parse_index(s, 3, "--weight")),
        help="layer L (from 1), weight[J][I] of that layer (from 0)",
    )
    target.add_argument(
        "--bias",
        metavar="L,J",
        type=typed("bias", lambda s: parse_index(s, 2, "--bias")),
        help="layer L (from 1), bias[J] (from 0)",
    )
    p.add_argument(
        "--loss",
        choices=LOSSES,
        help="default: it follows the data and fits the output (as for train)",
    )
    p.add_argument("--optimizer", choices=OPTIMIZERS, default=defaults.OPTIMIZER)
    p.add_argument(
        "--lr",
        type=typed("lr", parse_lr),
        default=defaults.LEARNING_RATE,
        help=f"default {defaults.LEARNING_RATE}",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--lang",
        choices=LANGS,
        help="the language of the Markdown derivation (default: the system's, from "
        "LC_ALL / LC_MESSAGES / LANG: ja... gives ja, anything else en); --json's keys "
        "are the same in every language",
    )
    p.set_defaults(run=run_explain, val_split=0.0)


def run_explain(args: argparse.Namespace) -> int:
    """Print the derivation the options ask for (Markdown, or JSON with --json); returns 0.
    Raises UsageError (or ValueError, ModelFileError, CSVError) for bad input."""
    net = load_model_file(args.model)
    data = load_data(args)
    arch = net.architecture
    loss = args.loss or default_loss_for(data, arch.output_activation)
    check_pairing(loss, arch.output_activation)
    check_targets(data, arch.output_activation, loss)
    t = data.targets(loss, "train")
    if data.input_size != arch.input_size or t.shape[1] != arch.layers[-1].units:
        raise UsageError(
            f"the data has {data.input_size} inputs and {t.shape[1]} targets but the model "
            f"is {arch.describe()}"
        )
    x = data.x.astype(net.dtype)
    sample = 0 if args.sample is None else args.sample
    if sample >= len(x):
        raise UsageError(f"--sample {sample} is out of range: the data has {len(x)} rows")
    if not args.batch:
        x, t, sample_in_batch = x[sample : sample + 1], t[sample : sample + 1], 0
    else:
        sample_in_batch = sample
    if args.weight is not None:
        layer, row, col = args.weight
    else:
        (layer, row), col = args.bias, None
    d = explain(
        net, x, t, loss, layer, row, col, Optimizer(args.optimizer, args.lr),
        sample=sample_in_batch,
    )  # fmt: skip
    d = replace(d, sample=sample)  # the training row's number, not its place in x
    if args.json:
        json.dump(d.to_dict(), sys.stdout, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        lang = args.lang or language_from_environment(os.environ)
        sys.stdout.write(to_markdown(d, arch.describe(), lang))
    return 0


__all__ = ["add_explain_command", "parse_index", "run_explain"]
