"""Small pictures for printouts: a trend chart of one test and an empty tick box.

Both are drawn with QPainter into images at print resolution and placed in the printout's
QTextDocument as image resources. They are drawn to survive black-and-white printing: the
normal range is a light band with dashed edges, values are black dots joined by a dark line.
The chart's caption says the same in words and is printed as text beside it, not in here.
"""

from __future__ import annotations

import math
from datetime import date

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from carebook.domain.values import format_number
from carebook.interop.printable import Chart

BAND_FILL = QColor("#dfe7e7")  # light enough to print as a pale grey
BAND_EDGE = QColor("#7a8a8a")
LINE = QColor("#2b3a3a")
DOT = QColor("#000000")


def tick_box_image(side: int) -> QImage:
    """An empty square to tick by hand, `side` pixels wide (☐ is missing from many fonts)."""
    side = max(side, 4)
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    pen_width = max(2.0, side / 12)
    painter.setPen(QPen(Qt.GlobalColor.black, pen_width))
    inset = pen_width / 2
    painter.drawRect(QRectF(inset, inset, side - pen_width, side - pen_width))
    painter.end()
    return image


def chart_image(chart: Chart, width: int, height: int, font_px: int) -> QImage:
    """`chart` as a `width` x `height` image; labels use a `font_px`-pixel font.

    Never divides by zero: one point, equal values or no values at all still draw.
    """
    image = QImage(max(width, 8), max(height, 8), QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(max(font_px, 4))
    painter.setFont(font)
    _draw_chart(painter, chart, QRectF(image.rect()), font_px)
    painter.end()
    return image


def _draw_chart(painter: QPainter, chart: Chart, area: QRectF, font_px: int) -> None:
    points = [(day, value) for day, value in chart.points if _finite(value)]
    metrics = QFontMetricsF(painter.font())
    labels = [format_number(points[0][1]), format_number(points[-1][1])] if points else []
    dot = max(area.height() / 40, 3.0)
    pad_x = max((metrics.horizontalAdvance(text) for text in labels), default=0) / 2 + dot * 2
    pad_y = metrics.height() + dot * 2
    plot = area.adjusted(pad_x, pad_y, -pad_x, -pad_y)
    if plot.width() < 2 or plot.height() < 2:
        plot = area.adjusted(dot, dot, -dot, -dot)
    low, high = _finite_or_none(chart.low), _finite_or_none(chart.high)
    limits = [limit for limit in (low, high) if limit is not None]
    to_y = _value_scale([value for _day, value in points] + limits, plot)
    _draw_band(painter, plot, to_y, low, high)
    _draw_axis(painter, plot, dot)
    if not points:
        return
    xs = _x_positions([day for day, _value in points], plot)
    spots = [QPointF(x, to_y(value)) for x, (_day, value) in zip(xs, points, strict=True)]
    _draw_line(painter, spots, dot)
    _draw_label(painter, spots[0], labels[0], area, dot)
    if len(spots) > 1:
        _draw_label(painter, spots[-1], labels[-1], area, dot)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _finite_or_none(value: float | None) -> float | None:
    return value if value is not None and _finite(value) else None


def _value_scale(values: list[float], plot: QRectF):
    """A function from a value to its y, with some air above and below the data."""
    if not values:
        values = [0.0]
    lowest, highest = min(values), max(values)
    span = highest - lowest
    # Equal values (or one) have no span: centre them with a band of their own size.
    pad = span * 0.08 if span > 0 else (abs(highest) * 0.1 or 1.0)
    lowest, highest = lowest - pad, highest + pad

    def to_y(value: float) -> float:
        return plot.bottom() - (value - lowest) / (highest - lowest) * plot.height()

    return to_y


def _x_positions(days: list[str], plot: QRectF) -> list[float]:
    """Place points by date when every date reads as ISO, else evenly; one point sits centred."""
    try:
        ordinals = [date.fromisoformat(day[:10]).toordinal() for day in days]
    except (TypeError, ValueError):
        ordinals = list(range(len(days)))
    first, span = min(ordinals), max(ordinals) - min(ordinals)
    if span == 0:
        return [plot.center().x()] * len(days)
    return [plot.left() + (ordinal - first) / span * plot.width() for ordinal in ordinals]


def _draw_band(painter: QPainter, plot: QRectF, to_y, low: float | None,
               high: float | None) -> None:
    if low is None and high is None:
        return
    top = plot.top() if high is None else max(plot.top(), to_y(high))
    bottom = plot.bottom() if low is None else min(plot.bottom(), to_y(low))
    painter.fillRect(QRectF(plot.left(), top, plot.width(), max(bottom - top, 0)), BAND_FILL)
    pen = QPen(BAND_EDGE, max(plot.height() / 120, 1.5), Qt.PenStyle.DashLine)
    painter.setPen(pen)
    for limit in (low, high):
        if limit is not None:
            y = to_y(limit)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))


def _draw_axis(painter: QPainter, plot: QRectF, dot: float) -> None:
    painter.setPen(QPen(BAND_EDGE, max(dot / 3, 1.0)))
    bottom = plot.bottom() + dot
    painter.drawLine(QPointF(plot.left() - dot, bottom), QPointF(plot.right() + dot, bottom))


def _draw_line(painter: QPainter, spots: list[QPointF], dot: float) -> None:
    if len(spots) > 1:
        path = QPainterPath(spots[0])
        for spot in spots[1:]:
            path.lineTo(spot)
        painter.setPen(QPen(LINE, dot * 0.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(DOT)
    for spot in spots:
        painter.drawEllipse(spot, dot, dot)


def _draw_label(painter: QPainter, spot: QPointF, text: str, area: QRectF, dot: float) -> None:
    """The value beside its dot: above it when there is room, else below; kept inside."""
    metrics = QFontMetricsF(painter.font())
    width, height = metrics.horizontalAdvance(text), metrics.height()
    x = min(max(spot.x() - width / 2, area.left()), area.right() - width)
    above = spot.y() - dot * 1.5 - height
    y = above if above >= area.top() else spot.y() + dot * 1.5
    painter.setPen(QPen(Qt.GlobalColor.black))
    painter.drawText(QRectF(x, y, width + 1, height), Qt.AlignmentFlag.AlignCenter, text)
