"""Session files (.bplab): bit-exact round trips, continuing training after reopening,
atomic writes, autosave rotation, and hostile or broken files refused quickly."""

from __future__ import annotations

import io
import json
import os
import struct
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig, init_network
from backprop_lab.engine.data import load_csv, make_dataset
from backprop_lab.engine.formats import ModelFileError
from backprop_lab.engine.formats import atomic as atomic_module
from backprop_lab.engine.formats.session import (
    PREVIOUS_NAME,
    Session,
    autosave_path,
    data_for_session,
    find_autosave,
    load_session,
    remove_autosave,
    restore_trainer,
    save_session,
    session_config,
    session_dataset,
    session_from_trainer,
    write_autosave,
)

MB = 1024 * 1024
OPTIMIZERS = ("sgd", "momentum", "adam")
BUILTIN = {
    "kind": "builtin", "name": "circles", "n": 200, "noise": 0.1, "seed": 3,
    "val_split": 0.2, "standardize": True,
}  # fmt: skip


def builtin_trainer(optimizer="adam", batch_size=32, dtype="float64") -> tuple[Trainer, dict]:
    """circles: 160 training rows, so 32-row batches make 5 steps an epoch."""
    ds = make_dataset("circles", 200, 0.1, 3, 0.2).standardized()
    arch = Architecture.build(2, [6, 5], 1, "tanh", "sigmoid")
    net = init_network(arch, "xavier", 1, dtype)
    config = TrainingConfig("bce", Optimizer(optimizer, 0.05), batch_size, 1e-4, 0.0, 7)
    trainer = Trainer(net, ds.x, ds.t, config, ds.x_val, ds.t_val)
    return trainer, data_for_session(ds, BUILTIN)


def write_csv(path: Path, rows=90, seed=0) -> Path:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, 3))
    labels = (x[:, 0] + x[:, 1] ** 2 > 0.5).astype(int) + (x[:, 2] > 1).astype(int)
    lines = ["a,b,c,kind"] + [
        ",".join(map(repr, map(float, r))) + f",{k}" for r, k in zip(x, labels, strict=True)
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def csv_trainer(tmp_path: Path, optimizer="adam") -> tuple[Trainer, tuple[dict, dict]]:
    path = write_csv(tmp_path / "points.csv")
    ds = load_csv(path, 1, 0.25, 5, standardize=True)  # 68 training rows
    arch = Architecture.build(3, [7], ds.n_classes, "relu", "softmax")
    config = TrainingConfig("ce", Optimizer(optimizer, 0.03), 16, 0.0, 1e-4, 11)
    trainer = Trainer(
        init_network(arch, "he", 2), ds.x, ds.targets("ce"), config, ds.x_val,
        ds.targets("ce", "val"),
    )  # fmt: skip
    recipe = {"kind": "csv", "path": str(path), "targets": 1, "val_split": 0.25, "seed": 5,
              "standardize": True}  # fmt: skip
    return trainer, data_for_session(ds, recipe)


HISTORY = {
    "steps": np.arange(1, 8, dtype=np.int64),
    "loss": np.array([0.9, 0.7, np.nan, 0.5, 0.4, 0.31, 0.3]),
    "grad_norms": np.arange(21, dtype=np.float64).reshape(7, 3) / 7,
}
SETTINGS = {"speed": 30.0, "view": {"heatmap": "weights", "layers": [1, 2]}, "sample": 4}


def make_session(trainer: Trainer, data, **kw) -> Session:
    kw.setdefault("history", HISTORY)
    kw.setdefault("settings", SETTINGS)
    return session_from_trainer(
        trainer, *data, init="xavier", init_seed=1, app_version="0.1.0", **kw
    )


def assert_same_session(a: Session, b: Session) -> None:
    sa, sb = a.trainer_state, b.trainer_state
    assert sb.network.equals(sa.network)
    assert sb.optimizer_state.t == sa.optimizer_state.t
    assert sb.optimizer_state.buffers.keys() == sa.optimizer_state.buffers.keys()
    for k, v in sa.optimizer_state.buffers.items():
        w = sb.optimizer_state.buffers[k]
        assert w.dtype == v.dtype and np.array_equal(w, v)
    assert (sb.step, sb.epoch, sb.cursor) == (sa.step, sa.epoch, sa.cursor)
    if sa.order is None:
        assert sb.order is None
    else:
        assert sb.order.dtype == np.int64 and np.array_equal(sb.order, sa.order)
    assert sb.rng_state == sa.rng_state
    assert b.history.keys() == a.history.keys()
    for k, v in a.history.items():
        assert b.history[k].dtype == v.dtype
        assert np.array_equal(b.history[k], v, equal_nan=True)
    assert b.data_arrays.keys() == a.data_arrays.keys()
    for k, v in a.data_arrays.items():
        assert np.array_equal(b.data_arrays[k], v)
    for name in ("loss", "optimizer", "batch_size", "l2", "l1", "train_seed", "init",
                 "init_seed", "dtype", "data", "settings", "app_version"):  # fmt: skip
        assert getattr(b, name) == getattr(a, name), name


# ================================================================ round trips


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_round_trip_is_bit_identical(tmp_path, optimizer):
    trainer, data = builtin_trainer(optimizer)
    trainer.run(7)  # mid-epoch: cursor 2 batches into the second epoch
    session = make_session(trainer, data)
    assert session.trainer_state.order is not None and session.trainer_state.cursor < 160
    save_session(tmp_path / "run.bplab", session)
    loaded = load_session(tmp_path / "run.bplab")
    assert_same_session(session, loaded)
    assert loaded.data_arrays == {}
    assert loaded.trainer_state.network.flat.flags.writeable is False


def test_round_trip_csv_float32_and_full_batch(tmp_path):
    trainer, data = csv_trainer(tmp_path, "momentum")
    trainer.run(3)
    session = make_session(trainer, data)
    save_session(tmp_path / "csv.bplab", session)
    assert_same_session(session, load_session(tmp_path / "csv.bplab"))

    trainer, data = builtin_trainer("adam", batch_size=None, dtype="float32")
    trainer.run(4)
    session = make_session(trainer, data, history={}, settings={})
    assert session.trainer_state.order is None
    save_session(tmp_path / "f32.bplab", session)
    loaded = load_session(tmp_path / "f32.bplab")
    assert_same_session(session, loaded)
    assert loaded.trainer_state.network.dtype == np.float32


def test_fresh_trainer_and_same_bytes_twice(tmp_path):
    trainer, data = builtin_trainer("sgd")
    session = make_session(trainer, data)  # before the first step: no order yet
    save_session(tmp_path / "a.bplab", session)
    save_session(tmp_path / "b.bplab", session)
    assert (tmp_path / "a.bplab").read_bytes() == (tmp_path / "b.bplab").read_bytes()
    assert_same_session(session, load_session(tmp_path / "a.bplab"))
    with zipfile.ZipFile(tmp_path / "a.bplab") as zf:
        doc = json.loads(zf.read("session.json"))
        assert (doc["format"], doc["version"]) == ("backprop-lab.session", 1)
        assert np.load(io.BytesIO(zf.read("network.npy"))).shape == (
            trainer.network.architecture.parameter_count,
        )


# ================================================================ continuing training


def losses(trainer: Trainer, steps: int) -> list[float]:
    return [trainer.step().loss.value for _ in range(steps)]


@pytest.mark.parametrize("source", ["builtin", "csv"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_continuing_after_reopening_matches_never_closing(tmp_path, source, optimizer):
    make = (lambda: builtin_trainer(optimizer)) if source == "builtin" else (
        lambda: csv_trainer(tmp_path, optimizer)
    )  # fmt: skip
    n, m = 7, 11  # stop mid-epoch, continue across epoch boundaries
    never_closed, _ = make()
    expected = losses(never_closed, n + m)

    first, data = make()
    assert losses(first, n) == expected[:n]
    save_session(tmp_path / "run.bplab", make_session(first, data))
    if source == "csv":
        (tmp_path / "points.csv").unlink()  # the rows travel inside the session
    loaded = load_session(tmp_path / "run.bplab")
    reopened = restore_trainer(loaded)
    assert losses(reopened, m) == expected[n:]
    assert reopened.network.equals(never_closed.network)
    for k, v in never_closed.state.buffers.items():
        assert np.array_equal(reopened.state.buffers[k], v)
    assert (reopened.step_count, reopened.epoch) == (never_closed.step_count, never_closed.epoch)


def test_rebuilding_the_trainer_by_hand(tmp_path):
    """What the GUI does: data from the recipe, a Trainer, then set_state."""
    never_closed, _ = builtin_trainer("momentum")
    expected = losses(never_closed, 12)
    first, data = builtin_trainer("momentum")
    losses(first, 8)
    save_session(tmp_path / "s.bplab", make_session(first, data))
    s = load_session(tmp_path / "s.bplab")
    ds = make_dataset(s.data["name"], s.data["n"], s.data["noise"], s.data["seed"],
                      s.data["val_split"]).standardized()  # fmt: skip
    assert np.array_equal(ds.x, session_dataset(s).x)
    trainer = Trainer(
        init_network(s.trainer_state.network.architecture, s.init, s.init_seed, s.dtype),
        ds.x, ds.t, session_config(s), ds.x_val, ds.t_val,
    )  # fmt: skip
    trainer.set_state(s.trainer_state)
    assert losses(trainer, 4) == expected[8:]


# ================================================================ refusing to save


def test_diverged_network_is_never_saved(tmp_path):
    trainer, data = builtin_trainer()
    session = make_session(trainer, data)
    save_session(tmp_path / "s.bplab", session)
    before = (tmp_path / "s.bplab").read_bytes()
    flat = trainer.network.flat.copy()
    flat[3] = np.nan
    net = type(trainer.network).from_flat(trainer.network.architecture, flat)
    state = session.trainer_state.__class__(**{**session.trainer_state.__dict__, "network": net})
    bad = Session(**{**session.__dict__, "trainer_state": state})
    with pytest.raises(ModelFileError, match="NaN or infinite"):
        save_session(tmp_path / "s.bplab", bad)
    assert (tmp_path / "s.bplab").read_bytes() == before
    with pytest.raises(ModelFileError):
        write_autosave(tmp_path / "auto", bad)
    assert not autosave_path(tmp_path / "auto").exists()


@pytest.mark.parametrize(
    "change, match",
    [
        ({"history": {"loss": np.zeros(3, np.float32)}}, "history.loss.npy: float32"),
        ({"history": {"bad name": np.zeros(3)}}, "history name"),
        ({"history": {"loss": [1.0, 2.0]}}, "expected a NumPy array"),
        ({"settings": {"f": float("nan")}}, "not a finite number|JSON cannot store"),
        ({"settings": {"obj": object()}}, "JSON"),
        ({"settings": {"big": "x" * 70_000}}, "settings"),
        ({"loss": "mse", "optimizer": {"name": "adam"}}, "optimizer: missing"),
        ({"data": {**BUILTIN, "name": "sine"}}, "inputs"),
        ({"data": {**BUILTIN, "kind": "csv"}}, "data_for_session"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_sessions_that_would_not_load_are_refused(tmp_path, change, match):
    trainer, data = builtin_trainer()
    trainer.run(2)
    session = make_session(trainer, data)
    bad = Session(**{**session.__dict__, **change})
    with pytest.raises(ModelFileError, match=match) as e:
        save_session(tmp_path / "s.bplab", bad)
    assert "\n" not in str(e.value)
    assert not (tmp_path / "s.bplab").exists()


def test_failed_replace_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    trainer, data = builtin_trainer()
    path = tmp_path / "s.bplab"
    save_session(path, make_session(trainer, data))
    before = path.read_bytes()
    trainer.run(3)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic_module.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        save_session(path, make_session(trainer, data))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.bplab"]


# ================================================================ autosave


def test_autosave_rotation_and_recovery(tmp_path, monkeypatch):
    folder = tmp_path / "app" / "data"
    assert find_autosave(folder) is None
    trainer, data = builtin_trainer()
    trainer.run(2)
    first = write_autosave(folder, make_session(trainer, data))
    assert first == autosave_path(folder) and first.parent == folder
    assert find_autosave(folder) == first
    trainer.run(3)
    write_autosave(folder, make_session(trainer, data))
    previous = folder / PREVIOUS_NAME
    assert load_session(previous).trainer_state.step == 2
    assert load_session(find_autosave(folder)).trainer_state.step == 5

    # a write that fails half-way: the previous autosave is still there and found
    monkeypatch.setattr(
        atomic_module.os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "I/O"))
    )
    trainer.run(1)
    with pytest.raises(OSError):
        write_autosave(folder, make_session(trainer, data))
    monkeypatch.undo()
    assert sorted(p.name for p in folder.iterdir()) == [PREVIOUS_NAME]
    assert load_session(find_autosave(folder)).trainer_state.step == 5

    # a broken newest autosave: the previous one is offered
    write_autosave(folder, make_session(trainer, data))
    autosave_path(folder).write_bytes(b"PK\x03\x04 broken")
    assert find_autosave(folder) == previous
    remove_autosave(folder)
    assert find_autosave(folder) is None and list(folder.iterdir()) == []


# ================================================================ hostile files


def good_file(tmp_path: Path, optimizer="adam", csv=False) -> Path:
    trainer, data = csv_trainer(tmp_path, optimizer) if csv else builtin_trainer(optimizer)
    trainer.run(7)
    path = tmp_path / "good.bplab"
    save_session(path, make_session(trainer, data))
    return path


def npy(a: np.ndarray, allow_pickle=False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, a, allow_pickle=allow_pickle)
    return buf.getvalue()


def rewrite(src: Path, dst: Path, doc=None, members=None, compress=zipfile.ZIP_STORED) -> Path:
    """Copy the archive ``src`` to ``dst``: ``doc(d)`` mutates session.json; ``members``
    maps a name to new bytes (a function of the old bytes, or None to drop it)."""
    members = members or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", compress) as zout:
        contents = {i.filename: zin.read(i) for i in zin.infolist()}
        for name in members:
            contents.setdefault(name, b"")
        for name, data in contents.items():
            if name == "session.json" and doc is not None:
                d = json.loads(data)
                doc(d)
                data = json.dumps(d).encode()
            if name in members:
                change = members[name]
                data = change(data) if callable(change) else change
                if data is None:
                    continue
            zout.writestr(name, data)
    return dst


def rejected(path: Path, match: str | None) -> str:
    """load_session(path) raises a one-line ModelFileError matching ``match``, allocating
    at most 4 MB + 3x the file size (match None: the file loads). How fast it refuses is
    timed by benchmarks/bench_file_checks.py, not here."""
    if match is None:
        load_session(path)
        return ""
    tracemalloc.start()
    try:
        with pytest.raises(ModelFileError, match=match) as e:
            load_session(path)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    size = path.stat().st_size if path.is_file() else 0
    assert peak < 4 * MB + 3 * size, f"allocated {peak / MB:.1f} MB"
    message = str(e.value)
    assert message.startswith(f"{path.name}: "), message
    assert "\n" not in message
    return message


def _set(*keys_value):
    *keys, value = keys_value

    def mutate(d):
        for k in keys[:-1]:
            d = d[k]
        d[keys[-1]] = value

    return mutate


def _network(a):
    return lambda old: npy(a(np.load(io.BytesIO(old))))


def _as(dtype):
    return lambda a: a.astype(dtype)


def _nan(a):
    a = a.copy()
    a[0] = np.nan
    return a


def _mutated_order(a):
    a = a.copy()
    a[0] = a[1]
    return a


DOC_CASES = [
    (_set("format", "backprop-lab.model"), "not a Backprop Lab session"),
    (_set("version", 2), "version 2 is not supported"),
    (_set("version", 1.0), "not supported"),
    (_set("version", True), "not supported"),
    (_set("extra", 1), "unknown key 'extra'"),
    (_set("model", "layers", 0, "units", 9), "network.npy: float64 array of shape"),
    (_set("model", "layers", 0, "activation", "gelu"), "activation"),
    (_set("training", "loss", "ce"), "loss 'ce' needs"),
    (_set("training", "loss", "mse"), None),  # also fits the sigmoid output: loads
    (_set("training", "optimizer", "name", "sgd"), "unexpected member 'optimizer.m.npy'"),
    (_set("training", "optimizer", "lr", -1), "lr"),
    (_set("training", "dtype", "float32"), "dtype"),
    (_set("training", "init_seed", -1), "init_seed"),
    (_set("state", "step", -1), "step"),
    (_set("state", "cursor", 10**6), "cursor"),
    (_set("state", "order", False), "unexpected member 'order.npy'"),
    (_set("state", "rng_state", "bit_generator", "MT19937"), "PCG64"),
    (_set("state", "rng_state", "state", "state", -5), "rng_state.state.state"),
    (_set("state", "rng_state", "state", "state", 2**130), "rng_state.state.state"),
    (_set("state", "rng_state", "state", "inc", "7"), "whole number"),
    (_set("state", "rng_state", "has_uint32", 5), "has_uint32"),
    (_set("state", "rng_state", "state", {"state": 1}), 'missing "inc"'),
    (_set("state", "rng_state", []), "rng_state must be an object"),
    (_set("data", "kind", "url"), "kind"),
    (_set("data", "name", "mnist"), "data name"),
    (_set("data", "n", 10**9), "data n"),
    (_set("data", "name", "sine"), "inputs"),
    (_set("data", "n", 400), "order is not a permutation"),
    (_set("history", ["steps", "steps"]), "twice"),
    (_set("history", ["../evil"]), "history name"),
    (_set("history", ["steps", "loss"]), "unexpected member 'history.grad_norms.npy'"),
    (_set("settings", [1]), "settings must be an object"),
    (_set("settings", {"deep": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}), "nested"),
    (_set("app_version", None), "app_version"),
]


@pytest.mark.parametrize("mutate, match", DOC_CASES)
def test_broken_documents_are_refused(tmp_path, mutate, match):
    rejected(rewrite(good_file(tmp_path), tmp_path / "bad.bplab", doc=mutate), match)


MEMBER_CASES = [
    ({"session.json": None}, "no session.json"),
    ({"network.npy": None}, "missing member 'network.npy'"),
    ({"evil.txt": b"hi"}, "unexpected member 'evil.txt'"),
    ({"../network.npy": b""}, "unexpected member"),
    ({"history.extra.npy": npy(np.zeros(2))}, "unexpected member 'history.extra.npy'"),
    ({"network.npy": _network(lambda a: a[:-1])}, "network.npy: float64 array of shape"),
    ({"network.npy": _network(_as(np.float32))}, "network.npy: float32"),
    ({"network.npy": _network(_nan)}, "the network contains NaN"),
    ({"network.npy": _network(lambda a: a * np.inf)}, "NaN or infinite"),
    ({"optimizer.v.npy": _network(lambda a: a[:5])}, "optimizer.v.npy"),
    ({"optimizer.m.npy": _network(_nan)}, "optimizer's 'm' buffer"),
    ({"order.npy": _network(_mutated_order)}, "not a permutation"),
    ({"order.npy": _network(lambda a: a[:-1])}, "not a permutation"),
    ({"order.npy": _network(_as(np.int32))}, "order.npy: int32"),
    ({"history.loss.npy": _network(lambda a: a.reshape(1, 1, -1))}, "history.loss.npy"),
    ({"history.loss.npy": _network(lambda a: a.astype(complex))}, "history.loss.npy"),
    ({"history.loss.npy": npy(np.array([{"a": 1}], dtype=object), True)}, "pickled"),
    ({"network.npy": npy(np.array([1, "x"], dtype=object), True)}, "pickled"),
    ({"network.npy": lambda old: old[:-8]}, "declares"),
    ({"network.npy": lambda old: old[:40]}, "invalid .npy header|declares"),
    ({"network.npy": b"\x93NUMPY\x09\x00" + b"\x00" * 40}, "not supported|invalid"),
    ({"session.json": b"\xff\xfe"}, "UTF-8"),
    ({"session.json": b'{"format": NaN}'}, "NaN|invalid JSON"),
    ({"session.json": b'{"format": 1, "format": 2}'}, "twice"),
    ({"session.json": b"[" * 100_000 + b"]" * 100_000}, "nested|JSON"),
]


@pytest.mark.parametrize("members, match", MEMBER_CASES)
def test_broken_members_are_refused(tmp_path, members, match):
    rejected(rewrite(good_file(tmp_path), tmp_path / "bad.bplab", members=members), match)


def huge_header(shape) -> bytes:
    header = {"descr": "<f8", "fortran_order": False, "shape": shape}
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    return buf.getvalue() + b"\x00" * 64


def test_huge_declared_array_is_refused_before_allocating(tmp_path):
    good = good_file(tmp_path)
    path = rewrite(
        good, tmp_path / "huge.bplab", members={"history.loss.npy": huge_header((10**12,))}
    )
    rejected(path, "declares")
    path = rewrite(good, tmp_path / "huge2.bplab", members={"network.npy": huge_header((10**15,))})
    rejected(path, "network.npy")


def test_csv_members_are_checked(tmp_path):
    good = good_file(tmp_path, csv=True)
    cases = [
        ({"data.x.npy": _network(lambda a: a[:, :2])}, "data.x.npy"),
        ({"data.x.npy": _network(lambda a: a[:-1])}, "data: x has"),
        ({"data.x.npy": _network(_nan)}, "data x contains NaN"),
        ({"data.labels.npy": _network(lambda a: a + 50)}, "labels must lie"),
        ({"data.mean.npy": None}, "missing member 'data.mean.npy'"),
    ]
    for n, (members, match) in enumerate(cases):
        rejected(rewrite(good, tmp_path / f"bad{n}.bplab", members=members), match)
    rejected(rewrite(good, tmp_path / "t.bplab", doc=_set("data", "task", "regression")),
             "unexpected member 'data.labels.npy'")  # fmt: skip
    rejected(rewrite(good, tmp_path / "f.bplab", doc=_set("data", "feature_names", ["a"])),
             "feature names")  # fmt: skip


def test_container_level_damage_is_refused(tmp_path):
    good = good_file(tmp_path)
    data = good.read_bytes()
    cases = {
        "truncated.bplab": data[: len(data) // 2],
        "tail.bplab": data[:-10],
        "empty.bplab": b"",
        "random.bplab": np.random.default_rng(0).bytes(5000),
        "flipped.bplab": data[:300] + bytes([data[300] ^ 0xFF]) + data[301:],
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
        rejected(tmp_path / name, "zip|session|CRC|truncated|invalid|header|corrupt|member")
    (tmp_path / "folder.bplab").mkdir()
    rejected(tmp_path / "folder.bplab", "not a regular file")


def test_zip_bombs_are_refused(tmp_path):
    good = good_file(tmp_path)
    # a real one: 200 MB of zeros deflate to ~200 KB (inside deflate's ratio limit)
    zeros = huge_header((200 * MB // 8,))[:-64] + bytes(200 * MB)
    path = rewrite(good, tmp_path / "bomb.bplab", members={"history.loss.npy": zeros},
                   compress=zipfile.ZIP_DEFLATED)  # fmt: skip
    assert path.stat().st_size < 2 * MB
    assert "zip bomb" in rejected(path, "zip bomb")
    # a forged one: the central directory claims a member expands to 3 GB
    data = bytearray(good.read_bytes())
    pos = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    struct.pack_into("<I", data, pos + 24, 3 * 1024**3)
    (tmp_path / "forged.bplab").write_bytes(bytes(data))
    rejected(tmp_path / "forged.bplab", "zip bomb|inconsistent")
    # a directory claiming millions of members
    data = bytearray(good.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 65000, 65000)
    (tmp_path / "many.bplab").write_bytes(bytes(data))
    rejected(tmp_path / "many.bplab", "members")


def test_other_byte_orders_and_layouts_load(tmp_path):
    """Valid .npy variants (big-endian, Fortran order) are read, not just our own output."""
    good = good_file(tmp_path)
    path = rewrite(
        good, tmp_path / "variants.bplab", compress=zipfile.ZIP_DEFLATED,
        members={
            "network.npy": _network(_as(">f8")),
            "history.grad_norms.npy": _network(np.asfortranarray),
        },
    )  # fmt: skip
    a, b = load_session(good), load_session(path)
    assert_same_session(a, b)
    assert b.trainer_state.network.flat.dtype == np.dtype("=f8")


# ================================================================ size


def test_large_session_saves_and_loads_exactly(tmp_path):
    """784-256-128-10 with adam: 235,146 parameters, three float64 vectors (5.6 MB). (Its
    save and load times are measured by benchmarks/bench_file_checks.py.)"""
    arch = Architecture.build(784, [256, 128], 10, "relu", "softmax")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 784))
    labels = np.arange(64) % 10
    t = np.eye(10)[labels]
    trainer = Trainer(init_network(arch, "he", 0), x, t,
                      TrainingConfig("ce", Optimizer("adam", 1e-3), 16))  # fmt: skip
    trainer.run(3)
    recipe = {"kind": "csv", "path": "digits.csv", "targets": 1, "val_split": 0.0, "seed": 0,
              "standardize": False}  # fmt: skip
    from backprop_lab.engine.data import Dataset

    ds = Dataset("digits", x, labels[:, None].astype(float), np.zeros((0, 784)),
                 np.zeros((0, 1)), labels, np.zeros(0, np.int64), "classification", 10,
                 tuple(f"p{i}" for i in range(784)), ("digit",))  # fmt: skip
    session = make_session(trainer, data_for_session(ds, recipe), history={
        "steps": np.arange(17_000, dtype=np.int64), "loss": rng.random((17_000, 4))})  # fmt: skip
    path = tmp_path / "big.bplab"
    save_session(path, session)
    loaded = load_session(path)
    assert path.stat().st_size > 5 * MB
    assert_same_session(session, loaded)
    assert losses(restore_trainer(loaded), 2) == losses(trainer, 2)


def test_load_errors_leave_the_caller_alone(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_session(tmp_path / "missing.bplab")
    assert os.listdir(tmp_path) == []


def test_saving_streams_the_data_to_the_file_instead_of_copying_it(tmp_path):
    """A session carries its CSV data set; saving and autosaving write it member by member
    into the file (`atomic_write` with a writer) - before, the whole file was built in a
    BytesIO first (and copied once more by getvalue), so a window autosaving 600 MB of
    data held it twice (benchmarks/bench_big_data.py: 2.40x -> see benchmarks/README.md)."""
    import tracemalloc

    from backprop_lab.engine.formats.session import write_autosave

    rows = 200_000  # 200,000 x 3 float64 features: 4.8 MB, plus targets
    csv = write_csv(tmp_path / "big.csv", rows=rows)
    ds = load_csv(csv, 1, 0.25, 5)
    arch = Architecture.build(3, [7], ds.n_classes, "relu", "softmax")
    config = TrainingConfig("ce", Optimizer("sgd", 0.03), 16)
    trainer = Trainer(
        init_network(arch, "he", 2), ds.x, ds.targets("ce"), config, ds.x_val,
        ds.targets("ce", "val"),
    )  # fmt: skip
    recipe = {"kind": "csv", "path": str(csv), "targets": 1, "val_split": 0.25, "seed": 5,
              "standardize": False}  # fmt: skip
    session = make_session(trainer, data_for_session(ds, recipe))
    data_bytes = sum(a.nbytes for a in session.data_arrays.values())
    assert data_bytes > 5_000_000
    for save in (lambda: save_session(tmp_path / "s.bplab", session),
                 lambda: write_autosave(tmp_path / "auto", session)):  # fmt: skip
        tracemalloc.start()
        save()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # the checks make one temporary the size of the largest array (here 0.77x the
        # data); the file itself is no longer held in memory (it was >= 1x, twice)
        assert peak < data_bytes, (peak, data_bytes)
    assert_same_session(session, load_session(tmp_path / "s.bplab"))
