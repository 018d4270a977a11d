"""engine.limits: one set of ranges for every value of a training run, used by the
optimiser, the trainer, the data, the command line and every file reader - a file is
refused on open when it carries a value the window could not show or training could
not survive (issue 13: adam beta1 = 1, step = 2**63 - 1, weights of 1e308, ...)."""

from __future__ import annotations

import numpy as np
import pytest
from backprop_lab.engine import cli, limits
from backprop_lab.engine.data import Dataset, make_dataset
from backprop_lab.engine.formats import ModelFileError
from backprop_lab.engine.formats.session import load_session, save_session
from backprop_lab.engine.optimizers import Optimizer
from backprop_lab.engine.trainer import TrainerState

from .test_session import (
    _network,
    _set,
    builtin_trainer,
    good_file,
    make_session,
    npy,
    rejected,
    rewrite,
)

BIG = 2**63 - 1


# ---------------------------------------------------------------- the checks themselves


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"beta1": 1.0}, r"beta1 must be at least 0 and below 1, got 1.0"),
        ({"beta2": 2}, r"beta2 must be at least 0 and below 1, got 2"),
        ({"momentum": -0.1}, "momentum"),
        ({"momentum": float("nan")}, "momentum must be a finite number"),
        ({"eps": 0.0}, r"eps must be above 0 and at most 1"),
        ({"lr": 1e300}, r"learning rate must be at least 1e-06 and at most 1e\+06"),
        ({"lr": 1e-7}, "learning rate"),
    ],
)
def test_optimizer_refuses_values_outside_the_ranges(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Optimizer("adam", **{"lr": 0.1, **kwargs})


def test_optimizer_accepts_the_ends_of_the_ranges():
    Optimizer("adam", limits.LEARNING_RATE[0], beta1=0.0, beta2=np.nextafter(1, 0), eps=1.0)
    Optimizer("momentum", limits.LEARNING_RATE[1], momentum=0.0)


def test_trainer_refuses_counters_beyond_the_limit():
    trainer, _ = builtin_trainer()
    trainer.run(2)
    state = trainer.get_state()
    fields = {"step": "iteration", "epoch": "epoch"}
    for field, word in fields.items():
        bad = TrainerState(**{**state.__dict__, field: BIG})
        with pytest.raises(ValueError, match=word):
            trainer.set_state(bad)
    opt = state.optimizer_state._replace(t=BIG)
    with pytest.raises(ValueError, match="update count"):
        trainer.set_state(TrainerState(**{**state.__dict__, "optimizer_state": opt}))
    assert trainer.get_state().step == 2  # nothing changed


def test_data_beyond_the_limit_is_refused():
    ds = make_dataset("circles", 40, 0.1, 0, 0.25)
    for field in ("x", "t", "x_val", "t_val"):
        a = np.array(getattr(ds, field))
        a[0, 0] = 1e308
        args = {k: getattr(ds, k) for k in Dataset.__dataclass_fields__} | {field: a}
        with pytest.raises(ValueError, match=r"data's .* a value of 1e\+308: .* at most 1e\+150"):
            Dataset(**args)


@pytest.mark.parametrize(
    "argv, match",
    [
        (["--lr", "1e300"], r"learning rate must be at least 1e-06 and at most 1e\+06"),
        (["--batch-size", str(2**31 - 1)], "batch size must be between 1 and 100,000"),
        (["--l2", "11"], "at most 10"),
        (["--noise", "5"], "noise must be at least 0 and at most 2"),
        (["--seed", str(2**31)], "seed must be between 0 and 2,147,483,647"),
    ],
)
def test_cli_uses_the_same_ranges(capsys, argv, match):
    assert cli.main(["train", "--steps", "1", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert __import__("re").search(match, err), err


def test_explain_takes_the_same_seed_range(capsys, tmp_path):
    """explain's --seed read any whole number while train's and the window's stop at
    MAX_SEED (explain used parse_whole, not options.parse_seed)."""
    model = tmp_path / "m.json"
    assert cli.main(["train", "--steps", "1", "--export", str(model)]) == 0
    capsys.readouterr()
    argv = ["explain", "--model", str(model), "--weight", "1,0,0", "--seed", str(2**31)]
    assert cli.main(argv) == 2
    assert "seed must be between 0 and 2,147,483,647" in capsys.readouterr().err


# ---------------------------------------------------------------- session files

DOC_CASES = [
    (_set("training", "optimizer", "beta1", 1.0), "optimizer beta1 must be at least 0 and below 1"),
    (_set("training", "optimizer", "beta2", 2), "optimizer beta2 must be at least 0 and below 1"),
    (_set("training", "optimizer", "momentum", 1.5), "optimizer momentum"),
    (_set("training", "optimizer", "eps", 0), "optimizer eps must be above 0"),
    (_set("training", "optimizer", "lr", 1e300), r"optimizer lr must be .* at most 1e\+06"),
    (_set("training", "batch_size", 2**31 - 1), "batch_size must be between 1 and 100,000"),
    (_set("training", "l2", 1e9), "l2 must be at least 0 and at most 10"),
    (_set("training", "train_seed", 2**40), "train_seed must be between 0 and"),
    (_set("training", "init_seed", 2**31), "init_seed"),
    (_set("state", "step", BIG), "step must be between 0 and 9,007,199,254,740,992"),
    (_set("state", "epoch", BIG), "epoch must be between"),
    (_set("state", "optimizer_t", BIG), "optimizer_t must be between"),
    (_set("data", "noise", 5.0), "data noise must be at least 0 and at most 2"),
    (_set("data", "seed", -1), "data seed must be between 0 and"),
]


@pytest.mark.parametrize("mutate, match", DOC_CASES)
def test_values_outside_the_windows_ranges_are_refused(tmp_path, mutate, match):
    rejected(rewrite(good_file(tmp_path), tmp_path / "bad.bplab", doc=mutate), match)


def _huge(a):
    a = a.copy()
    a[1] = 1e308
    return a


def test_huge_weights_are_refused(tmp_path):
    good = good_file(tmp_path)
    members = {"network.npy": _network(_huge)}
    rejected(
        rewrite(good, tmp_path / "w.bplab", members=members),
        r"the network has a value of 1e\+308: values must be at most 1e\+154",
    )


def test_huge_csv_data_and_empty_training_data_are_refused(tmp_path):
    good = good_file(tmp_path, csv=True)
    huge = {"data.x.npy": _network(lambda a: np.where(a == a.max(), 1e308, a))}
    rejected(rewrite(good, tmp_path / "d.bplab", members=huge), r"inputs .* at most 1e\+150")
    empty = {
        "data.x.npy": _network(lambda a: a[:0]),
        "data.t.npy": _network(lambda a: a[:0]),
        "data.labels.npy": _network(lambda a: a[:0]),
        "order.npy": None,
    }
    path = rewrite(good, tmp_path / "e.bplab", members=empty, doc=_set("state", "order", False))
    rejected(path, "no training rows")


def _with_curve(x: float):
    def mutate(d):
        d["history"] = [*d["history"], "train-recent"]

    members = {"history.train-recent.npy": npy(np.array([[1.0, 0.5], [x, 0.4]]))}
    return mutate, members


@pytest.mark.parametrize("x", [1e306, -3.0, float("inf")])
def test_curve_x_values_must_be_iterations(tmp_path, x):
    mutate, members = _with_curve(x)
    path = rewrite(good_file(tmp_path), tmp_path / "h.bplab", doc=mutate, members=members)
    rejected(path, "history train-recent: x values must be")


def test_sessions_beyond_the_limits_are_not_saved(tmp_path):
    """What save_session writes always loads: the same checks refuse to write it."""
    trainer, data = builtin_trainer()
    trainer.run(3)
    session = make_session(trainer, data, history={"train-recent": np.array([[1e306, 0.1]])})
    with pytest.raises(ModelFileError, match="x values must be"):
        save_session(tmp_path / "s.bplab", session)
    session = make_session(trainer, data)
    bad = type(session)(**{**session.__dict__, "optimizer": {**session.optimizer, "beta1": 1.0}})
    with pytest.raises(ModelFileError, match="beta1"):
        save_session(tmp_path / "s.bplab", bad)
    assert not (tmp_path / "s.bplab").exists()
    save_session(tmp_path / "s.bplab", session)
    assert load_session(tmp_path / "s.bplab").trainer_state.step == 3
