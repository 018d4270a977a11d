"""Regenerate the README's screenshots from the real app: ``python tools/make_screenshots.py``.

The app runs offscreen (``QT_QPA_PLATFORM=offscreen`` unless a platform is set) with
settings and autosaves in a temporary folder (the user's own are never read or
touched), is driven through its public API - Play, Step phase, ``inspect_weight``, the
theme - and each window is captured with ``QWidget.grab``. PNGs go to
``resources/screenshots/`` (or ``--out``), reduced to a 256-colour palette so each stays
well under 400 KB.

Shots: ``main-window.png`` (the default example after some training, light theme),
``step-by-step.png`` (after Reset, the fresh network's first iteration stepped phase by
phase to the backward pass of the first layer, with the chain-rule inspector open on a
weight - the README's first five minutes), ``dark-theme.png`` (the same training in the
dark theme), ``laptop-1280x800.png`` (the first-start layout at 1280x800, a weight
inspected).

Languages: ``--lang ja`` makes the same shots of the Japanese window into
``resources/screenshots/ja/`` (the system language is set to Japanese before Qt starts,
and the catalogues are applied). Japanese needs a CJK font; where none is installed,
``--font FILE`` loads a Noto Sans CJK .otf/.ttf for this process only
(``QFontDatabase.addApplicationFont``: nothing is installed, and the app never ships or
depends on it).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"
SIZE = (1400, 880)
LAPTOP = (1280, 800)
MAX_BYTES = 400 * 1024


LOCALES = {"en": "en_US.UTF-8", "ja": "ja_JP.UTF-8"}


def _setup_environment(scale: float | None, lang: str = "en") -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the window follows the system language
        os.environ[name] = LOCALES[lang]
    home = tempfile.mkdtemp(prefix="backprop-lab-screenshots-")
    os.environ["XDG_CONFIG_HOME"] = os.path.join(home, "config")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "data")
    if scale:
        os.environ["QT_SCALE_FACTOR"] = str(scale)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def _wait(app, condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def _settle(app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def _save(window, path: Path) -> int:
    """Grab ``window`` and write it as an 8-bit palette PNG; returns the file size."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = window.grab().toImage()
    small = image.convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    if not small.save(str(path), "PNG", 0):
        raise OSError(f"could not write {path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RuntimeError(f"{path.name} is {size // 1024} KB (> {MAX_BYTES // 1024} KB)")
    return size


def _window(app, theme: str, size: tuple[int, int] = SIZE):
    from backprop_lab.gui import questions
    from backprop_lab.gui.window.main_window import MainWindow

    w = MainWindow()
    w.quiet_messages = True
    questions.show = questions.answer_with("discard", yes=True)  # nothing waits
    w.appearance.set_theme(theme)
    w.resize(*size)
    w.show()
    _settle(app)
    w.appearance.reset_layout()  # the first-start layout, sized for this window
    _settle(app)
    return w


def _train(app, w, iterations: int) -> None:
    w.action_play.trigger()
    _wait(app, lambda: w.last_snapshot is not None and w.last_snapshot.step >= iterations)
    w.action_play.trigger()
    _wait(app, lambda: not w.controller.is_running)
    _settle(app, 0.5)


def _language(lang: str, font: Path | None) -> None:
    """Speak ``lang``; load ``font`` first (a CJK font for Japanese) if given."""
    from backprop_lab.gui import fonts, i18n

    if font is not None:
        families = fonts.add_font_file(str(font))
        if not families:
            raise SystemExit(f"make_screenshots: {font} is not a font Qt can read")
        print(f"font {font.name}: {', '.join(families)}")
    i18n.apply_language(lang)
    if fonts.font_notice(lang):
        print(f"warning: no font draws {lang} text here; give --font FILE", file=sys.stderr)


def make_screenshots(
    out: Path, iterations: int = 3000, lang: str = "en", font: Path | None = None
) -> list[Path]:
    """Write the screenshots of the window speaking ``lang`` into ``out``; returns their
    paths."""
    from backprop_lab.gui.app import APP_NAME, ORGANIZATION, configure_pyqtgraph
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["backprop-lab"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    configure_pyqtgraph()
    _language(lang, font)
    out.mkdir(parents=True, exist_ok=True)
    written = []

    w = _window(app, "light")
    _train(app, w, iterations)
    w.session.save_to(Path(tempfile.mkdtemp()) / "circles-demo.bplab")  # a named session
    w.statusBar().clearMessage()
    _settle(app)
    written.append(out / "main-window.png")
    _save(w, written[-1])

    # step by step, as the README's first five minutes: Reset, then phase-step the fresh
    # network's first iteration into the backward pass, inspect a first-layer weight
    w.reset()
    depth = w.controller.network.depth
    for _ in range(depth + 1 + depth):  # forward layers, loss, backward layers
        w.step_phase()
    w.inspect_weight(1, 2, 0)
    w.docks["dockChainRule"].raise_()
    _settle(app, 1.0)
    written.append(out / "step-by-step.png")
    _save(w, written[-1])
    w.close()

    d = _window(app, "dark")
    _train(app, d, iterations)
    written.append(out / "dark-theme.png")
    _save(d, written[-1])
    d.close()

    laptop = _window(app, "light", LAPTOP)
    _train(app, laptop, iterations)
    laptop.inspect_weight(1, 2, 0)
    _settle(app, 1.0)
    written.append(out / "laptop-1280x800.png")
    _save(laptop, written[-1])
    laptop.close()
    app.processEvents()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, help=f"folder (default {OUT}, for Japanese {OUT / 'ja'})"
    )
    parser.add_argument("--lang", choices=tuple(LOCALES), default="en", help="the window's")
    parser.add_argument("--font", type=Path, help="a font file to load (a CJK font for ja)")
    parser.add_argument("--iterations", type=int, default=3000, help="training before shots")
    parser.add_argument("--scale", type=float, help="QT_SCALE_FACTOR, e.g. 2 for 200%%")
    args = parser.parse_args(argv)
    _setup_environment(args.scale, args.lang)
    out = args.out or (OUT if args.lang == "en" else OUT / args.lang)
    for path in make_screenshots(out, args.iterations, args.lang, args.font):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
