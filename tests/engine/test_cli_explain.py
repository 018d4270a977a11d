"""backprop-lab explain: the documented JSON keys, the Markdown default, exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from backprop_lab.engine import Architecture, init_network
from backprop_lab.engine.cli import main
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.formats import save_model
from backprop_lab.engine.gradcheck import numerical_gradient

KEYS = {
    "loss", "weight", "gradient", "numeric_gradient", "relative_error", "path_count",
    "paths", "sum_of_paths", "new_weight",
}  # fmt: skip


@pytest.fixture
def model(tmp_path):
    net = init_network(Architecture.build(2, [4, 3], 1, "tanh", "sigmoid"), "xavier", 7)
    path = tmp_path / "m.json"
    save_model(net, path)
    return net, path


def test_json_has_the_documented_keys_and_true_numbers(model, capsys):
    net, path = model
    code = main(["explain", "--model", str(path), "--data", "circles", "--sample", "3",
                 "--weight", "1,2,1", "--lr", "0.5", "--json"])  # fmt: skip
    assert code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc.keys() >= KEYS
    assert doc["path_count"] == 3 == len(doc["paths"])
    for p in doc["paths"]:
        assert {"factors", "product"} <= p.keys()
        assert all(set(f) == {"symbol", "value"} for f in p["factors"])
        assert p["product"] == pytest.approx(np.prod([f["value"] for f in p["factors"]]))
    assert doc["sum_of_paths"] == pytest.approx(sum(p["product"] for p in doc["paths"]))
    # independent truth: central differences on that one sample
    d = make_dataset("circles", seed=0, val_split=0.0)
    x, t = d.x[3:4], d.targets("bce")[3:4]
    num = numerical_gradient(net, x, t, "bce", 0, (2, 1), h=1e-6)
    assert doc["gradient"] == pytest.approx(num, rel=1e-6)
    assert doc["weight"] == net.weights[0][2, 1]
    assert doc["new_weight"] == pytest.approx(doc["weight"] - 0.5 * doc["gradient"], rel=1e-12)


def test_batch_and_bias(model, capsys):
    _, path = model
    assert main(["explain", "--model", str(path), "--data", "circles", "--batch",
                 "--bias", "2,1", "--json"]) == 0  # fmt: skip
    doc = json.loads(capsys.readouterr().out)
    assert doc["kind"] == "bias" and doc["batch_size"] == 200
    assert doc["sum_of_paths"] == pytest.approx(doc["gradient"], rel=1e-12)


def test_markdown_by_default(model, capsys):
    _, path = model
    assert main(["explain", "--model", str(path), "--data", "circles", "--weight", "3,0,2"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# dL/dw(3)_0,2") and "## 5. Numerical check" in md


def test_markdown_names_the_sample_asked_for(model, capsys):
    _, path = model
    base = ["explain", "--model", str(path), "--data", "circles", "--weight", "1,2,1"]
    assert main([*base, "--sample", "3"]) == 0
    md = capsys.readouterr().out
    assert "one training sample (sample 3)" in md
    assert "Sum over the paths of sample 3:" in md and "for sample 3" in md
    assert "sample 0" not in md
    assert main([*base, "--sample", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sample"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ["--weight", "9,0,0"],
        ["--weight", "1,7,0"],
        ["--weight", "1,0"],
        ["--weight", "a,b,c"],
        ["--weight", "1,0,0", "--bias", "1,0"],
        ["--weight", "1,0,0", "--sample", "100000"],
        ["--weight", "1,0,0", "--lr", "-1"],
        ["--weight", "1,0,0", "--loss", "ce"],
        ["--weight", "1,0,0", "--data", "sine"],
        [],
    ],
)
def test_bad_arguments_exit_2_with_one_line(model, args, capsys):
    _, path = model
    code = main(["explain", "--model", str(path), "--data", "circles", *args])
    captured = capsys.readouterr()
    assert code == 2
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("backprop-lab: error:")
    assert "Traceback" not in captured.err


def test_subprocess_exit_codes(model, tmp_path):
    _, path = model
    ok = subprocess.run(
        [sys.executable, "-m", "backprop_lab.engine", "explain", "--model", str(path),
         "--data", "circles", "--weight", "2,0,0", "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert ok.returncode == 0 and json.loads(ok.stdout)["path_count"] == 1
    bad = subprocess.run(
        [sys.executable, "-m", "backprop_lab.engine", "explain",
         "--model", str(tmp_path / "nope.json"), "--weight", "1,0,0"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
