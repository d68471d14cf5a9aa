"""One analyte over time: a chart of every value in one unit with the reference band shaded,
and the table of the values as printed beneath it."""

from __future__ import annotations

import time
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.values import format_date, format_number, format_range
from carebook.services import lab_results as lab_service
from carebook.services.lab_results import Catalogue, Trend, TrendValue
from carebook.ui.lab_results_model import flag_words, source_text
from carebook.ui.pdf_view import PdfSourceDialog
from carebook.ui.record_table_model import Column, RowTableModel, flag_color
from carebook.ui.theme import Colors, current_colors
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState

pg.setConfigOptions(antialias=True)

# A shape per flag, so high and low read without colour: up, down, diamond, circle.
FLAG_SYMBOLS = {"H": "t1", "L": "t", "A": "d"}
DAY_PAD = 20 * 86400  # keep the first and last points off the chart's edges


def timestamp(iso: str) -> float:
    """Seconds since the epoch at local midnight of an ISO date (for the date axis)."""
    return time.mktime(date.fromisoformat(iso[:10]).timetuple())


def trend_columns(trend: Trend) -> list[Column]:
    """The table under the chart: each value as printed and as plotted."""
    shown = trend.unit_label
    return [
        Column("Date", lambda v: format_date(v.collected_at), lambda v: v.collected_at),
        Column("Value", lambda v: v.record.values.get("value_text")
               or format_number(v.record.values.get("value")),
               lambda v: v.record.values.get("value"), numeric=True, flag=lambda v: v.flag),
        Column("Unit", lambda v: v.record.values.get("unit") or "",
               lambda v: v.record.values.get("unit") or ""),
        Column(f"In {shown}" if shown else "Converted", _converted_text,
               lambda v: v.converted, numeric=True),
        Column("Range", lambda v: format_range(v.record.values.get("ref_low"),
                                               v.record.values.get("ref_high"),
                                               v.record.values.get("ref_text")),
               lambda v: v.record.values.get("ref_low")),
        Column("Flag", lambda v: flag_words(v.flag), lambda v: v.flag or "",
               flag=lambda v: v.flag),
        Column("Source", lambda v: source_text(v.record), lambda v: v.record.provenance.page),
    ]


def _converted_text(value: TrendValue) -> str:
    if value.converted is None:
        return "can't convert" if value.record.values.get("value") is not None else ""
    # As precise as a report would print it: 90.981 reads as 91, 5.046 as 5.05.
    size = abs(value.converted)
    return format_number(round(value.converted, 0 if size >= 100 else 1 if size >= 10 else 2))


class LabTrendView(QWidget):
    """The chart and the table of one Trend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors: Colors = current_colors()
        self.trend: Trend | None = None
        self.heading = label("", "heading", wrap=False)
        self.notes = label("", "muted")
        self.legend = label("", "muted")
        self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        self.plot.setMinimumHeight(240)
        self.plot.setMenuEnabled(False)
        self.plot.setBackground(self.colors.base)
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        for side in ("left", "bottom"):
            axis = self.plot.getAxis(side)
            axis.setPen(pg.mkPen(self.colors.border))
            axis.setTextPen(pg.mkPen(self.colors.text))
        self.band: pg.LinearRegionItem | None = None
        self.line = pg.PlotDataItem(pen=pg.mkPen(self.colors.accent, width=2))
        self.scatter = pg.ScatterPlotItem(size=12, hoverable=True, tip=self._tip)
        self.plot.addItem(self.line)
        self.plot.addItem(self.scatter)

        self.model = RowTableModel([], parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.plot)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([400, 280])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.notes)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.legend)

    def set_trend(self, trend: Trend) -> None:
        """Show a trend: points, band, notes and the table."""
        self.trend = trend
        unit = trend.unit_label
        self.heading.setText(trend.name)
        notes = trend.notes()
        self.notes.setText("\n".join(notes))
        self.notes.setVisible(bool(notes))
        self.plot.setLabel("left", f"{trend.name} ({unit})" if unit else trend.name,
                           color=self.colors.text)
        points = trend.points
        xs = [timestamp(v.collected_at) for v in points]
        ys = [v.converted for v in points]
        self.line.setData(xs, ys)
        self.scatter.setData(spots=[self._spot(x, y, v) for x, y, v in
                                    zip(xs, ys, points, strict=True)])
        self._draw_band(trend, ys)
        if xs:
            pad = max((max(xs) - min(xs)) * 0.04, DAY_PAD)
            self.plot.setXRange(min(xs) - pad, max(xs) + pad, padding=0)
        self.legend.setText(self._legend_text(trend))
        self.model.columns = trend_columns(trend)
        self.model.set_rows(list(reversed(trend.values)))  # newest first, as in the list
        for column in range(self.model.columnCount() - 1):
            self.table.resizeColumnToContents(column)

    def _spot(self, x: float, y: float, value: TrendValue) -> dict:
        color = flag_color(value.flag) or self.colors.accent
        return {"pos": (x, y), "data": value, "symbol": FLAG_SYMBOLS.get(value.flag or "", "o"),
                "brush": pg.mkBrush(color), "pen": pg.mkPen(self.colors.base, width=1.5)}

    def _draw_band(self, trend: Trend, ys: list[float]) -> None:
        if self.band is not None:
            self.plot.removeItem(self.band)
            self.band = None
        limits = [] if trend.band is None else [
            v for v in (trend.band.low, trend.band.high) if v is not None]
        values = ys + limits
        if not values:
            return
        low, high = min(values), max(values)
        pad = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
        bottom, top = low - pad, high + pad
        self.plot.setYRange(bottom, top, padding=0)
        if trend.band is None:
            return
        # A one-sided range ("< 130") is shaded to the edge of the chart on its open side.
        band_low = trend.band.low if trend.band.low is not None else min(bottom, 0)
        band_high = trend.band.high if trend.band.high is not None else top + pad * 10
        fill = QColor(self.colors.ok)
        fill.setAlpha(40)
        edge = QColor(self.colors.ok)
        edge.setAlpha(110)
        self.band = pg.LinearRegionItem(values=(band_low, band_high),
                                        orientation="horizontal", movable=False,
                                        brush=pg.mkBrush(fill), pen=pg.mkPen(edge, width=1))
        self.band.setZValue(-10)
        self.band.setToolTip(trend.band.label)
        self.plot.addItem(self.band)

    def _legend_text(self, trend: Trend) -> str:
        shapes = "▲ high   ▼ low   ◆ abnormal   ● in range or no range"
        if trend.band is None:
            return shapes
        band = f"{trend.band.text} {trend.unit_label}".strip()
        return f"Shaded band: {band}, the {trend.band.label}.\n{shapes}"

    def _tip(self, x: float, y: float, data: TrendValue) -> str:
        words = flag_words(data.flag)
        printed = lab_service.printed_value(data.record)
        return (f"{format_date(data.collected_at)}: {printed}"
                + (f" ({words})" if words else ""))


class LabTrendDialog(QDialog):
    """A window with one analyte's trend for one person."""

    def __init__(self, state: WorkspaceState, profile_id: int, analyte: str,
                 catalogue: Catalogue | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.profile_id, self.analyte, self.catalogue = profile_id, analyte, catalogue
        self.source_dialog: PdfSourceDialog | None = None
        self.resize(960, 760)
        self.view = LabTrendView(self)
        self.view.table.activated.connect(self._open_source)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.explain_button = buttons.addButton("Explain this trend",
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.explain_button.setToolTip("Explain the latest result and how it moved, in plain "
                                       "words, on this computer")
        self.explain_button.clicked.connect(self.explain)
        self.trend: Trend | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        state.sig_records_changed.connect(self._records_changed)
        self.reload()

    def reload(self) -> None:
        """Read the trend again from the vault."""
        trend = self.state.runner.task(lab_service.build_trend, self.state.vault,
                                       self.profile_id, self.analyte,
                                       self.catalogue).bound_to(self).run_now()
        if trend is not None:
            self.trend = trend
            self.explain_button.setEnabled(bool(trend.values))
            self.view.set_trend(trend)
            person = self.state.profile.name if self.state.profile else ""
            self.setWindowTitle(f"{trend.name} over time — {person}".rstrip(" —"))

    def explain(self) -> None:
        """Explain the latest result with its history (the Explain panel adds the trend)."""
        if self.trend is None or not self.trend.values:
            return
        from carebook.ui.explain_dialog import ExplainDialog

        latest = self.trend.values[-1].record
        dialog = ExplainDialog(self.state, self.profile_id, [latest.id],
                               f"{self.trend.name} over time", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def _records_changed(self, kind: str) -> None:
        if kind in ("lab_result", "*") and self.state.vault is not None:
            self.reload()

    def _open_source(self, index) -> None:
        value: TrendValue = self.view.model.row_at(index.row())
        origin = value.record.provenance
        if origin.document_id is None:
            return
        self.source_dialog = PdfSourceDialog(self.state, origin.document_id, origin.page, self)
        self.source_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.source_dialog.show()
