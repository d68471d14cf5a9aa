"""Line icons drawn from resources/icons/*.svg in the current text colour."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from carebook.paths import resource
from carebook.ui.theme import current_colors


def icon(name: str, color: str | None = None) -> QIcon:
    """An icon from resources/icons/<name>.svg, tinted for the current theme."""
    return _icon(name, color or current_colors().text)


def app_icon() -> QIcon:
    """Carebook's own (full-colour) icon."""
    return QIcon(str(resource("icons", "carebook.svg")))


@cache
def _icon(name: str, color: str) -> QIcon:
    svg = resource("icons", f"{name}.svg").read_text(encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", color).encode("utf-8")))
    result = QIcon()
    for size in (16, 20, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
