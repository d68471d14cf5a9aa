"""A PrintDocument as a paginated QTextDocument: the body of every printed page.

The body is written as QTextDocument HTML (every piece of record text escaped: it is user
input) and laid out against a 300 dpi PDF device, whatever it is finally painted on, so the
PDF, the preview and a printer break lines and pages alike. The builder also notes the
headings and tables it wrote, and writes back the page breaks that ui/print_pages.py
decides when it tidies the pages; ui/print_pdf.py paints them.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QTextDocument,
    QTextOption,
)

from carebook.interop.printable import (
    Chart,
    Checklist,
    Facts,
    PageSetup,
    Paragraph,
    PrintDocument,
    Table,
)
from carebook.ui.print_chart import chart_image, tick_box_image

LAYOUT_DPI = 300
MUTED = "#555555"
SHADE = "#e6e6e6"
EMPHASIS_SHADE = "#efefef"
RULE = "#808080"
# Where a line may break inside a "word": after a hyphen or slash not followed by a digit.
BREAKS = re.compile(r"\s+|(?<=[-/])(?=\D)")


def mm_to_px(mm: float) -> float:
    """Millimetres to layout pixels."""
    return mm / 25.4 * LAYOUT_DPI


def pt_to_px(pt: float) -> float:
    """Points to layout pixels."""
    return pt / 72 * LAYOUT_DPI


def print_font(pt: float, *, bold: bool = False, pixels: bool = True) -> QFont:
    """The print font; in layout pixels by default, so any later painter scale applies.

    Shared between callers (cached): treat it as read-only.
    """
    return _print_font(QGuiApplication.font().family(), round(pt, 2), bold, pixels)


@functools.lru_cache(maxsize=64)
def _print_font(family: str, pt: float, bold: bool, pixels: bool) -> QFont:
    font = QFont(family)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    if pixels:
        font.setPixelSize(max(round(pt_to_px(pt)), 1))
    else:
        font.setPointSizeF(pt)
    font.setBold(bold)
    return font


def text_html(text: str) -> str:
    """User text as HTML that prints literally; line breaks kept."""
    escaped = html.escape(text or "", quote=True)
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


@dataclass
class Unit:
    """A heading or a table of the body, for tidying page breaks around it."""

    id: int
    kind: str  # "heading" or "table"
    lead: int | None  # the heading this unit hangs from: a break goes before that instead


@dataclass
class Breaks:
    """Page-break decisions fed back into the HTML."""

    before: set[int] = field(default_factory=set)  # units that start a new page
    splits: dict[int, tuple[int, ...]] = field(default_factory=dict)  # table -> rows that do
    # Breaks left to Qt: the content before already spilled onto the next page, and a
    # forced break there would leave that page blank. Unit ids, or (table, row) for parts.
    unforced: set[object] = field(default_factory=set)


def typeset(document: PrintDocument, setup: PageSetup, device: QPagedPaintDevice,
             width: float, breaks: Breaks,
             pictures: dict[str, QImage] | None = None) -> tuple[QTextDocument, HtmlBuilder]:
    """`document` as a QTextDocument on `device`, `width` layout pixels wide, not paginated."""
    text = QTextDocument()
    text.documentLayout().setPaintDevice(device)
    text.setDocumentMargin(0)
    text.setUseDesignMetrics(True)
    text.setDefaultFont(print_font(setup.body_pt, pixels=False))
    option = QTextOption()
    # Long words break anywhere rather than push a table past the page edge.
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    text.setDefaultTextOption(option)
    builder = HtmlBuilder(setup, device, width, breaks, pictures)
    markup = builder.document(document)
    for name, image in builder.images.items():
        text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), image)
    text.setHtml(markup)
    text.setTextWidth(width)
    return text, builder


class HtmlBuilder:
    """The body as QTextDocument HTML, plus the images it shows and its headings and tables."""

    def __init__(self, setup: PageSetup, device: QPagedPaintDevice, body_width_px: float,
                 breaks: Breaks, pictures: dict[str, QImage] | None = None) -> None:
        self.setup = setup
        self.body_pt = setup.body_pt
        self.device = device
        self.body_width_px = body_width_px
        self.breaks = breaks
        self.html_per_px = html_px_per_layout_px(device)
        self.images: dict[str, QImage] = {}
        # Pictures drawn for an earlier typesetting of the same document, by name.
        self._pictures = {} if pictures is None else pictures
        self.units: list[Unit] = []
        self.frames: list[tuple[int, int]] = []  # (table unit, first row) of each HTML table
        self.forced: list[tuple[object, int]] = []  # (break key, heading id or -1 - frame index)
        self._lead: int | None = None
        self._charts = 0
        # Room inside cells and rules grow with the text, but only so far: at the largest
        # size every point of width is needed for words.
        self.cell_pad_pt = min(self.body_pt * 0.25, 3.0)
        self.border_pt = min(max(self.body_pt * 0.05, 0.3), 0.75)
        self.cell_edge_px = 2 * pt_to_px(self.cell_pad_pt + self.border_pt)

    def px(self, pt: float) -> int:
        """A length given in points, as HTML pixels (at least 1)."""
        return max(1, round(pt_to_px(pt) * self.html_per_px))

    def gap(self, lines: float) -> int:
        """Vertical space of `lines` body lines, in HTML pixels."""
        return self.px(self.body_pt * 1.2 * lines) if lines else 0

    def document(self, document: PrintDocument) -> str:
        """The whole body: title (on paper), sections in order, closing words."""
        parts = []
        if not self.setup.is_card:
            parts.append(self._p(document.title, size=1.6, bold=True, after=0.3))
        if document.subtitle:
            parts.append(self._p(document.subtitle, color=MUTED, after=0.5))
        # A card's headings stay close to its text: every line counts on a bank card.
        heading = (1.1, 0.3, 0.05) if self.setup.is_card else (1.3, 0.6, 0.25)
        for section in document.sections:
            parts.append(self._heading(section.title, size=heading[0], before=heading[1],
                                       after=heading[2]))
            parts.extend(self.block(block) for block in section.blocks)
        if document.closing:
            parts.append(self._p(document.closing, size=0.8, color=MUTED, before=1.0))
        return "<html><body>" + "".join(parts) + "</body></html>"

    def block(self, block) -> str:
        """One block of a section."""
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, Facts):
            return self.facts(block)
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Chart):
            return self.chart(block)
        if isinstance(block, Checklist):
            return self.checklist(block)
        raise TypeError(f"cannot print a {type(block).__name__}")

    def paragraph(self, paragraph: Paragraph) -> str:
        """Body text, small muted print, or a boxed warning that shows without colour."""
        if paragraph.style == "muted":
            return self._p(paragraph.text, size=0.85, color=MUTED, after=0.4)
        if paragraph.style == "warning":
            # Blocks cannot have borders in QTextDocument; a one-cell table can. The border
            # is the cell's own: Qt draws a table border with a gap at one corner.
            cell = (f'bgcolor="{SHADE}" style="border-width:{self.px(self.border_pt * 2)}px; '
                    'border-style:solid; border-color:#000000"')
            row = f"<tr><td {cell}><b>{text_html(paragraph.text)}</b></td></tr>"
            attributes = f'border="0" width="100%" cellpadding="{self.px(self.body_pt * 0.4)}"'
            return self._tables(attributes, "", "", [row])
        return self._p(paragraph.text, after=0.4)

    def facts(self, facts: Facts) -> str:
        """Label and value side by side, labels bold."""
        rows = [f'<tr><td style="padding-right:{self.px(self.body_pt)}px"><b>{text_html(label)}'
                f"</b></td><td>{text_html(value)}</td></tr>" for label, value in facts.rows]
        return self._tables(f'border="0" cellpadding="{self.px(self.body_pt * 0.15)}"', "", "",
                            rows)

    def table(self, table: Table) -> str:
        """A ruled table; the heading row repeats on every page it spans."""
        count = max([len(table.columns), *(len(row) for row in table.rows)], default=0)
        if count == 0:
            return ""
        widths = self._column_percents(table, count)
        heads = "".join(f'<th align="left" bgcolor="{SHADE}" width="{width:.2f}%">'
                        f"{text_html(name)}</th>"
                        for name, width in zip(_padded(table.columns, count), widths,
                                               strict=True))
        rows = [self._table_row(row, count, table.emphasised(index))
                for index, row in enumerate(table.rows)]
        attributes = (f'border="{self.px(self.border_pt)}" width="100%" '
                      f'cellpadding="{self.px(self.cell_pad_pt)}"')
        head = f"<thead><tr>{heads}</tr></thead>" if table.columns else ""
        return self._tables(attributes, RULE, head, rows)

    def _table_row(self, row: tuple[str, ...], count: int, emphasised: bool) -> str:
        if emphasised:
            cells = "".join(f'<td bgcolor="{EMPHASIS_SHADE}"><b>{text_html(cell)}</b></td>'
                            for cell in _padded(row, count))
        else:
            cells = "".join(f"<td>{text_html(cell)}</td>" for cell in _padded(row, count))
        return f"<tr>{cells}</tr>"

    def _column_percents(self, table: Table, count: int) -> list[float]:
        """Column widths as a share of the page: each column's longest word if they all fit
        (else the longest words give way first), then the rest so that as many columns as
        possible keep each cell on one line."""
        metrics = QFontMetricsF(print_font(self.body_pt, bold=True), self.device)
        edge = self.cell_edge_px + pt_to_px(1)  # padding, borders, and rounding to spare
        shortest, longest = [], []
        for column in range(count):
            texts = [cells[column] for cells in (table.columns, *table.rows) if column < len(cells)]
            lines = [line for text in texts for line in (text or "").splitlines()] or [""]
            words = [word for line in lines for word in BREAKS.split(line)] or [""]
            shortest.append(max(metrics.horizontalAdvance(word) for word in words) + edge)
            longest.append(max(metrics.horizontalAdvance(line) for line in lines) + edge)
        # Qt takes shares of the width left once the borders between columns are drawn.
        room = self.body_width_px - (count + 1) * pt_to_px(self.border_pt * 2)
        if sum(longest) <= room:
            widths = [width * room / sum(longest) for width in longest]
        elif sum(shortest) <= room:
            spare = room - sum(shortest)
            wants = [long - short for long, short in zip(longest, shortest, strict=True)]
            # Columns that need little more get it all; the widest ones wrap.
            widths = [short + extra for short, extra
                      in zip(shortest, _water_fill(wants, spare), strict=True)]
        else:
            widths = _water_fill(shortest, room)
        return [width * 100 / room for width in widths]

    def chart(self, chart: Chart) -> str:
        """Title, the chart picture, then its caption as real text."""
        scale = self.body_pt / 12  # about 7 x 2.5 cm at normal size on paper
        width_px = min(mm_to_px(70 * scale), self.body_width_px)
        height_px = width_px * 25 / 70
        self._charts += 1
        name = f"carebook-chart-{self._charts}"  # the same in every typesetting
        self.images[name] = self._picture(
            name, lambda: chart_image(chart, round(width_px), round(height_px),
                                      round(pt_to_px(self.body_pt * 0.75))))
        heading = chart.title + (f" ({chart.unit})" if chart.unit else "")
        parts = [self._heading(heading, size=1.0, before=0.2, after=0.15)]
        parts.append(f'<p style="margin-top:0px; margin-bottom:{self.gap(0.15)}px">'
                     f'<img src="{name}" width="{round(width_px * self.html_per_px)}" '
                     f'height="{round(height_px * self.html_per_px)}"></p>')
        if chart.caption:
            parts.append(self._p(chart.caption, size=0.9, after=0.5))
        return "".join(parts)

    def checklist(self, checklist: Checklist) -> str:
        """Each item after an empty box, with ruled lines to write on when asked."""
        side = round(pt_to_px(self.body_pt * 0.8))
        self.images["carebook-tick-box"] = self._picture("carebook-tick-box",
                                                         lambda: tick_box_image(side))
        box = (f'<img src="carebook-tick-box" width="{round(side * self.html_per_px)}" '
               f'height="{round(side * self.html_per_px)}">')
        lines = "".join(f'<hr style="margin-top:{self.gap(1.1)}px">' for _ in range(2))
        rows = [f'<tr><td width="{self.px(self.body_pt * 1.4)}" valign="top">{box}</td>'
                f'<td>{text_html(item)}{lines if checklist.answer_space else ""}</td></tr>'
                for item in checklist.items]
        return self._tables(f'border="0" width="100%" cellpadding="{self.px(self.body_pt * 0.2)}"',
                            "", "", rows)

    def _picture(self, name: str, draw) -> QImage:
        if name not in self._pictures:
            self._pictures[name] = draw()
        return self._pictures[name]

    def _tables(self, attributes: str, border_color: str, head: str, rows: list[str]) -> str:
        """One table, as several when page tidying split it; each part repeats `head`."""
        unit = self._unit("table")
        splits = self.breaks.splits.get(unit.id, ())
        starts = [0, *splits]
        parts = []
        for number, (first, end) in enumerate(zip(starts, [*splits, len(rows)], strict=True)):
            self.frames.append((unit.id, first))
            style = [f"margin-bottom:{self.gap(0.5) if end == len(rows) else 0}px"]
            if border_color:
                style.append(f"border-collapse:collapse; border-style:solid; "
                             f"border-color:{border_color}")
            key = (unit.id, first) if number else unit.id
            if (number or unit.id in self.breaks.before) and key not in self.breaks.unforced:
                style.append("page-break-before:always")
                self.forced.append((key, -len(self.frames)))
            parts.append(f'<table cellspacing="0" {attributes} style="{"; ".join(style)}">'
                         f'{head}{"".join(rows[first:end])}</table>')
        return "".join(parts)

    def _unit(self, kind: str) -> Unit:
        unit = Unit(id=len(self.units) + 1, kind=kind, lead=self._lead)
        self.units.append(unit)
        # A heading starts (or continues) a run that must stay with what follows it.
        self._lead = (self._lead or unit.id) if kind == "heading" else None
        return unit

    def _heading(self, text: str, *, size: float, before: float, after: float) -> str:
        unit = self._unit("heading")
        return self._p(text, size=size, bold=True, before=before, after=after, unit=unit)

    def _p(self, text: str, *, size: float = 1.0, bold: bool = False, color: str = "",
           before: float = 0.0, after: float = 0.0, unit: Unit | None = None) -> str:
        style = [f"font-size:{self.body_pt * size:.2f}pt", f"margin-top:{self.gap(before)}px",
                 f"margin-bottom:{self.gap(after)}px"]
        if bold:
            style.append("font-weight:bold")
        if color:
            style.append(f"color:{color}")
        if unit is None:
            self._lead = None
        else:
            style.append(f"-qt-user-state:{unit.id}")
            if unit.id in self.breaks.before and unit.id not in self.breaks.unforced:
                style.append("page-break-before:always")
                self.forced.append((unit.id, unit.id))
        return f'<p style="{"; ".join(style)}">{text_html(text)}</p>'


def html_px_per_layout_px(device: QPagedPaintDevice) -> float:
    """How many QTextDocument HTML pixels make one layout pixel.

    Qt reads HTML lengths (padding, borders, image sizes) at the screen's logical dpi and
    scales them to the layout device, so the ratio is measured rather than assumed.
    """
    probe = QTextDocument()
    probe.documentLayout().setPaintDevice(device)
    probe.setDocumentMargin(0)
    probe.addResource(QTextDocument.ResourceType.ImageResource, QUrl("probe"),
                      QImage(1, 1, QImage.Format.Format_RGB32))
    probe.setHtml('<img src="probe" width="1000" height="1">')
    laid_out = probe.idealWidth()
    return 1000 / laid_out if laid_out > 0 else 1.0


def _water_fill(wants: list[float], room: float) -> list[float]:
    """Share `room` so that every want up to a common cap is met in full: short words stay
    whole and only the longest ones break."""
    remaining, left = room, len(wants)
    cap = room
    for want in sorted(wants):
        if want * left > remaining:
            cap = remaining / left
            break
        remaining -= want
        left -= 1
    return [min(want, cap) for want in wants]


def _padded(cells: tuple[str, ...], count: int) -> tuple[str, ...]:
    return tuple(cells) + ("",) * (count - len(cells))
