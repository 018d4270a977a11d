"""Light and dark themes: the Qt palette, pyqtgraph's background and foreground, the
diverging colour map and the few colours the views choose themselves.

The choice is "system" (follow the desktop's colour scheme, Qt 6.5+
``QStyleHints.colorScheme``, and change with it), "light" or "dark". Under "system" on a
light desktop the platform's own palette is kept; otherwise the app uses the Fusion
style with its own palette, so both themes look the same everywhere.

pyqtgraph (imported only once the views are, so that the window can appear first):
``setConfigOptions(background=..., foreground=...)`` for plots made later (see
:func:`plot_options`, which :func:`configure_pyqtgraph` uses), and every existing
plot is re-coloured (background, axes, legends, the training-loss
curve); heatmap images and colour bars take the theme's diverging map
(:func:`gui.views.colormaps.set_dark`). The network view's edge colours are blended
towards the background when they are drawn, so they follow on the next frame. The
actions' icons are redrawn in the new palette's text colour (:mod:`.icons`).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from .icons import recolour_icons

CHOICES = ("system", "light", "dark")
_scheme = "light"  # the scheme last applied (plot_options follows it)
_platform: tuple[QPalette, str] | None = None  # the platform's own palette and style


@dataclass(frozen=True)
class PlotColours:
    """pyqtgraph colours of one theme."""

    background: tuple[int, int, int]
    foreground: tuple[int, int, int]
    legend: tuple[int, int, int, int]
    curve: tuple[int, int, int]  # the training-loss curve (its colour is the theme's)


PLOT_COLOURS = {
    "light": PlotColours((255, 255, 255), (40, 40, 40), (255, 255, 255, 200), (30, 30, 30)),
    "dark": PlotColours((0, 0, 0), (200, 200, 200), (0, 0, 0, 160), (230, 230, 230)),
}


def plot_options() -> dict:
    """pyqtgraph's background and foreground for the theme last applied."""
    colours = PLOT_COLOURS[_scheme]
    return {"background": colours.background, "foreground": colours.foreground}


def configure_pyqtgraph() -> None:
    """pyqtgraph options every view relies on: images indexed [row, column] (W[j, i] is
    drawn at row j, column i) and no antialiasing (the fast drawing path). Idempotent."""
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False, **plot_options())


def _plots_loaded() -> bool:
    return "pyqtgraph" in sys.modules


def system_scheme() -> str:
    """ "dark" if the desktop asks for a dark colour scheme, else "light"."""
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def resolve(choice: str) -> str:
    """The scheme ("light"/"dark") a choice ("system"/"light"/"dark") means now."""
    if choice not in CHOICES:
        raise ValueError(f"unknown theme {choice!r}; choose one of {', '.join(CHOICES)}")
    return system_scheme() if choice == "system" else choice


def dark_palette() -> QPalette:
    """A dark Fusion palette (text contrast >= 7:1 on the window colour)."""
    p = QPalette()
    window, base, text = QColor(45, 45, 48), QColor(30, 30, 32), QColor(230, 230, 230)
    disabled = QColor(130, 130, 130)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor(40, 40, 43)),
        (QPalette.ColorRole.ToolTipBase, QColor(60, 60, 64)),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, disabled),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor(55, 55, 58)),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 90, 90)),
        (QPalette.ColorRole.Light, QColor(75, 75, 78)),
        (QPalette.ColorRole.Midlight, QColor(62, 62, 65)),
        (QPalette.ColorRole.Mid, QColor(40, 40, 42)),
        (QPalette.ColorRole.Dark, QColor(25, 25, 27)),
        (QPalette.ColorRole.Shadow, QColor(10, 10, 10)),
        (QPalette.ColorRole.Highlight, QColor(42, 130, 218)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.Link, QColor(90, 170, 255)),
        (QPalette.ColorRole.LinkVisited, QColor(170, 130, 255)),
    ):
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    """The Fusion style's light palette."""
    style = QStyleFactory.create("Fusion")
    return style.standardPalette() if style is not None else QPalette()


def is_dark_palette(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class Theme(QObject):
    """Applies a theme choice to the application and to a window's plots."""

    changed = Signal(str)  # the scheme now shown: "light" or "dark"

    def __init__(self, window: QWidget, choice: str = "system") -> None:
        super().__init__(window)
        self.window = window
        self.choice = choice if choice in CHOICES else "system"
        self.scheme = ""
        global _platform
        app = QApplication.instance()
        if _platform is None and app is not None:  # before any theme changed them
            _platform = (QPalette(app.palette()), app.style().name())
        self._platform_palette, self._platform_style = _platform or (QPalette(), "")
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_changed)

    def set_choice(self, choice: str) -> str:
        """Use ``choice`` ("system", "light", "dark"); returns the scheme shown."""
        resolve(choice)  # ValueError for an unknown choice
        self.choice = choice
        return self.apply()

    def apply(self) -> str:
        """Apply the current choice everywhere; returns the scheme shown."""
        global _scheme
        scheme = resolve(self.choice)
        self.scheme = _scheme = scheme
        self._apply_palette(scheme)
        recolour_icons(self.window)  # the action icons, drawn in the new palette's colours
        if _plots_loaded():
            self.apply_to_plots()
        self.changed.emit(scheme)
        return scheme

    def _apply_palette(self, scheme: str) -> None:
        app = QApplication.instance()
        if app is None:
            return
        platform_fits = is_dark_palette(self._platform_palette) == (scheme == "dark")
        if self.choice == "system" and platform_fits:
            if self._platform_style and app.style().name() != self._platform_style:
                app.setStyle(self._platform_style)
            app.setPalette(self._platform_palette)
            return
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(dark_palette() if scheme == "dark" else light_palette())

    def apply_to_plots(self) -> None:
        """Re-colour every pyqtgraph view in the window (and set the options new plots
        take); call after the views are created. Imports pyqtgraph."""
        import pyqtgraph as pg

        from ..views import colormaps

        scheme = self.scheme or resolve(self.choice)
        colours = PLOT_COLOURS[scheme]
        pg.setConfigOptions(**plot_options())
        colormaps.set_dark(scheme == "dark")
        fg = pg.mkColor(colours.foreground)
        cmap = colormaps.diverging()
        for view in self.window.findChildren(pg.GraphicsView):
            view.setBackground(colours.background)
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen()
                    item.setTextPen()
                elif isinstance(item, pg.LegendItem):
                    item.setLabelTextColor(fg)
                    item.setBrush(pg.mkBrush(colours.legend))
                    for _, label in item.items:
                        label.setText(label.text)  # draw the text in its new colour
                elif isinstance(item, pg.LabelItem) and not _in_legend(item):
                    item.setText(item.text, color=fg)  # plot titles
                elif isinstance(item, pg.TextItem) and getattr(item, "theme_text", False):
                    item.setColor(fg)  # captions drawn in the text colour
                elif isinstance(item, pg.ColorBarItem | pg.ImageItem) and _is_heatmap(view):
                    item.setColorMap(cmap)
        loss_plot = getattr(self.window, "loss_plot", None)
        if isinstance(loss_plot, pg.PlotWidget):
            items = loss_plot.getPlotItem().listDataItems()
            if items:
                items[0].setPen(pg.mkPen(colours.curve, width=1))

    @Slot()
    def _on_system_changed(self) -> None:
        if self.choice == "system":
            self.apply()


def _in_legend(item) -> bool:
    parent = item.parentItem()
    while parent is not None:
        if type(parent).__name__ == "LegendItem":
            return True
        parent = parent.parentItem()
    return False


def _is_heatmap(view) -> bool:
    """Inside the weight/gradient heatmaps (diverging values) - not the decision view."""
    while view is not None:
        if view.objectName() == "gradientHeatmaps":
            return True
        view = view.parentWidget()
    return False


__all__ = [
    "CHOICES",
    "PLOT_COLOURS",
    "PlotColours",
    "Theme",
    "configure_pyqtgraph",
    "dark_palette",
    "light_palette",
    "plot_options",
    "resolve",
    "system_scheme",
]
