"""engine.cli (``backprop-lab train``): convergence, exit codes, one-line errors, exports,
--model round trips, CSV input, the progress bar; a few runs as real subprocesses.
No Qt anywhere."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine import Architecture, cli, init_network, predict
from backprop_lab.engine.formats import load_model, save_model

ROOT = Path(__file__).resolve().parents[2]

XOR_FAST = ["--data", "xor", "--layers", "8,8", "--optimizer", "adam", "--lr", "0.05"]
XOR_FAST += ["--batch-size", "full", "--steps", "500"]
DIVERGE = ["--data", "sine", "--activation", "relu", "--output-activation", "identity"]
DIVERGE += ["--loss", "mse", "--lr", "1e6", "--steps", "200"]
BCE = ["--loss", "bce"]


def run(capsys, *argv: str) -> tuple[int, dict, str]:
    """(exit code, the summary as {key: value} ("wrote": list), stderr) of an in-process run."""
    code = cli.main(["train", *argv])
    out, err = capsys.readouterr()
    return code, parse_summary(out), err


def parse_summary(out: str) -> dict:
    summary: dict = {"wrote": []}
    for line in out.splitlines():
        key, sep, value = line.partition(":")
        assert sep, f"not a 'key: value' line: {line!r}"
        if key == "wrote":
            summary["wrote"].append(value.strip())
        else:
            summary[key] = value.strip()
    return summary


def percent(text: str) -> float:
    return float(text.rstrip("%")) / 100


def assert_one_error_line(err: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-lab: error: "), err
    assert "Traceback" not in err


def subprocess_run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "backprop_lab.engine", *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


# ---------------------------------------------------------------- convergence


@pytest.mark.parametrize("seed", ["0", "1", "2"])
def test_xor_converges(capsys, seed):
    code, s, err = run(capsys, *XOR_FAST, "--seed", seed)
    assert code == 0, err
    assert err == ""
    assert percent(s["train accuracy"]) > 0.95
    assert s["steps"].startswith("500 ")
    assert s["network"].startswith("2 -> 8 tanh -> 8 tanh -> 1 sigmoid")
    assert "loss bce" in s["training"]


@pytest.mark.parametrize("seed", ["0", "1"])
def test_circles_converges(capsys, seed):
    code, s, err = run(
        capsys,
        *["--data", "circles", "--layers", "8,8", "--optimizer", "adam", "--lr", "0.05"],
        *["--batch-size", "full", "--steps", "1000", "--seed", seed],
    )
    assert code == 0, err
    assert percent(s["train accuracy"]) > 0.95
    assert percent(s["val accuracy"]) > 0.9


def test_circles_converges_with_plain_sgd(capsys):
    code, s, err = run(
        capsys,
        *["--data", "circles", "--layers", "8,8", "--optimizer", "sgd", "--lr", "0.5"],
        *["--batch-size", "full", "--steps", "3000"],
    )
    assert code == 0, err
    assert percent(s["train accuracy"]) > 0.95


def test_regression_has_no_accuracy(capsys):
    code, s, _ = run(capsys, "--data", "sine", "--steps", "50", "--quiet")
    assert code == 0
    assert s["network"].startswith("1 -> 8 tanh -> 8 tanh -> 1 identity")
    assert "loss mse" in s["training"]
    assert "train accuracy" not in s and "val accuracy" not in s
    assert float(s["train loss"]) >= 0


def test_three_classes_default_to_softmax_and_ce(capsys):
    code, s, _ = run(capsys, "--data", "spiral3", "--steps", "20")
    assert code == 0
    assert s["network"].startswith("2 -> 8 tanh -> 8 tanh -> 3 softmax")
    assert "loss ce" in s["training"]
    assert "train accuracy" in s


def test_loss_alone_picks_the_output_activation(capsys):
    code, s, _ = run(capsys, "--data", "xor", "--loss", "ce", "--steps", "5")
    assert code == 0
    assert s["network"].endswith("2 softmax (114 parameters, float64)")
    code, s, _ = run(capsys, "--data", "spiral3", "--loss", "mse", "--steps", "5")
    assert code == 0
    assert "3 sigmoid" in s["network"]


def test_architecture_options(capsys):
    code, s, _ = run(
        capsys,
        *["--data", "plane", "--layers", "", "--no-bias", "--init", "he", "--dtype", "float32"],
        *["--optimizer", "momentum", "--lr", "0.01", "--l2", "0.001", "--l1", "0.001"],
        *["--steps", "10", "--samples", "50", "--noise", "0", "--standardize"],
    )
    assert code == 0
    assert s["network"] == "2 -> 1 identity (no bias) (2 parameters, float32)"
    assert s["data"] == "plane (40 training rows, 10 validation rows)"
    assert s["training"] == "loss mse, momentum lr 0.01, batch size 32"


# ---------------------------------------------------------------- exit code 2


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A valid xor model, a bad CSV, a non-model JSON, a truncated model, an .onnx file."""
    tmp_path = tmp_path_factory.mktemp("files")
    net = init_network(Architecture.build(2, [8, 8], 1, "tanh", "sigmoid"), "xavier", 0)
    xor = tmp_path / "xor.json"
    save_model(net, xor)
    onnx = tmp_path / "xor.onnx"
    save_model(net, onnx)
    (tmp_path / "sub.json").mkdir()
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("a,b\n1,2\n3,x\n")
    garbage = tmp_path / "garbage.json"
    garbage.write_text('{"hello": 1}')
    truncated = tmp_path / "truncated.json"
    truncated.write_text(xor.read_text()[:100])
    return {
        "xor": str(xor),
        "bad_csv": str(bad_csv),
        "garbage": str(garbage),
        "truncated": str(truncated),
        "onnx": str(onnx),
        "dir": str(tmp_path),
        "missing": str(tmp_path / "missing.csv"),
    }


USAGE_CASES = {
    # argparse's own errors
    "unknown option": ["--bogus"],
    "unknown activation": ["--activation", "softmax"],
    "unknown loss": ["--loss", "hinge"],
    "steps and epochs": ["--steps", "10", "--epochs", "2"],
    "negative steps": ["--steps", "-1"],
    "steps not a number": ["--steps", "ten"],
    "batch size 0": ["--batch-size", "0"],
    "val split 1": ["--val-split", "1"],
    "val split negative": ["--val-split", "-0.1"],
    "negative l2": ["--l2", "-1"],
    "too few samples": ["--samples", "2"],
    # impossible architecture
    "width 0": ["--layers", "8,0"],
    "width 5000": ["--layers", "5000"],
    "width not a number": ["--layers", "8,x"],
    "too many layers": ["--layers", ",".join(["1"] * 64)],
    # learning rate
    "lr 0": ["--lr", "0"],
    "lr negative": ["--lr", "-0.1"],
    "lr nan": ["--lr", "nan"],
    "lr inf": ["--lr", "inf"],
    "lr text": ["--lr", "fast"],
    # loss / output pairing
    "ce with sigmoid": ["--loss", "ce", "--output-activation", "sigmoid"],
    "bce with identity": ["--loss", "bce", "--output-activation", "identity"],
    "mse with softmax": ["--loss", "mse", "--output-activation", "softmax"],
    "ce on regression": ["--data", "sine", "--loss", "ce"],
    "bce on regression targets": ["--data", "sine", "--output-activation", "sigmoid", *BCE],
    # data
    "unknown data set": ["--data", "no-such-set"],
    "missing csv": ["--data", "{missing}"],
    "invalid csv": ["--data", "{bad_csv}"],
    "a folder as data": ["--data", "{dir}"],
    "targets with a built-in set": ["--targets", "2"],
    "samples with a csv": ["--data", "{bad_csv}", "--samples", "10"],
    "too many targets": ["--data", "{bad_csv}", "--targets", "2"],
    # model
    "missing model": ["--model", "{dir}/nope.json"],
    "not a model": ["--model", "{garbage}"],
    "truncated model": ["--model", "{truncated}"],
    "onnx model": ["--model", "{onnx}"],
    "model with layers": ["--model", "{xor}", "--layers", "4"],
    "model with no-bias": ["--model", "{xor}", "--no-bias"],
    "model input width mismatch": ["--model", "{xor}", "--data", "sine"],
    "model output width mismatch": ["--model", "{xor}", "--data", "spiral3"],
    "model loss mismatch": ["--model", "{xor}", "--loss", "ce"],
    # exports
    "export unknown suffix": ["--export", "{dir}/w.txt"],
    "export missing folder": ["--export", "{dir}/no/such/folder/w.json"],
    "export to a folder": ["--export", "{dir}/sub.json/"],
}


@pytest.mark.parametrize("case", list(USAGE_CASES))
def test_bad_input_exits_2_with_one_line(capsys, files, case):
    (Path(files["dir"]) / "sub.json").mkdir(exist_ok=True)
    argv = [a.format(**files) for a in USAGE_CASES[case]]
    code = cli.main(
        ["train", "--steps", "5", *argv] if "--epochs" not in argv else ["train", *argv]
    )
    out, err = capsys.readouterr()
    assert code == 2, (case, out, err)
    assert out == ""
    assert_one_error_line(err)


def test_usage_errors_outside_train(capsys):
    for argv in ([], ["explode"], ["--bogus"], ["train", "extra"]):
        assert cli.main(argv) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert_one_error_line(err)


def test_error_messages_say_what_is_wrong(capsys, files):
    cli.main(["train", "--lr", "0"])
    assert "learning rate" in capsys.readouterr().err
    cli.main(["train", "--layers", "5000"])
    assert "4096" in capsys.readouterr().err
    cli.main(["train", "--data", files["bad_csv"]])
    assert "bad.csv, row 3" in capsys.readouterr().err
    cli.main(["train", "--model", files["xor"], "--data", "sine"])
    assert "input" in capsys.readouterr().err


def test_nothing_is_exported_on_bad_input(capsys, tmp_path):
    out = tmp_path / "w.json"
    assert cli.main(["train", "--lr", "0", "--export", str(out)]) == 2
    assert cli.main(["train", "--layers", "0", "--export", str(out)]) == 2
    assert not out.exists()


def test_help_and_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "backprop-lab 0.1.0"
    assert cli.main(["train", "--help"]) == 0
    text = capsys.readouterr().out
    for option in ("--data", "--model", "--layers", "--export", "--epochs", "exit codes"):
        assert option in text


# ---------------------------------------------------------------- divergence: exit code 3


def test_divergence_exits_3_and_exports_last_finite_weights(capsys, tmp_path):
    paths = [tmp_path / "d.json", tmp_path / "d.npz"]
    code, s, err = run(capsys, *DIVERGE, *(a for p in paths for a in ("--export", str(p))))
    assert code == 3
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert "diverged at step" in lines[0] and "layer" in lines[0]
    assert "diverged at step" in s["steps"]
    assert s["wrote"] == [str(p) for p in paths]
    nets = [load_model(p) for p in paths]
    assert all(net.all_finite() for net in nets)
    assert nets[0].equals(nets[1])


def test_divergence_of_the_loss(capsys, tmp_path):
    out = tmp_path / "p.json"
    code, _, err = run(
        capsys,
        # (relu on plane grows its weights beyond engine.limits.MAX_WEIGHT first: a
        # divergence of the weights, tested below; sigmoid on sine overflows the loss)
        *["--data", "sine", "--activation", "sigmoid", "--loss", "mse", "--lr", "1e6"],
        *["--export", str(out)],
    )
    assert code == 3
    assert "diverged at step" in err and "loss" in err
    assert load_model(out).all_finite()


# ---------------------------------------------------------------- exports and --model


def test_export_all_four_formats_in_one_run(capsys, tmp_path):
    paths = [tmp_path / f"m{suffix}" for suffix in (".json", ".npz", ".safetensors", ".onnx")]
    code, s, _ = run(capsys, *XOR_FAST, *(a for p in paths for a in ("--export", str(p))))
    assert code == 0
    assert s["wrote"] == [str(p) for p in paths]
    nets = [load_model(p) for p in paths[:3]]
    assert nets[0].equals(nets[1]) and nets[0].equals(nets[2])

    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(str(paths[3]), providers=["CPUExecutionProvider"])
    x = np.array([[0.5, 0.5], [0.5, -0.5], [-0.5, 0.5], [-0.5, -0.5]], np.float32)
    (y,) = session.run(None, {session.get_inputs()[0].name: x})
    np.testing.assert_allclose(y, predict(nets[0], x.astype(np.float64)), atol=1e-5)
    assert ((y[:, 0] > 0.5) == np.array([False, True, True, False])).all()


def test_export_write_failure_exits_1(capsys, tmp_path, monkeypatch):
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    real_save = cli.train.save_model

    def save(net, path):
        if Path(path) == bad:
            raise OSError(28, "No space left on device")
        real_save(net, path)

    monkeypatch.setattr(cli.train, "save_model", save)
    code, s, err = run(capsys, "--steps", "3", "--export", str(bad), "--export", str(good))
    assert code == 1
    assert s["wrote"] == [str(good)]
    assert_one_error_line(err)
    assert "bad.json" in err


def test_model_round_trip(capsys, tmp_path):
    first, same, second = tmp_path / "a.json", tmp_path / "b.npz", tmp_path / "c.json"
    code, s1, _ = run(
        capsys,
        *["--layers", "5,3", "--activation", "relu", "--no-bias", "--optimizer", "adam"],
        *["--lr", "0.05", "--steps", "200", "--export", str(first)],
    )
    assert code == 0
    # zero steps: the model passes through unchanged
    code, s0, _ = run(capsys, "--model", str(first), "--steps", "0", "--export", str(same))
    assert code == 0
    assert load_model(same).equals(load_model(first))
    assert s0["train loss"] == s1["train loss"]
    # more training: same architecture, new weights, a loss no worse
    code, s2, _ = run(
        capsys,
        *["--model", str(first), "--optimizer", "adam", "--lr", "0.01", "--steps", "200"],
        *["--export", str(second)],
    )
    assert code == 0
    a, c = load_model(first), load_model(second)
    assert c.architecture == a.architecture
    assert a.architecture.describe() == "2 -> 5 relu -> 3 relu -> 1 sigmoid (no bias)"
    assert s2["network"] == s1["network"]
    assert not c.equals(a)
    assert float(s2["train loss"]) <= float(s1["train loss"])


def test_model_dtype_is_kept_or_converted(capsys, tmp_path):
    f32 = tmp_path / "f32.npz"
    assert cli.main(["train", "--dtype", "float32", "--steps", "2", "--export", str(f32)]) == 0
    capsys.readouterr()
    code, s, _ = run(capsys, "--model", str(f32), "--steps", "2")
    assert code == 0 and s["network"].endswith("float32)")
    code, s, _ = run(capsys, "--model", str(f32), "--steps", "2", "--dtype", "float64")
    assert code == 0 and s["network"].endswith("float64)")


# ---------------------------------------------------------------- CSV, splits, length


def test_csv_with_targets(capsys, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (60, 3))
    t = np.stack([x[:, 0] + x[:, 1], x[:, 2] - x[:, 0]], axis=1)
    path = tmp_path / "two_targets.csv"
    rows = ["a,b,c,y1,y2"] + [",".join(f"{v:.6f}" for v in row) for row in np.hstack([x, t])]
    path.write_text("\n".join(rows) + "\n")
    code, s, err = run(
        capsys,
        *["--data", str(path), "--targets", "2", "--standardize", "--val-split", "0.25"],
        *["--optimizer", "adam", "--lr", "0.02", "--steps", "300", "--batch-size", "full"],
    )
    assert code == 0, err
    assert s["network"].startswith("3 -> 8 tanh -> 8 tanh -> 2 identity")
    assert s["data"] == "two_targets (45 training rows, 15 validation rows)"
    assert "train accuracy" not in s
    assert float(s["train loss"]) < 0.05


def test_standardize_refuses_a_one_row_csv(capsys, tmp_path):
    path = tmp_path / "one_row.csv"
    path.write_text("x1,x2,t1,t2\n0.05,0.10,0.01,0.99\n")
    code, _, err = run(capsys, "--data", str(path), "--targets", "2", "--standardize")
    assert code == 2
    assert err.startswith("backprop-lab: error: one_row.csv: cannot standardise input column")
    assert "'x1' (column 1)" in err and err.count("\n") == 1


def test_csv_classes_default_to_softmax(capsys, tmp_path):
    path = tmp_path / "classes.csv"
    rows = [f"{i % 7 - 3},{i % 5 - 2},{i % 3}" for i in range(30)]
    path.write_text("\n".join(rows) + "\n")
    code, s, err = run(capsys, "--data", str(path), "--steps", "5")
    assert code == 0, err
    assert s["network"].startswith("2 -> 8 tanh -> 8 tanh -> 3 softmax")
    assert "train accuracy" in s


def test_val_split_zero(capsys):
    code, s, _ = run(capsys, "--val-split", "0", "--steps", "5")
    assert code == 0
    assert s["data"] == "circles (200 training rows, 0 validation rows)"
    assert s["val loss"] == "- (no validation rows)"
    assert "val accuracy" not in s
    assert "train accuracy" in s


def test_epochs(capsys):
    # 200 samples, 160 training rows, batch 32 -> 5 steps per epoch
    code, s, _ = run(capsys, "--epochs", "3")
    assert code == 0
    assert s["steps"] == "15 (epoch 3)"
    code, s, _ = run(capsys, "--epochs", "4", "--batch-size", "full")
    assert s["steps"] == "4 (epoch 4)"
    code, s, _ = run(capsys)
    assert s["steps"].startswith("1000 ")


# ---------------------------------------------------------------- progress bar, Ctrl-C


class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_bar_when_stderr_is_not_a_tty(capsys):
    code, _, err = run(capsys, "--steps", "300")
    assert code == 0
    assert err == ""


def test_progress_bar_on_a_tty(monkeypatch, capsys):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert cli.main(["train", "--steps", "300"]) == 0
    text = tty.getvalue()
    assert "300/300 steps" in text and "epoch" in text and "loss" in text
    assert text.startswith("\r") and text.endswith("\r\x1b[K")  # cleared at the end
    assert "\n" not in text


def test_quiet_hides_the_progress_bar(monkeypatch, capsys):
    tty = FakeTTY()
    monkeypatch.setattr(sys, "stderr", tty)
    assert cli.main(["train", "--steps", "300", "--quiet"]) == 0
    assert tty.getvalue() == ""
    assert "train loss" in capsys.readouterr().out


def test_progress_bar_is_throttled():
    class Rec:
        def __init__(self, step):
            self.step, self.epoch = step, 1
            self.loss = type("L", (), {"value": 0.5})()

    tty = FakeTTY()
    bar = cli.report.ProgressBar(tty, 10_000, interval=3600)
    for step in range(1, 10_001):
        bar(Rec(step))
    bar.close()
    assert tty.getvalue().count("\r[") == 2  # the first step and the last one


def test_ctrl_c_exits_130_and_writes_nothing(capsys, tmp_path, monkeypatch):
    def interrupted(self, steps, callback=None):
        self.step_count = 7
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.train.Trainer, "run", interrupted)
    out = tmp_path / "w.json"
    code = cli.main(["train", "--export", str(out)])
    stdout, err = capsys.readouterr()
    assert code == 130
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []
    assert stdout == ""
    assert err.strip() == "backprop-lab: interrupted at step 7; nothing written"


# ---------------------------------------------------------------- gui.main delegation


def test_gui_main_delegates_to_the_cli(capsys):
    from backprop_lab.gui import main as gui_main

    assert gui_main.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "backprop-lab 0.1.0"
    assert gui_main.main(["train", "--lr", "0"]) == 2
    assert_one_error_line(capsys.readouterr().err)


def test_gui_main_without_an_app(capsys, monkeypatch):
    from backprop_lab.gui import main as gui_main

    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(gui_main.importlib, "import_module", missing)
    assert gui_main.main([]) == 1
    assert "the desktop app is not built yet" in capsys.readouterr().err

    def broken(name):
        raise ModuleNotFoundError("No module named 'PySide6'", name="PySide6")

    monkeypatch.setattr(gui_main.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        gui_main.main([])


# ---------------------------------------------------------------- real processes


def test_subprocess_bad_input_exit_2():
    proc = subprocess_run("train", "--lr", "-1")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_error_line(proc.stderr)
    proc = subprocess_run("train", "--steps", "3", "--epochs", "3")
    assert proc.returncode == 2
    assert_one_error_line(proc.stderr)


def test_subprocess_missing_files_exit_2(tmp_path):
    for argv in (["--data", "nope.csv"], ["--model", "nope.json"]):
        proc = subprocess_run("train", *argv, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert_one_error_line(proc.stderr)


def test_subprocess_divergence_exit_3(tmp_path):
    out = tmp_path / "d.json"
    proc = subprocess_run("train", *DIVERGE, "--export", str(out))
    assert proc.returncode == 3
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "diverged at step" in lines[0]
    assert load_model(out).all_finite()
    assert parse_summary(proc.stdout)["wrote"] == [str(out)]


def test_subprocess_gui_main_does_not_import_qt():
    code = (
        "import sys\n"
        "from backprop_lab.gui.main import main\n"
        "assert main(['--version']) == 0\n"
        "assert main(['train', '--steps', '2', '--quiet']) == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
        "'pyqtgraph')]\n"
        "assert not bad, bad\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_subprocess_ctrl_c_exits_130_and_writes_nothing(tmp_path):
    out = tmp_path / "w.json"
    code = (
        "import signal, sys\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"  # even if inherited ignored
        "from backprop_lab.engine.cli import main\n"
        "print('ready', flush=True)\n"
        f"sys.exit(main(['train', '--steps', '100000000', '--export', {str(out)!r}]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    with subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        assert proc.stdout.readline() == "ready\n"
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert stdout == ""
    assert stderr.startswith("backprop-lab: interrupted") and len(stderr.splitlines()) == 1
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []
