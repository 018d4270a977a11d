"""The PySide6 regression we pin around: 6.12.0 on Python 3.11 drops a reference to the
bool it passes through a signal, and after a few thousand emits the interpreter dies in
bool_dealloc. Emitting must leave sys.getrefcount(True) exactly unchanged. Run in a
subprocess: a corrupted refcount kills the whole interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

    N = 100_000
    app = QCoreApplication([])

    class Emitter(QObject):
        flag = Signal(bool)
        anything = Signal(object)

    class Receiver(QObject):
        def __init__(self):
            super().__init__()
            self.trues = 0

        @Slot(bool)
        def on_flag(self, value):
            self.trues += value is True

        @Slot(object)
        def on_anything(self, value):
            self.trues += value is True

    emitter, receiver = Emitter(), Receiver()
    emitter.flag.connect(receiver.on_flag)
    emitter.anything.connect(receiver.on_anything)
    for _ in range(100):  # warm up whatever PySide caches on first use
        emitter.flag.emit(True)
        emitter.anything.emit(True)
    receiver.trues = 0

    before = sys.getrefcount(True)
    for _ in range(N):
        emitter.flag.emit(True)
    after_direct = sys.getrefcount(True)
    for _ in range(N):
        emitter.anything.emit(True)
    after_object = sys.getrefcount(True)

    # queued: emitted from another thread, delivered in this one
    class Source(QThread):
        flag = Signal(bool)

        def run(self):
            for _ in range(N // 10):
                self.flag.emit(True)

    source = Source()
    source.flag.connect(receiver.on_flag)
    source.start()
    if not source.wait(120_000):
        sys.exit("the emitting thread did not finish")
    app.processEvents()
    while receiver.trues < 2 * N + N // 10:
        app.processEvents()
    after_queued = sys.getrefcount(True)
    print(before, after_direct, after_object, after_queued, receiver.trues)
    """
)


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="True is immortal on Python >= 3.12: its reference count never changes, so "
    "this regression cannot show (and cannot crash the interpreter) there",
)
def test_emitting_a_bool_signal_keeps_refcounts_exact():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    before, direct, obj, queued, trues = map(int, proc.stdout.split())
    assert trues == 210_000
    assert direct == before
    assert obj == before
    assert queued == before
