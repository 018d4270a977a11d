"""engine.transport.stream: every frame type round-trips exactly; hostile frames fail cleanly."""

from __future__ import annotations

import io
import json
import math
import struct
import tracemalloc

import numpy as np
import pytest
from backprop_lab.engine import (
    Architecture,
    LayerSpec,
    Optimizer,
    Trainer,
    TrainingConfig,
    init_network,
)
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.transport.snapshot import GridSpec, make_snapshot
from backprop_lab.engine.transport.stream import (
    MAGIC,
    FrameError,
    config_from_dict,
    config_to_dict,
    data_from_frame,
    data_to_frame,
    encode_frame,
    network_from_frame,
    network_to_frame,
    read_frame,
    snapshot_from_frame,
    snapshot_to_frame,
    state_from_frame,
    state_to_frame,
    write_frame,
)


def roundtrip(kind, meta=None, arrays=None):
    buf = io.BytesIO()
    write_frame(buf, kind, meta, arrays)
    buf.seek(0)
    frame = read_frame(buf)
    assert read_frame(buf) is None  # clean end of stream after exactly one frame
    return frame


def raw_frame(header: dict | bytes, payload: bytes = b"", declared: int | None = None) -> bytes:
    h = header if isinstance(header, bytes) else json.dumps(header).encode()
    size = len(payload) if declared is None else declared
    return struct.pack("<4sIQ", MAGIC, len(h), size) + h + payload


def problem(optimizer="adam", batch=16, bias=True, dtype="float64"):
    ds = make_dataset("circles", n=120, seed=3)
    arch = Architecture.build(2, [5, 4], 1, "tanh", "sigmoid", bias=bias)
    config = TrainingConfig("bce", Optimizer(optimizer, 0.05), batch, l2=1e-3, seed=7)
    trainer = Trainer(
        init_network(arch, seed=2, dtype=dtype), ds.x, ds.t, config, ds.x_val, ds.t_val
    )
    return ds, trainer


# ---------------------------------------------------------------- framing


def test_generic_frame_round_trip_all_dtypes_and_shapes():
    arrays = {
        "f8": np.arange(12, dtype=np.float64).reshape(3, 4),
        "f4": np.linspace(-1, 1, 5, dtype=np.float32),  # 20 bytes: next array needs padding
        "i8": np.array([-(2**62), 0, 2**62], dtype=np.int64),
        "u1": np.array([0, 7, 255], dtype=np.uint8),
        "empty": np.zeros((0, 3)),
        "scalar": np.array(2.5),
        "big_endian": np.arange(4, dtype=">f8"),
        "strided": np.arange(20.0).reshape(4, 5)[:, ::2],
        "special": np.array([np.nan, np.inf, -np.inf, -0.0]),
    }
    meta = {"text": "ünïcode", "n": 2**80, "nan": math.nan, "nested": {"a": [1, None, True]}}
    frame = roundtrip("anything", meta, arrays)
    assert frame.kind == "anything"
    assert frame.meta["text"] == meta["text"] and frame.meta["n"] == 2**80
    assert math.isnan(frame.meta["nan"]) and frame.meta["nested"] == meta["nested"]
    assert list(frame.arrays) == list(arrays)
    for name, a in arrays.items():
        b = frame.arrays[name]
        assert b.shape == a.shape
        assert np.array_equal(b, a, equal_nan=True), name
        assert b.dtype == a.dtype.newbyteorder("=") or b.dtype == a.dtype, name
        assert not b.flags.writeable
        assert b.ctypes.data % b.dtype.itemsize == 0  # aligned despite the odd-sized f4
    assert np.signbit(frame.arrays["special"][3])


def test_frame_without_arrays_and_several_frames_in_a_stream():
    buf = io.BytesIO()
    for i in range(3):
        write_frame(buf, "pause" if i % 2 else "speed", {"ips": i or None})
    buf.seek(0)
    kinds = []
    while (frame := read_frame(buf)) is not None:
        kinds.append((frame.kind, frame.meta["ips"], frame.arrays))
    assert kinds == [("speed", None, {}), ("pause", 1, {}), ("speed", 2, {})]


def test_unframeable_dtype_is_refused():
    with pytest.raises(FrameError, match="dtype"):
        encode_frame("x", {}, {"b": np.array([True, False])})
    with pytest.raises(FrameError, match="dtype"):
        encode_frame("x", {}, {"c": np.array([1j])})


# ---------------------------------------------------------------- engine values


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_network_round_trip_is_bit_identical(bias, dtype):
    arch = Architecture(3, (LayerSpec(4, "relu"), LayerSpec(2, "softmax")), bias)
    net = init_network(arch, "he", seed=5, dtype=dtype)
    frame = roundtrip("network", *network_to_frame(net))
    back = network_from_frame(frame.meta, frame.arrays)
    assert back.equals(net) and back.architecture == arch
    assert all(not w.flags.writeable for w in back.weights)


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch", [None, 8])
def test_config_round_trip(name, batch):
    config = TrainingConfig(
        "mse", Optimizer(name, 0.003, 0.8, 0.85, 0.99, 1e-7), batch, 0.1, 0.2, 9
    )
    frame = roundtrip("config", {"config": config_to_dict(config)})
    assert config_from_dict(frame.meta["config"]) == config


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch", [None, 16, 50])
def test_trainer_state_round_trip_continues_bit_identically(optimizer, batch):
    _, trainer = problem(optimizer, batch)
    trainer.run(7)  # mid-epoch for batch 16 and 50
    frame = roundtrip("stopped", *state_to_frame(trainer.get_state()))
    state = state_from_frame(frame.meta, frame.arrays)
    _, other = problem(optimizer, batch)
    other.set_state(state)
    for _ in range(12):  # across an epoch boundary: the rng state travelled too
        a, b = trainer.step(), other.step()
        assert a.step == b.step and a.epoch == b.epoch
        assert np.array_equal(a.backward.grad, b.backward.grad)
        assert a.update.after.equals(b.update.after)


def test_fresh_trainer_state_without_order_round_trips():
    _, trainer = problem("sgd", 16)
    state = trainer.get_state()
    assert state.order is None
    frame = roundtrip("start", *state_to_frame(state))
    back = state_from_frame(frame.meta, frame.arrays)
    assert back.order is None and back.step == 0 and back.rng_state == state.rng_state


@pytest.mark.parametrize("with_val", [True, False])
def test_data_round_trip(with_val):
    ds, _ = problem()
    arrays = data_to_frame(ds.x, ds.t, ds.x_val if with_val else None, ds.t_val)
    frame = roundtrip("start", {}, arrays)
    x, t, x_val, t_val = data_from_frame(frame.arrays)
    assert np.array_equal(x, ds.x) and np.array_equal(t, ds.t)
    if with_val:
        assert np.array_equal(x_val, ds.x_val) and np.array_equal(t_val, ds.t_val)
    else:
        assert x_val is None and t_val is None


def assert_snapshots_equal(a, b):
    for field in ("step", "epoch", "train_accuracy", "val_accuracy", "sample_index", "final"):
        assert getattr(a, field) == getattr(b, field), field
    for field in ("train_loss", "val_loss", "rate"):
        assert math.isclose(getattr(a, field), getattr(b, field)) or (
            math.isnan(getattr(a, field)) and math.isnan(getattr(b, field))
        )
    assert a.diverged == b.diverged and a.grid_spec == b.grid_spec
    assert a.network.equals(b.network)
    for field in ("steps", "losses", "grad_norms", "gradients", "update", "grid", "curve"):
        x, y = getattr(a, field), getattr(b, field)
        assert (x is None) == (y is None), field
        if x is not None:
            assert x.dtype == y.dtype and np.array_equal(x, y), field
            assert not y.flags.writeable
    assert len(a.activations) == len(b.activations)
    for x, y in zip(a.activations, b.activations, strict=True):
        assert np.array_equal(x, y) and not y.flags.writeable


@pytest.mark.parametrize("grid", [True, False])
def test_snapshot_round_trip(grid):
    ds, trainer = problem()
    recs = [trainer.step() for _ in range(5)]
    snap = make_snapshot(
        trainer,
        [r.step for r in recs],
        [r.loss.value for r in recs],
        np.array([r.backward.grad_norms for r in recs]),
        recs[-1],
        sample_index=4,
        grid_spec=GridSpec.around(ds.x, size=9) if grid else None,
        final=True,
        diverged="training diverged at step 6: the gradients of layer 2 became non-finite",
        rate=1234.5,
    )
    frame = roundtrip("snapshot", *snapshot_to_frame(snap))
    assert_snapshots_equal(snap, snapshot_from_frame(frame.meta, frame.arrays))


def test_snapshot_before_any_iteration_round_trips():
    ds = make_dataset("sine", n=30, seed=1, val_split=0.0)
    arch = Architecture.build(1, [3], 1, "tanh", "identity")
    trainer = Trainer(init_network(arch), ds.x, ds.t, TrainingConfig("mse"))
    snap = make_snapshot(trainer, [], [], np.zeros((0, 2)), None)
    assert snap.gradients is None and math.isnan(snap.val_loss)
    assert snap.curve is not None  # a 1-D input: the fitted curve travels too
    frame = roundtrip("snapshot", *snapshot_to_frame(snap))
    assert_snapshots_equal(snap, snapshot_from_frame(frame.meta, frame.arrays))


# ---------------------------------------------------------------- hostile frames


def read(data: bytes, **kw):
    return read_frame(io.BytesIO(data), **kw)


def valid_frame() -> bytes:
    return b"".join(encode_frame("x", {"a": 1}, {"w": np.arange(6.0)}))


@pytest.mark.parametrize("cut", [1, 10, 17, 30, -9, -1])
def test_truncated_frames_raise(cut):
    with pytest.raises(FrameError, match="truncated"):
        read(valid_frame()[:cut])


def test_empty_stream_is_a_clean_end():
    assert read(b"") is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"XXXX" + valid_frame()[4:], "magic"),
        (raw_frame(b"{not json"), "JSON"),
        (raw_frame(b"\xff\xfe"), "JSON"),
        (raw_frame([1, 2]), "object"),
        (raw_frame({"meta": {}}), "kind"),
        (raw_frame({"kind": "x", "meta": []}), "meta"),
        (raw_frame({"kind": "x", "arrays": {}}), "list"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8"]]}), "bad array"),
        (raw_frame({"kind": "x", "arrays": [["a", "c16", [1]]]}, bytes(16)), "dtype"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [-1]]]}), "shape"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [1.5]]]}), "shape"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [True]]]}), "shape"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [1] * 9]]}), "shape"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", 3]]}), "shape"),
        (
            raw_frame({"kind": "x", "arrays": [["a", "f8", [1]], ["a", "f8", [1]]]}, bytes(16)),
            "twice",
        ),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [2]]]}, bytes(8)), "needs 16 bytes"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [1]]]}, bytes(24)), "fill 8"),
        (raw_frame({"kind": "x", "arrays": [["a", "f8", [2**40, 2**40]]]}, bytes(8)), "needs"),
    ],
)
def test_malformed_frames_raise_a_clear_error(data, message):
    with pytest.raises(FrameError, match=message):
        read(data)


def test_huge_declared_sizes_fail_before_allocating():
    tracemalloc.start()
    try:
        # payload beyond the reader's limit: refused from the 16-byte prefix alone
        with pytest.raises(FrameError, match="exceeds the limit"):
            read(raw_frame({"kind": "x"}, declared=2**63), max_payload=2**30)
        with pytest.raises(FrameError, match="header of"):
            read(struct.pack("<4sIQ", MAGIC, 2**32 - 1, 0))
        # within the limit, but the header's arrays do not add up to the declared size
        header = {"kind": "x", "arrays": [["a", "f8", [10]]]}
        with pytest.raises(FrameError, match="fill 80"):
            read(raw_frame(header, declared=2**31))
        # a consistent 8 GiB frame that ends after a few bytes: the reader only ever
        # allocates a bounded chunk ahead of what actually arrived
        header = {"kind": "x", "arrays": [["a", "f8", [2**30]]]}
        with pytest.raises(FrameError, match="truncated"):
            read(raw_frame(header, bytes(100), declared=2**33), max_payload=2**34)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 2**20


def test_bad_engine_values_in_valid_frames():
    _, trainer = problem()
    meta, arrays = network_to_frame(trainer.network)
    with pytest.raises(FrameError, match="parameters"):
        network_from_frame(meta, {"flat": np.arange(3.0)})
    with pytest.raises(FrameError, match="flat"):
        network_from_frame(meta, {})
    with pytest.raises(FrameError, match="architecture"):
        network_from_frame({"architecture": {"layers": []}}, arrays)
    with pytest.raises(FrameError, match="config"):
        config_from_dict({"loss": "mse"})
    with pytest.raises(FrameError, match="trainer state"):
        state_from_frame({}, {})
    with pytest.raises(FrameError, match="snapshot"):
        snapshot_from_frame(meta, arrays)
