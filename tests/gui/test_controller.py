"""TrainingController: Play/Pause/Step against the engine's own numbers, the worker
process behind the training thread, divergence, crashes and shutdown."""

from __future__ import annotations

import os
import re
import signal

import numpy as np
import pytest
from backprop_lab.engine import Architecture, Optimizer, Trainer, TrainingConfig, TrainingDiverged
from backprop_lab.engine.data import make_dataset
from backprop_lab.engine.network import init_network
from backprop_lab.engine.transport.snapshot import Snapshot
from backprop_lab.gui.training import TrainingController
from backprop_lab.gui.training.mailbox import SnapshotMailbox, merge_snapshots
from PySide6.QtCore import QObject, Slot

WAIT_MS = 60_000  # generous: other processes may share the machine's two cores

CIRCLES = make_dataset("circles", n=200, seed=0)
ARCH = Architecture.build(2, [8, 8], 1, "tanh", "sigmoid")
CONFIG = TrainingConfig("bce", Optimizer("sgd", 0.5), batch_size=32)


class Recorder(QObject):
    """Collects the controller's signals through @Slot methods."""

    def __init__(self, controller: TrainingController) -> None:
        super().__init__()
        self.snaps: list[Snapshot] = []
        self.running: list[bool] = []
        self.diverged: list[str] = []
        self.errors: list[str] = []
        controller.snapshotReady.connect(self.on_snapshot)
        controller.runningChanged.connect(self.on_running)
        controller.diverged.connect(self.on_diverged)
        controller.errorOccurred.connect(self.on_error)

    @Slot(object)
    def on_snapshot(self, snap: Snapshot) -> None:
        self.snaps.append(snap)

    @Slot(bool)
    def on_running(self, running: bool) -> None:
        self.running.append(running)

    @Slot(str)
    def on_diverged(self, message: str) -> None:
        self.diverged.append(message)

    @Slot(str)
    def on_error(self, message: str) -> None:
        self.errors.append(message)

    @property
    def last(self) -> Snapshot:
        return self.snaps[-1]

    def all_steps(self) -> np.ndarray:
        return np.concatenate([s.steps for s in self.snaps])


@pytest.fixture
def controller(qtbot):
    c = TrainingController()
    yield c
    assert c.shutdown(10_000)
    assert not c.is_running


@pytest.fixture
def rec(controller):
    return Recorder(controller)


def independent_trainer(dataset=CIRCLES, arch=ARCH, config=CONFIG, seed=0) -> Trainer:
    """The same problem built straight from the engine, in this process."""
    return Trainer(
        init_network(arch, "xavier", seed),
        dataset.x,
        dataset.targets(config.loss),
        config,
        dataset.x_val,
        dataset.targets(config.loss, "val"),
    )


def play_until(qtbot, controller, rec, step: int) -> None:
    controller.play()
    qtbot.waitUntil(lambda: rec.snaps and rec.last.step >= step, timeout=WAIT_MS)
    controller.pause()


def gone(pid: int) -> bool:
    """True if no process (not even a zombie) has this pid."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# ---------------------------------------------------------------- play, pause, step


def test_play_until_the_loss_falls_then_pause(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    first = rec.last
    assert first.step == 0 and first.steps.size == 0 and first.grid is not None
    controller.play()
    assert controller.is_running
    qtbot.waitUntil(lambda: rec.last.train_loss < 0.5 * first.train_loss, timeout=WAIT_MS)
    controller.pause()
    assert not controller.is_running
    assert rec.running == [True, False]
    assert rec.last.final and rec.last.diverged is None
    # the trainer continues from exactly what the last snapshot showed
    assert controller.trainer.step_count == rec.last.step
    assert controller.network.equals(rec.last.network)
    assert controller.has_progress
    assert not rec.errors


def test_play_gives_the_engines_numbers_bit_for_bit(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    play_until(qtbot, controller, rec, 50)
    n = controller.trainer.step_count
    reference = independent_trainer()
    records = []
    reference.run(n, records.append)
    assert controller.network.equals(reference.network)
    assert np.array_equal(rec.all_steps(), np.arange(1, n + 1))
    assert np.array_equal(np.concatenate([s.losses for s in rec.snaps]),
                          [r.loss.value for r in records])  # fmt: skip
    norms = np.concatenate([s.grad_norms for s in rec.snaps])
    assert np.array_equal(norms, [r.backward.grad_norms for r in records])
    assert np.array_equal(rec.last.gradients, records[-1].backward.grad)


def test_step_is_exactly_one_engine_iteration(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    play_until(qtbot, controller, rec, 20)
    state = controller.trainer.get_state()
    reference = independent_trainer()
    reference.set_state(state)
    expected = reference.step()
    before = controller.network
    record = controller.step()
    assert record.step == expected.step == state.step + 1
    assert np.array_equal(record.backward.grad, expected.backward.grad)
    assert record.update.after.equals(expected.update.after)
    assert controller.network.equals(expected.update.after)
    assert not controller.network.equals(before)
    assert list(rec.last.steps) == [record.step] and rec.last.losses[0] == record.loss.value
    assert np.array_equal(rec.last.gradients, expected.backward.grad)
    assert not controller.is_running


def test_step_while_playing_pauses_first(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 5, timeout=WAIT_MS)
    record = controller.step()
    assert not controller.is_running and rec.running == [True, False]
    assert np.array_equal(rec.all_steps(), np.arange(1, record.step + 1))


def test_play_pause_play_continues_the_same_trajectory(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    play_until(qtbot, controller, rec, 30)
    first_stop = controller.trainer.step_count
    controller.step()
    play_until(qtbot, controller, rec, first_stop + 60)
    n = controller.trainer.step_count
    assert n > first_stop + 1
    assert np.array_equal(rec.all_steps(), np.arange(1, n + 1))  # no gap, no repeat
    reference = independent_trainer()
    reference.run(n)
    assert controller.network.equals(reference.network)
    assert rec.running == [True, False, True, False]


def test_toggle(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.toggle()
    assert controller.is_running
    qtbot.waitUntil(lambda: rec.last.step > 0, timeout=WAIT_MS)
    controller.toggle()
    assert not controller.is_running


def test_pause_right_after_play(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    for _ in range(5):
        controller.play()
        controller.pause()
    assert not controller.is_running
    n = controller.trainer.step_count
    steps = rec.all_steps()
    assert np.array_equal(steps, np.arange(1, n + 1))
    reference = independent_trainer()
    reference.run(n)
    assert controller.network.equals(reference.network)


# ---------------------------------------------------------------- snapshots


def test_snapshot_arrays_are_read_only(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.step()
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10 and not rec.last.final, timeout=WAIT_MS)
    controller.pause()
    assert {s.final for s in rec.snaps} == {True, False}
    for snap in rec.snaps:
        arrays = [snap.steps, snap.losses, snap.grad_norms, snap.network.flat, snap.grid]
        arrays += [*snap.network.weights, *snap.network.biases, *snap.activations]
        if snap.gradients is not None:
            arrays += [snap.gradients, snap.update]
        for a in arrays:
            assert isinstance(a, np.ndarray) and not a.flags.writeable
            with pytest.raises(ValueError):
                a.flat[0] = 0


def test_a_slow_gui_loses_no_loss_history(qtbot, controller):
    class SlowView(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.snaps: list[Snapshot] = []

        @Slot(object)
        def show_snapshot(self, snap: Snapshot) -> None:
            self.snaps.append(snap)
            if len(self.snaps) < 4:
                import time

                time.sleep(0.3)  # a GUI thread that falls behind (no waitUntil can do that)

    view = SlowView()
    controller.snapshotReady.connect(view.show_snapshot)
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: len(view.snaps) >= 6, timeout=WAIT_MS)
    controller.pause()
    steps = np.concatenate([s.steps for s in view.snaps])
    assert np.array_equal(steps, np.arange(1, controller.trainer.step_count + 1))
    assert len(np.concatenate([s.losses for s in view.snaps])) == len(steps)


def test_mailbox_merges_stale_snapshots(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    a = controller.step() and rec.last
    b = controller.step() and rec.last
    merged = merge_snapshots(a, b)
    assert list(merged.steps) == [1, 2] and merged.network is b.network
    assert merged.grad_norms.shape == (2, 3) and not merged.losses.flags.writeable
    box = SnapshotMailbox()
    assert box.put(a) is True and box.put(b) is False
    taken = box.take()
    assert list(taken.steps) == [1, 2] and box.take() is None


def test_sample_index_selects_the_activations(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.step()
    controller.set_sample_index(7)
    snap = rec.last
    assert snap.sample_index == 7 and np.array_equal(snap.activations[0], CIRCLES.x[7])
    assert snap.gradients is not None  # the last step's gradients stay on show
    controller.play()
    controller.set_sample_index(3)
    qtbot.waitUntil(lambda: rec.last.sample_index == 3 and rec.last.step > 5, timeout=WAIT_MS)
    controller.pause()
    assert rec.last.sample_index == 3
    controller.set_sample_index(10**9)
    assert rec.last.sample_index == len(controller.trainer.x) - 1


# ---------------------------------------------------------------- settings


def test_config_changes_reach_the_running_worker(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 5, timeout=WAIT_MS)
    changed_at = rec.last.step
    controller.set_config(TrainingConfig("bce", Optimizer("adam", 0.01), batch_size=16))
    qtbot.waitUntil(lambda: rec.last.step > changed_at + 200, timeout=WAIT_MS)
    controller.pause()
    state = controller.trainer.get_state()
    assert set(state.optimizer_state.buffers) == {"m", "v"}  # adam ran in the worker
    assert 0 < state.optimizer_state.t < state.step
    assert controller.trainer.config.optimizer.name == "adam"
    with pytest.raises(ValueError, match="set_problem"):
        controller.set_config(TrainingConfig("mse"))


def test_speed_limit(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    with pytest.raises(ValueError):
        controller.set_speed(0)
    with pytest.raises(ValueError):
        controller.set_speed(float("nan"))
    controller.set_speed(10)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step >= 3, timeout=WAIT_MS)
    controller.pause()
    # full speed makes thousands of iterations in the same time; 10/s makes a handful,
    # each shown on its own
    assert controller.trainer.step_count <= 10
    assert max(len(s.steps) for s in rec.snaps) <= 2
    controller.set_speed(None)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step >= 500, timeout=WAIT_MS)
    controller.pause()


def test_set_network_checks_the_architecture(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.step()
    wrong = init_network(Architecture.build(2, [8], 1, "tanh", "sigmoid"))
    with pytest.raises(ValueError, match="needs"):
        controller.set_network(wrong)
    assert controller.trainer.step_count == 1
    right = init_network(ARCH, "he", seed=42)
    controller.set_network(right)
    assert controller.network.equals(right) and rec.last.network.equals(right)


def test_set_problem_rejects_a_mismatch_and_keeps_the_old_one(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.step()
    trainer = controller.trainer
    with pytest.raises(ValueError):
        controller.set_problem(CIRCLES, Architecture.build(3, [4], 1, "tanh", "sigmoid"), CONFIG)
    with pytest.raises(ValueError):
        controller.set_problem(CIRCLES, ARCH, TrainingConfig("ce"))
    assert controller.trainer is trainer and controller.dataset is CIRCLES


def test_reset_and_new_problem(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG, init="he", seed=5)
    play_until(qtbot, controller, rec, 10)
    controller.reset()
    assert controller.trainer.step_count == 0 and not controller.has_progress
    assert controller.network.equals(init_network(ARCH, "he", 5))
    assert rec.last.step == 0 and rec.last.steps.size == 0
    sine = make_dataset("sine", n=100, seed=1)
    arch = Architecture.build(1, [6], 1, "tanh", "identity")
    controller.set_problem(sine, arch, TrainingConfig("mse", Optimizer("sgd", 0.05)))
    assert rec.last.grid is None and rec.last.network.architecture == arch
    play_until(qtbot, controller, rec, 20)  # the worker gets the new data
    reference = independent_trainer(sine, arch, TrainingConfig("mse", Optimizer("sgd", 0.05)))
    reference.run(controller.trainer.step_count)
    assert controller.network.equals(reference.network)


# ---------------------------------------------------------------- divergence


def test_divergence_pauses_with_the_step_and_layer(qtbot, controller, rec):
    # identity hidden units grow without bound under lr 1e6: the gradients of layer 2
    # become infinite at step 5 (the engine decides; the test asks it independently)
    arch = Architecture.build(2, [8, 8], 1, "identity", "sigmoid")
    config = TrainingConfig("bce", Optimizer("sgd", 1e6), batch_size=32)
    reference = independent_trainer(CIRCLES, arch, config)
    with pytest.raises(TrainingDiverged) as caught:
        reference.run(1000)
    assert caught.value.layer is not None
    controller.set_problem(CIRCLES, arch, config)
    with qtbot.waitSignal(controller.diverged, timeout=WAIT_MS) as blocker:
        controller.play()
    message = blocker.args[0]
    assert message == str(caught.value)
    assert re.search(rf"step {caught.value.step}\b", message)
    assert re.search(rf"layer {caught.value.layer}\b", message)
    assert not controller.is_running and rec.running == [True, False]
    assert rec.last.final and rec.last.diverged == message
    assert controller.network.all_finite() and rec.last.network.all_finite()
    assert controller.network.equals(reference.network)  # the last finite weights
    assert controller.trainer.step_count == caught.value.step - 1
    # Step now diverges again on the next batch, as the engine's own trainer does
    with pytest.raises(TrainingDiverged) as again:
        reference.step()
    assert controller.step() is None
    assert rec.diverged == [message, str(again.value)]
    assert controller.network.equals(reference.network)
    assert not rec.errors


# ---------------------------------------------------------------- process life cycle


def test_the_worker_process_starts_on_the_first_play_or_warm_up(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.step()
    controller.begin_phase_step(None, 2)
    controller.advance_phase()
    controller.finish_iteration()
    assert controller.worker_pid is None  # set_problem, Step and phase stepping need none
    assert controller.shutdown() and controller.worker_pid is None
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10, timeout=WAIT_MS)
    pid = controller.worker_pid
    assert pid is not None and not gone(pid)
    controller.pause()
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    assert controller.worker_pid == pid  # kept for the next play session
    assert controller.shutdown() and gone(pid) and controller.worker_pid is None
    controller.warm_up()
    warm = controller.worker_pid
    assert warm is not None and not gone(warm)
    controller.warm_up()
    assert controller.worker_pid == warm  # idempotent
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10, timeout=WAIT_MS)
    assert controller.worker_pid == warm  # Play used the warmed-up process
    assert controller.shutdown() and gone(warm)


def test_shutdown_mid_training_leaves_no_process(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10, timeout=WAIT_MS)
    pid = controller.worker_pid
    assert pid is not None and not gone(pid)
    assert controller.shutdown(timeout_ms=5000)
    assert not controller.is_running and controller.worker_pid is None
    assert gone(pid)
    assert controller.shutdown()  # idempotent
    assert rec.running == [True, False]


def test_shutdown_with_a_hung_worker_returns_and_kills_it(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10, timeout=WAIT_MS)
    pid = controller.worker_pid
    os.kill(pid, signal.SIGSTOP)  # the child stops answering
    try:
        assert controller.shutdown(timeout_ms=1500) is False  # not clean, but done
    finally:
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)
    assert gone(pid) and not controller.is_running
    assert controller.network.all_finite()


def test_worker_crash_falls_back_to_paused(qtbot, controller, rec):
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    controller.play()
    qtbot.waitUntil(lambda: rec.last.step > 10, timeout=WAIT_MS)
    pid = controller.worker_pid
    with qtbot.waitSignal(controller.errorOccurred, timeout=WAIT_MS) as blocker:
        os.kill(pid, signal.SIGKILL)
    assert "stopped unexpectedly" in blocker.args[0] and "paused at iteration" in blocker.args[0]
    assert not controller.is_running and rec.running == [True, False]
    assert gone(pid) and controller.worker_pid is None
    # the trainer holds a consistent state (the last checkpoint, or the state at Play)
    n = controller.trainer.step_count
    reference = independent_trainer()
    reference.run(n)
    assert controller.network.equals(reference.network)
    # Play starts a new worker process and training goes on from there
    controller.play()
    qtbot.waitUntil(lambda: controller.trainer.step_count + 50 < rec.last.step, timeout=WAIT_MS)
    assert controller.worker_pid not in (None, pid)
    controller.pause()
    assert rec.last.step == controller.trainer.step_count


def test_worker_process_reports_garbage_on_stderr_and_exits():
    from backprop_lab.gui.training.process import WorkerProcess

    proc = WorkerProcess()
    try:
        proc._popen.stdin.write(b"this is not a frame at all")
        proc._popen.stdin.flush()
        assert proc.read() is None  # the child quit: its output ended
        assert proc.exit_code(30.0) == 0
        assert "FrameError" in proc.stderr_tail() and "magic" in proc.stderr_tail()
    finally:
        proc.stop(5.0)
    assert gone(proc.pid)


def test_worker_process_quits_cleanly_when_asked():
    """A "quit" frame (stdin still open) ends the child with exit code 0: no reader thread is left
    blocked on stdin to make the interpreter's shutdown abort."""
    from backprop_lab.gui.training.process import WorkerProcess

    proc = WorkerProcess()
    try:
        proc.send("quit")
        assert proc.exit_code(30.0) == 0, proc.stderr_tail()
        assert proc.stderr_tail() == ""
    finally:
        proc.stop(5.0)
    assert gone(proc.pid)


def test_fanout_gives_every_view_all_history_one_view_per_turn(qtbot, controller, rec):
    from backprop_lab.gui.training.fanout import SnapshotFanout

    class View:
        def __init__(self, log: list, name: str) -> None:
            self.log, self.name, self.snaps = log, name, []

        def show_snapshot(self, snap: Snapshot) -> None:
            self.log.append(self.name)
            self.snaps.append(snap)

    order: list[str] = []
    views = [View(order, name) for name in "abc"]
    fanout = SnapshotFanout(views)
    controller.set_problem(CIRCLES, ARCH, CONFIG)
    for _ in range(4):  # four snapshots before the event loop runs: merged per view
        controller.step()
        fanout.show_snapshot(rec.last)
    assert fanout.pending == 3 and order == []
    qtbot.waitUntil(lambda: fanout.pending == 0, timeout=WAIT_MS)
    assert order == ["a", "b", "c"]
    for view in views:
        assert len(view.snaps) == 1
        assert list(view.snaps[0].steps) == [1, 2, 3, 4]
        assert view.snaps[0].network.equals(controller.network)
    controller.step()
    fanout.show_snapshot(rec.last)
    fanout.flush()
    assert [list(v.snaps[-1].steps) for v in views] == [[5]] * 3
    controller.step()
    fanout.show_snapshot(rec.last)
    fanout.clear()
    assert fanout.pending == 0 and all(len(v.snaps) == 2 for v in views)
