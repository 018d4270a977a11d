"""How fast the engine reads, writes and refuses files: the timings the tests do not assert.

Runs the engine's file tests (``tests/engine/test_session.py`` and
``tests/engine/test_hostile_files.py``, which build every broken and hostile file and the
large 784-256-128-10 session) in this process, with ``load_session``, ``save_session`` and
``load_model`` timed wherever those tests call them. Bars (the tests used to assert them):

* every broken or hostile file is refused (ModelFileError) in under 1 s;
* the large session (5.6 MB of float64 state, 17,000 history rows) saves in under 2 s
  and loads in under 1 s.

Other load on the machine skews the figures; the test run itself must pass.

Run:  python benchmarks/bench_file_checks.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = ["tests/engine/test_session.py", "tests/engine/test_hostile_files.py"]
TIMED = ("load_session", "save_session", "load_model")
REFUSE_BAR_S, SAVE_BAR_S, LOAD_BAR_S = 1.0, 2.0, 1.0
LARGE = "test_large_session_saves_and_loads_exactly"


class Timings:
    """A pytest plugin: wraps the TIMED functions in each test's module while it runs
    and records (test, function, refused, seconds) for every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bool, float]] = []

    def _timed(self, test: str, name: str, fn):
        from backprop_lab.engine.formats import ModelFileError

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            except ModelFileError:
                self.calls.append((test, name, True, time.perf_counter() - start))
                raise
            self.calls.append((test, name, False, time.perf_counter() - start))
            return result

        return wrapper

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        module, mp = item.module, pytest.MonkeyPatch()
        for name in TIMED:
            if hasattr(module, name):
                mp.setattr(module, name, self._timed(item.name, name, getattr(module, name)))
        try:
            yield
        finally:
            mp.undo()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs of the test files")
    args = parser.parse_args()
    os.chdir(ROOT)
    plugin = Timings()
    for _ in range(args.repeats):
        code = pytest.main(["-q", "-p", "no:cacheprovider", *TESTS], plugins=[plugin])
        if code != 0:
            print(f"the file tests failed (exit code {code})", file=sys.stderr)
            return int(code)
    refused = [c for c in plugin.calls if c[2]]
    large = [c for c in plugin.calls if c[0] == LARGE and not c[2]]
    worst = max(refused, key=lambda c: c[3])
    save = max(c[3] for c in large if c[1] == "save_session")
    load = max(c[3] for c in large if c[1] == "load_session")
    rows = [
        (f"refused, worst of {len(refused)} ({worst[0]})", worst[3], REFUSE_BAR_S),
        ("large session: save, worst", save, SAVE_BAR_S),
        ("large session: load, worst", load, LOAD_BAR_S),
    ]
    print()
    for label, seconds, bar in rows:
        verdict = "ok" if seconds < bar else "OVER THE BAR"
        print(f"{label:<78} {seconds * 1000:8.1f} ms  (bar {bar * 1000:.0f} ms) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
