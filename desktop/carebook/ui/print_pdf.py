"""Printouts on paper: the appointment pack and the emergency card as PDF, or on a printer.

`paint_document` draws a PrintDocument page by page (header, body, footer) on any paged
device; `write_pdf` uses it with QPdfWriter and saves the file atomically, so the print
preview, a printer and the PDF show the same pages. Needs a QGuiApplication, no widgets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
)

from carebook.atomic import write_atomically
from carebook.errors import BadInput
from carebook.interop.printable import PAPER_SIZES_MM, PageSetup, PdfResult, PrintDocument
from carebook.ui.print_layout import (
    LAYOUT_DPI,
    MUTED,
    RULE,
    mm_to_px,
    print_font,
    pt_to_px,
)
from carebook.ui.print_pages import build_body

PDF_METADATA = "Carebook"  # title and creator; the person and their records stay out of it
STANDARD_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
DEFAULT_SETUP = PageSetup()  # A4, normal text
CARD_MAX_MARGIN_MM = 3.0  # the paper default of 15 mm would leave no card
TO_UNICODE_RANGES = re.compile(rb"beginbfrange.*?endbfrange", re.DOTALL)


def paper_size_mm(setup: PageSetup) -> tuple[float, float]:
    """Width and height of the sheet as printed; the card lies landscape."""
    width, height = PAPER_SIZES_MM[setup.paper]
    if setup.is_card:
        return max(width, height), min(width, height)
    return width, height


@dataclass(frozen=True)
class PageGeometry:
    """Where things go on every page, in layout pixels."""

    header: QRectF  # the header line; a rule goes just under it
    body: QRectF
    footer: QRectF  # of no height when the page has no footer
    header_pt: float
    footer_pt: float


def page_geometry(setup: PageSetup, device: QPagedPaintDevice, *,
                  footer: bool) -> PageGeometry:
    """The header line, body and footer line of a page for `setup`."""
    width_mm, height_mm = paper_size_mm(setup)
    margin_mm = min(setup.margins_mm, CARD_MAX_MARGIN_MM) if setup.is_card else setup.margins_mm
    margin = mm_to_px(margin_mm)
    box = QRectF(margin, margin, mm_to_px(width_mm) - 2 * margin,
                 mm_to_px(height_mm) - 2 * margin)
    body_pt = setup.body_pt
    header_pt = body_pt if setup.is_card else max(body_pt * 0.85, 9.0)
    footer_pt = body_pt * 0.9 if setup.is_card else max(body_pt * 0.7, 8.0)
    header_h = QFontMetricsF(print_font(header_pt, bold=True), device).height()
    footer_h = QFontMetricsF(print_font(footer_pt), device).height() if footer else 0.0
    # Each line takes half its height again: the rule and air before the body.
    body = box.adjusted(0, header_h * 1.5, 0, -footer_h * 1.5)
    return PageGeometry(header=QRectF(box.left(), box.top(), box.width(), header_h), body=body,
                        footer=QRectF(box.left(), box.bottom() - footer_h, box.width(),
                                      footer_h),
                        header_pt=header_pt, footer_pt=footer_pt)


class PrintLayout:
    """One document laid out for one PageSetup: geometry, the body and its page count."""

    def __init__(self, document: PrintDocument, setup: PageSetup) -> None:
        self.document = document
        self.setup = setup
        # A PDF device that is never painted: it gives print font metrics at LAYOUT_DPI.
        self._buffer = QBuffer()
        self.device = QPdfWriter(self._buffer)
        self.device.setResolution(LAYOUT_DPI)
        self.geometry = page_geometry(setup, self.device, footer=not setup.is_card)
        self.text = build_body(document, setup, self.device, self.geometry.body.size())
        if setup.is_card and self.text.pageCount() > 1:
            # Only a card of several sides says "Side N of M"; that line takes body room.
            self.geometry = page_geometry(setup, self.device, footer=True)
            self.text = build_body(document, setup, self.device, self.geometry.body.size())
        self.pages = self.text.pageCount()
        self.header = _plan_header(self)

    def draw_body(self, painter: QPainter, index: int) -> None:
        """Paint the body of page `index` (0-based) into its place on the page."""
        body = self.geometry.body
        painter.save()
        painter.translate(body.left(), body.top() - index * body.height())
        slack = pt_to_px(2)  # sideways, so a table's outer border is not shaved off
        clip = QRectF(-slack, index * body.height(), body.width() + 2 * slack, body.height())
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette = print_palette()
        context.clip = clip
        self.text.documentLayout().draw(painter, context)
        painter.restore()


def print_palette() -> QPalette:
    """Black on white whatever the window theme: a dark theme must not print white text."""
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Text, "#000000"),
                        (QPalette.ColorRole.WindowText, "#000000"),
                        (QPalette.ColorRole.Base, "#ffffff"),
                        (QPalette.ColorRole.Dark, RULE),
                        (QPalette.ColorRole.Link, "#000000")):
        palette.setColor(role, QColor(color))
    return palette


def page_count(document: PrintDocument, setup: PageSetup = DEFAULT_SETUP) -> int:
    """How many pages (card sides) `document` takes with `setup`."""
    return PrintLayout(document, setup).pages


def page_layout(setup: PageSetup) -> QPageLayout:
    """The sheet for `setup`, without margins: the header and footer sit inside them."""
    width, height = paper_size_mm(setup)
    orientation = QPageLayout.Orientation.Portrait
    if setup.paper in STANDARD_SIZES:
        size = QPageSize(STANDARD_SIZES[setup.paper])
    else:
        # Qt keeps custom sizes portrait; the card is turned by the orientation instead.
        size = QPageSize(QSizeF(min(width, height), max(width, height)),
                         QPageSize.Unit.Millimeter, setup.paper,
                         QPageSize.SizeMatchPolicy.ExactMatch)
        if width > height:
            orientation = QPageLayout.Orientation.Landscape
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def paint_document(document: PrintDocument, printer: QPagedPaintDevice,
                   setup: PageSetup = DEFAULT_SETUP) -> int:
    """Draw `document` on `printer` (QPdfWriter, QPrinter, a preview's printer); return pages."""
    layout = PrintLayout(document, setup)
    _paint(layout, printer)
    return layout.pages


def write_pdf(document: PrintDocument, path: Path,
              setup: PageSetup = DEFAULT_SETUP) -> PdfResult:
    """Write `document` as a PDF at `path`, replacing it only once the new file is complete."""
    path = Path(path)
    try:
        if not path.parent.is_dir():
            raise BadInput(f"Cannot save {path.name}: the folder {path.parent} does not exist.")
        if path.is_dir():
            raise BadInput(f"Cannot save {path}: it is a folder.")
    except OSError as error:  # a name too long for the file system, say
        raise BadInput(f"Cannot save {path.name}: {error.strerror or error}.") from error
    layout = PrintLayout(document, setup)
    data = _render_pdf(layout)
    temp = path.with_name(path.name + ".tmp")  # the name write_atomically uses
    try:
        write_atomically(path, data)
    except OSError as error:
        temp.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise BadInput(f"Cannot save {path.name} in {path.parent}: {reason}.") from error
    notes = []
    if setup.is_card and layout.pages > 1:
        notes.append(f"The card needs {layout.pages} sides: print it double-sided "
                     "or fold it.")
    return PdfResult(path=str(path), pages=layout.pages, size_bytes=len(data), notes=notes)


def _render_pdf(layout: PrintLayout) -> bytes:
    """The PDF in memory: nothing reaches the disk until it is complete."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(LAYOUT_DPI)
    writer.setTitle(PDF_METADATA)
    writer.setCreator(PDF_METADATA)
    _paint(layout, writer)
    buffer.close()
    return spaces_as_spaces(bytes(buffer.data()))


def spaces_as_spaces(pdf: bytes) -> bytes:
    """Make the space glyph read back as a space, not a tab, when text is copied or extracted.

    Qt maps each glyph back to the first character that uses it, and it draws a tab with
    the space glyph, so its ToUnicode tables say U+0009. They are written uncompressed, as
    arrays in bfrange sections; a same-length swap there leaves every offset valid.
    """
    return TO_UNICODE_RANGES.sub(
        lambda ranges: re.sub(rb"\[[^\]]*\]",
                              lambda array: array.group().replace(b"<0009>", b"<0020>"),
                              ranges.group()),
        pdf)


def _paint(layout: PrintLayout, device: QPagedPaintDevice) -> None:
    """Every page of `layout` on `device`, scaled from layout pixels to the device's."""
    if hasattr(device, "setFullPage"):
        device.setFullPage(True)  # a QPrinter: measure from the paper's corner, as the PDF does
    device.setPageLayout(page_layout(layout.setup))
    painter = QPainter()
    if not painter.begin(device):
        raise BadInput("Cannot start printing: the printer or file could not be opened.")
    try:
        scale_x = device.logicalDpiX() / LAYOUT_DPI
        scale_y = device.logicalDpiY() / LAYOUT_DPI
        for index in range(layout.pages):
            if index and not device.newPage():
                raise BadInput("Cannot start a new page on the printer.")
            painter.save()
            painter.scale(scale_x, scale_y)
            layout.draw_body(painter, index)
            _draw_header(painter, layout)
            _draw_footer(painter, layout, index)
            painter.restore()
    finally:
        painter.end()


def _header_parts(layout: PrintLayout) -> list[tuple[str, bool]]:
    """The header's left side: the name in bold, then the date (a card's says how recent it
    is: an out-of-date card must look it)."""
    return [(" ".join(layout.document.person.split()), True),
            (" ".join(layout.document.dated.split()), False)]


def _plan_header(layout: PrintLayout) -> tuple[float, str]:
    """The header's size and its title as it fits, the same on every page.

    A long line is set a little smaller; then the title gives way, never the name or date.
    """
    geometry, left = layout.geometry, _header_parts(layout)
    title = " ".join(layout.document.title.split())
    width = geometry.header.width()
    size = _fitting_size(layout, geometry.header_pt, [*left, (title, False)], width, 0.8)
    if size is None:
        size = _fitting_size(layout, geometry.header_pt, left, width, 0.0)
    metrics = QFontMetricsF(print_font(size), layout.device)
    used = sum(QFontMetricsF(print_font(size, bold=bold), layout.device).horizontalAdvance(text)
               + pt_to_px(size) for text, bold in left)
    room = width - used
    if room <= metrics.averageCharWidth() * 8:  # an elided stub would say nothing
        return size, ""
    return size, metrics.elidedText(title, Qt.TextElideMode.ElideRight, room)


def _draw_header(painter: QPainter, layout: PrintLayout) -> None:
    """Name (bold) and date on the left, the title on the right, a thin rule under them."""
    rect = layout.geometry.header
    size, title = layout.header
    x = rect.left()
    painter.setPen(QPen(QColor("#000000")))
    for text, bold in _header_parts(layout):
        painter.setFont(print_font(size, bold=bold))
        x += _draw_text(painter, QRectF(x, rect.top(), rect.right() - x, rect.height()),
                        text, Qt.AlignmentFlag.AlignLeft) + pt_to_px(size)
    if title:
        painter.setFont(print_font(size))
        _draw_text(painter, QRectF(x, rect.top(), rect.right() - x, rect.height()), title,
                   Qt.AlignmentFlag.AlignRight)
    rule_y = rect.bottom() + rect.height() * 0.2
    painter.setPen(QPen(QColor(RULE), pt_to_px(0.5)))
    painter.drawLine(QPointF(rect.left(), rule_y), QPointF(rect.right(), rule_y))


def _fitting_size(layout: PrintLayout, pt: float, parts: list[tuple[str, bool]],
                  width: float, smallest: float) -> float | None:
    """The largest size up to `pt` at which `parts` fit on one line with a space between
    each; None when even `smallest` x `pt` is too big (smallest 0: always fits, if tiny)."""

    def measure(size: float) -> float:
        texts = sum(QFontMetricsF(print_font(size, bold=bold), layout.device)
                    .horizontalAdvance(" ".join(text.split())) for text, bold in parts)
        return texts + pt_to_px(size) * (len(parts) - 1)

    needed = measure(pt)
    if needed <= width:
        return pt
    fitting = pt * width / needed * 0.98
    if fitting < pt * smallest:
        return None
    return max(fitting, 3.0)


def _draw_footer(painter: QPainter, layout: PrintLayout, index: int) -> None:
    """"Page N of M" on the right (a card: "Side N of M" when it has several), name on the left."""
    rect = layout.geometry.footer
    if rect.height() <= 0:
        return
    word = "Side" if layout.setup.is_card else "Page"
    font = print_font(layout.geometry.footer_pt)
    painter.setFont(font)
    painter.setPen(QPen(QColor("#000000")))
    counter = f"{word} {index + 1} of {layout.pages}"
    used = _draw_text(painter, rect, counter, Qt.AlignmentFlag.AlignRight)
    if layout.setup.is_card:
        return
    room = rect.width() - used - pt_to_px(layout.geometry.footer_pt * 2)
    name = QFontMetricsF(font, layout.device).elidedText(layout.document.person,
                                                         Qt.TextElideMode.ElideRight, room)
    painter.setPen(QPen(QColor(MUTED)))
    _draw_text(painter, QRectF(rect.left(), rect.top(), room, rect.height()), name,
               Qt.AlignmentFlag.AlignLeft)


def _draw_text(painter: QPainter, rect: QRectF, text: str, align: Qt.AlignmentFlag) -> float:
    """Draw one line of text in `rect`; return its width."""
    text = " ".join(text.split())  # one line, whatever the record text holds
    if not text or rect.width() <= 0:
        return 0.0
    bounds = painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)
    return bounds.width()

