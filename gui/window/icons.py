"""The window's action icons, drawn in the palette's colours so that they stay readable
in both themes.

The style's standard icons (Play, Step, Reset, ...) are black pictures: on the dark
theme's grey they vanished. :func:`set_palette_icon` gives an action its standard icon
recoloured - every opaque pixel in the palette's button-text colour, the shape's alpha
kept; the disabled state in the disabled text colour - and remembers which icon it is;
:func:`recolour_icons` draws every remembered icon again from the palette now in use
(:class:`.theme.Theme` calls it after each palette change).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QWidget

#: the QAction property holding the action's QStyle.StandardPixmap (as an int)
ICON_PROPERTY = "paletteIcon"
SIZES = (16, 22, 24, 32, 48, 64)  # toolbar, menu and button sizes, each drawn sharp


def tinted(pixmap: QPixmap, colour: QColor) -> QPixmap:
    """``pixmap``'s shape (its alpha) filled with ``colour``."""
    out = QPixmap(pixmap.size())
    out.setDevicePixelRatio(pixmap.devicePixelRatio())
    out.fill(Qt.GlobalColor.transparent)
    p = QPainter(out)
    p.drawPixmap(0, 0, pixmap)
    p.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    p.fillRect(out.rect(), colour)
    p.end()
    return out


def palette_icon(
    standard: QStyle.StandardPixmap, palette: QPalette | None = None, widget: QWidget | None = None
) -> QIcon:
    """The style's ``standard`` icon in ``palette``'s button-text colour (the
    application's palette by default): normal and active in the active group's colour,
    disabled in the disabled group's."""
    palette = palette or QGuiApplication.palette()
    style = widget.style() if widget is not None else QApplication.style()
    source = style.standardIcon(standard, None, widget)
    role = QPalette.ColorRole.ButtonText
    normal = palette.color(QPalette.ColorGroup.Active, role)
    disabled = palette.color(QPalette.ColorGroup.Disabled, role)
    icon = QIcon()
    for size in SIZES:
        pixmap = source.pixmap(QSize(size, size))
        if pixmap.isNull():
            continue
        icon.addPixmap(tinted(pixmap, normal), QIcon.Mode.Normal)
        icon.addPixmap(tinted(pixmap, normal), QIcon.Mode.Active)
        icon.addPixmap(tinted(pixmap, disabled), QIcon.Mode.Disabled)
    return icon


def set_palette_icon(action: QAction, standard: QStyle.StandardPixmap) -> None:
    """Give ``action`` the style's ``standard`` icon in the palette's colours, redrawn by
    :func:`recolour_icons` when the palette changes."""
    action.setProperty(ICON_PROPERTY, int(standard.value))
    action.setIcon(palette_icon(standard))


def recolour_icons(window: QWidget) -> int:
    """Redraw the icons :func:`set_palette_icon` gave ``window``'s actions from the
    palette now in use; returns how many."""
    count = 0
    for action in window.findChildren(QAction):
        value = action.property(ICON_PROPERTY)
        if value is None:
            continue
        action.setIcon(palette_icon(QStyle.StandardPixmap(int(value))))
        count += 1
    return count


__all__ = ["ICON_PROPERTY", "palette_icon", "recolour_icons", "set_palette_icon", "tinted"]
