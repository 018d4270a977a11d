"""gui.platform_check: before Qt is loaded, ``backprop-lab`` names every system library
Qt's X11 plugin lacks as one apt line (the README's) and exits with code 1; it says
nothing when all load, off Linux, without a display or on another Qt platform."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from backprop_lab.gui import main as gui_main
from backprop_lab.gui import platform_check as pc

README = Path(__file__).resolve().parents[2] / "README.md"
X11 = {"DISPLAY": ":0"}


def loader_without(*missing: str):
    """A fake dynamic loader: every library loads except ``missing``; records calls."""
    calls: list[str] = []

    def load(soname: str) -> bool:
        calls.append(soname)
        return soname not in missing

    load.calls = calls
    return load


def never_load(soname: str) -> bool:
    raise AssertionError(f"looked for {soname} although Qt will not use xcb")


def test_readme_apt_line_is_the_modules_list():
    lines = [ln.strip() for ln in README.read_text().splitlines() if "apt install" in ln]
    assert lines == [pc.APT_LINE]
    assert pc.APT_LINE.split()[3:] == list(pc.DEBIAN_PACKAGES)


def test_the_list_holds_what_qt_names_and_what_it_does_not():
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1"} <= set(pc.DEBIAN_PACKAGES)
    assert len(set(pc.DEBIAN_PACKAGES)) == len(pc.DEBIAN_PACKAGES)
    for package, soname in pc.XCB_LIBRARIES:
        assert re.fullmatch(r"[a-z0-9.+-]+", package), package
        assert re.fullmatch(r"lib[\w.+-]+\.so\.\d+", soname), soname


def test_a_missing_library_prints_the_apt_line_and_exits_1():
    out = io.StringIO()
    load = loader_without("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    code = pc.check(X11, load, out, platform="linux")
    assert code == 1
    text = out.getvalue()
    assert pc.APT_LINE in text
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert load.calls == [soname for _, soname in pc.XCB_LIBRARIES]


@pytest.mark.parametrize("platform", ["", "xcb", "xcb:nograb", "xcb;wayland"])
def test_silent_when_every_library_loads(platform):
    out = io.StringIO()
    env = {**X11, "QT_QPA_PLATFORM": platform}
    assert pc.check(env, loader_without(), out, platform="linux") is None
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("env", "platform"),
    [
        ({**X11, "QT_QPA_PLATFORM": "offscreen"}, "linux"),
        ({**X11, "QT_QPA_PLATFORM": "wayland"}, "linux"),
        ({}, "linux"),  # no X display
        ({**X11, "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, "linux"),
        (X11, "darwin"),
        (X11, "win32"),
    ],
)
def test_silent_when_qt_will_not_use_xcb(env, platform):
    out = io.StringIO()
    assert pc.check(env, never_load, out, platform=platform) is None
    assert out.getvalue() == ""


def test_the_real_loader_tells_present_from_absent():
    assert pc.can_load("libc.so.6")
    assert not pc.can_load("libbackprop-lab-no-such-library.so.9")


def test_backprop_lab_exits_1_with_the_apt_line_before_qt_is_touched(monkeypatch, capsys):
    from backprop_lab.gui import app

    started = []
    monkeypatch.setattr(app, "run", lambda: started.append(True) or 0)
    monkeypatch.setattr(pc, "can_load", loader_without("libxcb-icccm.so.4"))
    monkeypatch.setattr(pc.sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("DISPLAY", ":0")
    assert gui_main.main([]) == 1
    assert started == []
    err = capsys.readouterr().err
    assert pc.APT_LINE in err and "libxcb-icccm.so.4" in err


def test_backprop_lab_opens_the_window_when_the_check_passes(monkeypatch):
    from backprop_lab.gui import app

    started = []
    monkeypatch.setattr(app, "run", lambda: started.append(True) or 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr(pc, "can_load", never_load)
    assert gui_main.main([]) == 0
    assert started == [True]
