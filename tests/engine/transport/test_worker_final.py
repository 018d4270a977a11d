"""The worker loop leaves a big network's final snapshot to the window: its "stopped"
frame carries the losses since the last snapshot instead, so a Pause is answered without
the seconds a big snapshot takes."""

import io
import queue

import numpy as np
import pytest
from backprop_lab.engine.network import Architecture, init_network
from backprop_lab.engine.trainer import Trainer, TrainingConfig
from backprop_lab.engine.transport import worker_process
from backprop_lab.engine.transport.stream import (
    Frame,
    config_to_dict,
    data_to_frame,
    read_frame,
    state_to_frame,
)


def _frames(monkeypatch, limit: float) -> list[Frame]:
    monkeypatch.setattr(worker_process, "FINAL_SNAPSHOT_S", limit)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 2))
    t = (x[:, :1] > 0).astype(float)
    arch = Architecture.build(2, [4], 1, "tanh", "sigmoid")
    config = TrainingConfig(loss="bce", batch_size=8)
    trainer = Trainer(init_network(arch, seed=0), x, t, config)
    meta, arrays = state_to_frame(trainer.get_state())
    meta.update(problem_id=1, config=config_to_dict(config), speed=None, sample_index=0,
                grid_spec=None)  # fmt: skip
    arrays.update(data_to_frame(trainer.x, trainer.t, None, None))
    commands: queue.SimpleQueue = queue.SimpleQueue()
    out = io.BytesIO()
    loop = worker_process.WorkerLoop(commands, out)
    loop.after_step = _stop_after(loop, loop.after_step, 5)
    commands.put(Frame("start", meta, arrays))
    commands.put(Frame("quit", {}, {}))
    loop.serve()
    out.seek(0)
    frames = []
    while (f := read_frame(out)) is not None:
        frames.append(f)
    return frames


def _stop_after(loop, after_step, n):
    count = [0]

    def wrapped(rec):
        count[0] += 1
        if count[0] >= n:
            loop.stop = True
        return after_step(rec)

    return wrapped


@pytest.fixture
def no_quit(monkeypatch):
    """serve() would apply "quit" before the run: hold it back until the run stopped."""
    session = worker_process.WorkerLoop.session

    def run_then_quit(self, frame):
        self.commands, held = queue.SimpleQueue(), self.commands
        session(self, frame)
        self.commands = held

    monkeypatch.setattr(worker_process.WorkerLoop, "session", run_then_quit)


def test_a_cheap_final_snapshot_is_sent_by_the_child(monkeypatch, no_quit):
    frames = _frames(monkeypatch, limit=1e9)
    kinds = [f.kind for f in frames]
    assert kinds[-2:] == ["snapshot", "stopped"]
    assert frames[-1].meta["final_snapshot"] is True
    assert "pending.steps" not in frames[-1].arrays


def test_an_expensive_final_snapshot_is_left_to_the_window(monkeypatch, no_quit):
    frames = _frames(monkeypatch, limit=-1.0)
    stopped = frames[-1]
    assert stopped.kind == "stopped" and stopped.meta["final_snapshot"] is False
    assert not any(f.meta["final"] for f in frames if f.kind == "snapshot")
    sent = [s for f in frames if f.kind == "snapshot" for s in f.arrays["steps"].tolist()]
    pending = stopped.arrays["pending.steps"].tolist()
    assert sorted(sent + pending) == [1, 2, 3, 4, 5]  # no iteration's loss is lost
    assert len(stopped.arrays["pending.losses"]) == len(pending)
    assert stopped.arrays["pending.norms"].shape == (len(pending), 2)


def test_the_start_frames_payload_is_let_go_once_the_trainer_has_the_data(monkeypatch):
    """The start frame's arrays are views of its payload (the data, possibly gigabytes):
    the session clears them after setup, so the run holds the data once, not twice."""
    seen = []
    setup = worker_process.WorkerLoop.setup

    def spy(self, frame):
        setup(self, frame)
        seen.append(frame)
        self.stop = True  # the run ends at once

    monkeypatch.setattr(worker_process.WorkerLoop, "setup", spy)
    frames = _frames(monkeypatch, limit=1e9)
    assert frames[-1].kind == "stopped"
    assert seen and seen[0].arrays == {}
