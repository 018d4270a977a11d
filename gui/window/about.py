"""Help > About: the version of Backprop Lab and of what it runs on."""

from __future__ import annotations

import platform

import numpy as np
import PySide6
from backprop_lab.engine import __version__
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

HOMEPAGE_TEXT = QT_TRANSLATE_NOOP(
    "About",
    "Build a multilayer perceptron layer by layer, train it, and watch backpropagation: "
    "the forward pass, the loss, every weight's gradient by the chain rule, the update.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


def about_text() -> str:
    """The About box's text (rich text, in the current language), naming the version."""
    import pyqtgraph as pg

    return (
        f"<h3>Backprop Lab {__version__}</h3>"
        f"<p>{_tr(HOMEPAGE_TEXT)}</p>"
        f"<p>Python {platform.python_version()}, NumPy {np.__version__}, "
        f"PySide6 {PySide6.__version__} (Qt {qVersion()}), pyqtgraph {pg.__version__}</p>"
        + QCoreApplication.translate(
            "About", "<p>MIT licence. <code>backprop-lab --version</code> prints the version.</p>"
        )
    )


def show_about(parent: QWidget) -> QMessageBox:
    """Open the About box (non-blocking; objectName ``aboutBox``) and return it."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(QCoreApplication.translate("About", "About Backprop Lab"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text())
    box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


__all__ = ["about_text", "show_about"]
