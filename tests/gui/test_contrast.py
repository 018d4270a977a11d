"""Everything on the step toolbar readable in both themes (issue 12): each action's icon
and each text, by the WCAG 2 contrast ratio between its foreground and the background
it is drawn on - at least 3 for icons (graphical objects), 4.5 for text. On the dark
theme the style's standard icons and the phase indicator (whose style sheet had fixed
its palette) were black on dark grey."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QLabel, QToolBar

ICON_CONTRAST = 3.0
TEXT_CONTRAST = 4.5


def luminance(c: QColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(c.red()) + 0.7152 * linear(c.green()) + 0.0722 * linear(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio, 1 (none) .. 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(c: QColor, bg: QColor) -> QColor:
    """``c`` (with its alpha) composited over the opaque ``bg``."""
    a = c.alphaF()
    return QColor.fromRgbF(
        *(x * a + y * (1 - a) for x, y in zip(c.getRgbF()[:3], bg.getRgbF()[:3], strict=True))
    )


def colours(image: QImage, bg: QColor | None = None, min_alpha: int = 128) -> Counter:
    """How often each colour appears among the pixels at least ``min_alpha`` opaque
    (composited over ``bg`` when given)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    count: Counter = Counter()
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if c.alpha() >= min_alpha:
                count[(over(c, bg) if bg is not None else c).rgb()] += 1
    return count


def foreground_contrast(image: QImage, bg: QColor, quantile: float = 0.9) -> float:
    """The contrast of what is drawn against ``bg``: over the opaque pixels that are not
    the background, the ``quantile`` of their contrast ratios - the strokes' own colour,
    not their anti-aliased edges (small text is mostly edges) nor one stray pixel."""
    ratios = sorted(
        r
        for rgb, n in colours(image, bg).items()
        if rgb != bg.rgb()
        for r in [contrast(QColor.fromRgb(rgb), bg)] * n
    )
    assert ratios, "nothing drawn"
    return ratios[min(int(quantile * len(ratios)), len(ratios) - 1)]


@pytest.fixture(params=["light", "dark"])
def themed(window, qtbot, request):
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    assert window.appearance.set_theme(request.param) == request.param
    qtbot.wait(1)  # palette change events delivered
    bar = window.findChild(QToolBar, "stepToolBar")
    yield window, bar, request.param
    window.appearance.set_theme("light")


def test_every_toolbar_icon_stands_out_from_the_toolbar(themed):
    _, bar, scheme = themed
    bg = bar.palette().color(QPalette.ColorRole.Window)
    assert (bg.lightness() < 100) == (scheme == "dark")
    icons = [a for a in bar.actions() if not a.icon().isNull()]
    assert {a.objectName() for a in icons} >= {
        "actionPlay", "actionStep", "actionStepPhase", "actionFinishIteration", "actionReset"
    }  # fmt: skip
    for action in icons:
        image = action.icon().pixmap(bar.iconSize(), QIcon.Mode.Normal).toImage()
        ratio = foreground_contrast(image, bg)
        assert ratio >= ICON_CONTRAST, (scheme, action.objectName(), round(ratio, 2))


def test_play_keeps_a_readable_icon_when_it_becomes_pause(themed):
    window, bar, _ = themed
    bg = bar.palette().color(QPalette.ColorRole.Window)
    window.training.on_running_changed(True)  # what the controller says when Play starts
    try:
        image = window.action_play.icon().pixmap(bar.iconSize()).toImage()
        assert foreground_contrast(image, bg) >= ICON_CONTRAST
    finally:
        window.training.on_running_changed(False)


def test_the_phase_indicator_and_the_toolbar_labels_are_readable(themed):
    window, bar, scheme = themed
    bg = bar.palette().color(QPalette.ColorRole.Window)
    labels = [w for w in bar.findChildren(QLabel) if w.isVisible() and w.text()]
    assert window.phase_indicator in labels and len(labels) >= 3  # + "Step on:", "sample"
    window.step_phase()  # a second text: the indicator follows the phase
    for label in labels:
        image = label.grab().toImage()
        # the label draws on the toolbar's colour (it does not paint a background of its own)
        drawn_on = QColor.fromRgb(colours(image).most_common(1)[0][0])
        assert drawn_on.rgb() == bg.rgb(), (scheme, label.text(), drawn_on.name(), bg.name())
        ratio = foreground_contrast(image, bg)
        assert ratio >= TEXT_CONTRAST, (scheme, label.text(), round(ratio, 2))
