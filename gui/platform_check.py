"""Can Qt's X11 platform plugin (xcb) load here? Asked before Qt is imported.

On a bare Debian or Ubuntu desktop the plugin of Qt 6.11 (PySide6's
``Qt/plugins/platforms/libqxcb.so`` and its ``Qt/lib/libQt6XcbQpa.so.6``) needs system
libraries that are not installed by default, and Qt's own message then names only
``libxcb-cursor0`` before it aborts. :data:`XCB_LIBRARIES` is the whole list - each
Debian package with the library of it that Qt needs, taken from ``readelf -d`` / ``ldd``
of the plugin, its xcb GL integrations and QtGui/QtDBus (the C and C++ runtimes and zlib,
present on every Debian, left out) - and :data:`APT_LINE` the one command that installs
them. The README's install section shows the same line (tests/gui/test_platform_check.py
compares them).

:func:`check` runs in ``backprop-lab`` before the window's modules are imported: when Qt
will try the xcb plugin (Linux, ``QT_QPA_PLATFORM`` unset or ``xcb``, ``DISPLAY`` set)
and a library cannot be loaded, it prints :func:`message` - the missing libraries and the
apt line - and the app exits with code 1 instead of letting Qt abort. Like the command
line's messages it is printed before Qt (and its translations) is loaded, so it is
English. No Qt here.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

# (Debian package, the shared library of it that Qt's xcb plugin loads)
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor0", "libxcb-cursor.so.0"),
    ("libxcb-icccm4", "libxcb-icccm.so.4"),
    ("libxcb-image0", "libxcb-image.so.0"),
    ("libxcb-keysyms1", "libxcb-keysyms.so.1"),
    ("libxcb-randr0", "libxcb-randr.so.0"),
    ("libxcb-render-util0", "libxcb-render-util.so.0"),
    ("libxcb-render0", "libxcb-render.so.0"),
    ("libxcb-shape0", "libxcb-shape.so.0"),
    ("libxcb-shm0", "libxcb-shm.so.0"),
    ("libxcb-sync1", "libxcb-sync.so.1"),
    ("libxcb-util1", "libxcb-util.so.1"),
    ("libxcb-xfixes0", "libxcb-xfixes.so.0"),
    ("libxcb-xkb1", "libxcb-xkb.so.1"),
    ("libxcb-glx0", "libxcb-glx.so.0"),
    ("libxcb1", "libxcb.so.1"),
    ("libx11-xcb1", "libX11-xcb.so.1"),
    ("libx11-6", "libX11.so.6"),
    ("libxkbcommon0", "libxkbcommon.so.0"),
    ("libxkbcommon-x11-0", "libxkbcommon-x11.so.0"),
    ("libgl1", "libGL.so.1"),
    ("libegl1", "libEGL.so.1"),
    ("libfontconfig1", "libfontconfig.so.1"),
    ("libfreetype6", "libfreetype.so.6"),
    ("libglib2.0-0", "libglib-2.0.so.0"),
    ("libdbus-1-3", "libdbus-1.so.3"),
)
DEBIAN_PACKAGES: tuple[str, ...] = tuple(package for package, _ in XCB_LIBRARIES)
APT_LINE = "sudo apt install " + " ".join(DEBIAN_PACKAGES)
EXIT_CODE = 1


def can_load(soname: str) -> bool:
    """True if the dynamic loader finds and loads ``soname`` (and what it needs)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def uses_xcb(environ: Mapping[str, str], platform: str | None = None) -> bool:
    """True when Qt will load its xcb plugin: on Linux, ``QT_QPA_PLATFORM`` unset, empty
    or ``xcb`` (the first of a ``;`` list, options after ``:`` ignored), and an X display
    named in ``DISPLAY``. A Wayland session (``WAYLAND_DISPLAY`` set and
    ``XDG_SESSION_TYPE=wayland``) with no platform chosen is left to Qt."""
    if not (sys.platform if platform is None else platform).startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen not in ("", "xcb"):
        return False
    if (
        not chosen
        and environ.get("WAYLAND_DISPLAY")
        and (environ.get("XDG_SESSION_TYPE") == "wayland")
    ):
        return False
    return bool(environ.get("DISPLAY"))


def missing_libraries(load: Callable[[str], bool] | None = None) -> list[str]:
    """The libraries of :data:`XCB_LIBRARIES` that ``load`` (default :func:`can_load`)
    cannot load, in list order."""
    load = can_load if load is None else load
    return [soname for _, soname in XCB_LIBRARIES if not load(soname)]


def message(missing: list[str]) -> str:
    """What the user reads when the libraries ``missing`` keep the window from opening."""
    return (
        "backprop-lab: the window cannot open: Qt's X11 platform plugin (xcb) needs "
        f"{', '.join(missing)}, not found on this system.\n"
        "On Debian or Ubuntu install what it needs with:\n\n"
        f"    {APT_LINE}\n\n"
        "(on a Wayland desktop, QT_QPA_PLATFORM=wayland backprop-lab also works)"
    )


def check(
    environ: Mapping[str, str] | None = None,
    load: Callable[[str], bool] | None = None,
    stream: TextIO | None = None,
    platform: str | None = None,
) -> int | None:
    """None when the window can try to open; otherwise print :func:`message` on
    ``stream`` (default stderr) and return the exit code (1). ``load`` tells whether a
    library loads (default :func:`can_load`); ``platform`` is sys.platform's. Only looks when
    :func:`uses_xcb` says Qt will use the xcb plugin (``environ``: default os.environ)."""
    env = os.environ if environ is None else environ
    if not uses_xcb(env, sys.platform if platform is None else platform):
        return None
    missing = missing_libraries(load)
    if not missing:
        return None
    print(message(missing), file=sys.stderr if stream is None else stream)
    return EXIT_CODE


__all__ = [
    "APT_LINE",
    "DEBIAN_PACKAGES",
    "XCB_LIBRARIES",
    "can_load",
    "check",
    "message",
    "missing_libraries",
    "uses_xcb",
]
