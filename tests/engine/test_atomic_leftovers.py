"""Temporary files of writes killed midway (issue 13): recognisable as ours, with the
writer's pid in the name, and removed by the next write to the same folder - but never
while their writer is still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from backprop_lab.engine.formats.atomic import (
    STALE_TEMP_SECONDS,
    TEMP_SUFFIX,
    atomic_write,
    remove_stale_temps,
    temp_writer_pid,
)

# a writer that hangs after writing its data, until it is killed
STUCK_WRITER = """
import os, sys, time
from backprop_lab.engine.formats import atomic

def stuck(fd):
    print("writing", flush=True)
    time.sleep(600)

atomic.os.fsync = stuck
atomic.atomic_write(sys.argv[1], b"x" * int(sys.argv[2]))
"""
BIG = 8 << 20


def _temps(folder):
    return sorted(p for p in folder.iterdir() if temp_writer_pid(p.name) is not None)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_a_killed_writers_leftover_is_removed_by_the_next_write_there(tmp_path):
    writer = subprocess.Popen(
        [sys.executable, "-c", STUCK_WRITER, str(tmp_path / "big.bplab"), str(BIG)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "writing"
        (temp,) = _temps(tmp_path)
        assert temp.name.startswith(".big.bplab.") and temp.name.endswith(TEMP_SUFFIX)
        assert temp_writer_pid(temp.name) == writer.pid
        assert temp.stat().st_size == BIG

        atomic_write(tmp_path / "other.bin", b"one")  # the writer is alive: kept
        assert _temps(tmp_path) == [temp]
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(30)
        writer.stdout.close()
    assert not (tmp_path / "big.bplab").exists()
    assert _temps(tmp_path) == [temp]  # nothing removes it by itself ...

    atomic_write(tmp_path / "other.bin", b"two")  # ... the next write to the folder does
    assert _temps(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.bin"]


def test_only_our_stale_temporary_files_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    live_pid = os.getppid()  # pytest's parent: alive
    names = {
        "dead": f".a.json.{dead_pid}-abcd1234{TEMP_SUFFIX}",
        "live": f".a.json.{live_pid}-abcd1234{TEMP_SUFFIX}",
        "mine": f".a.json.{os.getpid()}-abcd1234{TEMP_SUFFIX}",
        "old_live": f".b.json.{live_pid}-zz00zz00{TEMP_SUFFIX}",
        "not_ours": ".a.json.abcd1234.tmp",
        "user_file": f"notes.{dead_pid}-abcd1234.txt",
    }
    for name in names.values():
        (tmp_path / name).write_bytes(b"partial")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(tmp_path / names["old_live"], (old, old))

    removed = remove_stale_temps(tmp_path)

    assert sorted(p.name for p in removed) == sorted([names["dead"], names["old_live"]])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([names["live"], names["mine"], names["not_ours"], names["user_file"]])


def test_temp_writer_pid_reads_only_our_names():
    assert temp_writer_pid(f".x.bin.123-abcdefgh{TEMP_SUFFIX}") == 123
    assert temp_writer_pid(f".a.b.c.7-a_c0e1g2{TEMP_SUFFIX}") == 7
    for name in (
        "x.bin",
        ".x.bin.abcdefgh.tmp",
        f".x.bin.12-abc{TEMP_SUFFIX}",
        f"x.12-abcdefgh{TEMP_SUFFIX}x",
    ):
        assert temp_writer_pid(name) is None
