"""Tidy page breaks in a printout's body: keep what belongs together on one page.

QTextDocument breaks pages line by line: a heading can end a page alone and a table row can
be cut in two, its last lines under the repeated heading row on the next page, where they
read as a row of their own. After a first layout, each heading and table is checked in
order; a heading that would end a page moves to the next one (with the headings just above
it), a row that would be cut starts a new part of its table on the next page (the heading
row repeated), and a table whose first row would be cut moves whole. Every decision is
written back into the HTML (ui/print_layout.py) and the body laid out again.
"""

from __future__ import annotations

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPagedPaintDevice, QTextBlock, QTextDocument, QTextTable

from carebook.interop.printable import PageSetup, PrintDocument
from carebook.ui.print_layout import Breaks, HtmlBuilder, Unit, typeset

MAX_PASSES = 60  # tidying stops here: the pages stay right, only less tidy


def build_body(document: PrintDocument, setup: PageSetup, device: QPagedPaintDevice,
               body: QSizeF) -> QTextDocument:
    """`document` laid out in pages of `body` size (layout pixels), page breaks tidied."""
    breaks, pictures = Breaks(), {}
    text, builder = typeset(document, setup, device, body.width(), breaks, pictures)
    # Unpaginated first: the natural height of every row, before any page moves it.
    natural = {table_id: row_extents(text, frame)
               for frame, (table_id, _first) in zip(_tables(text), builder.frames, strict=True)}
    text.setPageSize(body)
    page = body.height()
    index = 0
    for _ in range(MAX_PASSES):
        if not _unforce_blank_page(text, builder, page, breaks):
            while index < len(builder.units) and not _tidy(text, builder, index, natural,
                                                           page, breaks):
                index += 1
            if index == len(builder.units):
                break
        text, builder = typeset(document, setup, device, body.width(), breaks, pictures)
        text.setPageSize(body)
    return text


def row_extents(text: QTextDocument, table: QTextTable) -> list[tuple[float, float]]:
    """Top of the first line and bottom of the last line of each row, heading rows included."""
    extents = []
    for row in range(table.rows()):
        tops, bottoms = [], []
        for column in range(table.columns()):
            cell = table.cellAt(row, column)
            # findBlock is much cheaper than building a cursor for every cell.
            tops.append(_line_top(text, text.findBlock(cell.firstPosition())))
            bottoms.append(_line_bottom(text, text.findBlock(cell.lastPosition())))
        extents.append((min(tops), max(bottoms)))
    return extents


def _tables(text: QTextDocument) -> list[QTextTable]:
    return [frame for frame in text.rootFrame().childFrames() if isinstance(frame, QTextTable)]


def _page_of(y: float, page: float) -> int:
    """The page (from 0) that `y` falls on; a hair above a page's top counts as on it."""
    return int((y + 0.5) // page)


def _blocks(text: QTextDocument):
    block = text.begin()
    while block.isValid():
        yield block
        block = block.next()


def _line_top(text: QTextDocument, block: QTextBlock) -> float:
    """Where the first line of `block` starts, after any move to a new page."""
    lines = block.layout()
    first = lines.lineAt(0).y() if lines.lineCount() else 0.0
    return text.documentLayout().blockBoundingRect(block).top() + first


def _heading_block(text: QTextDocument, unit_id: int) -> QTextBlock | None:
    return next((block for block in _blocks(text) if block.userState() == unit_id), None)


def _tidy(text: QTextDocument, builder: HtmlBuilder, index: int, natural, page: float,
          breaks: Breaks) -> bool:
    """Decide breaks around unit `index`; True when `breaks` changed (typeset again)."""
    unit = builder.units[index]
    if unit.kind == "heading":
        return _tidy_heading(text, unit, page, breaks)
    return _tidy_table(text, builder, unit, natural[unit.id], page, breaks)


def _tidy_heading(text: QTextDocument, unit: Unit, page: float, breaks: Breaks) -> bool:
    block = _heading_block(text, unit.id)
    following = block.next() if block is not None else None
    if following is None or not following.isValid():
        return False
    if _page_of(_line_top(text, block), page) == _page_of(_line_top(text, following), page):
        return False
    return _break_before(text, unit.lead or unit.id, block, page, breaks)


def _break_before(text: QTextDocument, unit_id: int, block: QTextBlock, page: float,
                  breaks: Breaks) -> bool:
    """Start a new page at unit `unit_id` (a heading, or the table starting at `block`),
    unless it already starts one: a second break there would leave a blank page."""
    if unit_id in breaks.before:
        return False
    start = _heading_block(text, unit_id) or block
    previous = start.previous()
    if not previous.isValid():
        return False
    previous_end = text.documentLayout().blockBoundingRect(previous).bottom()
    if _page_of(previous_end, page) < _page_of(_line_top(text, start), page):
        return False
    breaks.before.add(unit_id)
    return True


def _tidy_table(text: QTextDocument, builder: HtmlBuilder, unit: Unit,
                natural: list[tuple[float, float]], page: float, breaks: Breaks) -> bool:
    """Move rows that a page break would cut; the whole table when its first row would be."""
    if unit.id in breaks.splits:
        return False
    part = next(i for i, (table_id, _first) in enumerate(builder.frames) if table_id == unit.id)
    table = _tables(text)[part]
    heads = table.format().headerRowCount()
    rows = row_extents(text, table)
    if len(rows) <= heads:
        breaks.splits[unit.id] = ()
        return False
    top, bottom = rows[heads]
    edge = builder.cell_edge_px
    if _page_of(top, page) != _page_of(bottom + edge, page) and bottom - top + edge < page:
        first_block = text.findBlock(table.cellAt(0, 0).firstPosition())
        if _break_before(text, unit.lead or unit.id, first_block, page, breaks):
            return True  # looked at again once it has moved
    breaks.splits[unit.id] = _row_breaks(natural, heads, top, page, edge)
    return bool(breaks.splits[unit.id])


def _row_breaks(natural: list[tuple[float, float]], heads: int, top: float, page: float,
                edge: float) -> tuple[int, ...]:
    """Rows (counted from the first under the heading rows) that must start a new page,
    following the rows down from the first one's place `top` at their natural heights."""
    # Padding and border below a row's text (edge is both sides; a little spare for rounding).
    below = edge * 0.6
    repeat = natural[heads][0] - natural[0][0] + below  # the heading rows again, on top
    splits, y = [], top
    for row in range(heads + 1, len(natural)):
        y += natural[row][0] - natural[row - 1][0]
        height = natural[row][1] - natural[row][0] + below
        page_end = (_page_of(y, page) + 1) * page
        if y + height > page_end and height + repeat < page:
            splits.append(row - heads)
            y = page_end + repeat
    return tuple(splits)


def _unforce_blank_page(text: QTextDocument, builder: HtmlBuilder, page: float,
                        breaks: Breaks) -> bool:
    """Drop a forced break that left the page before it empty; True if one was dropped.

    That happens when what came before already spilled onto the next page (the empty
    line Qt keeps after a table): Qt then moves on by a page more. Without the forced
    break the content lands on that same page by itself.
    """
    tables = _tables(text) if builder.forced else []
    for key, where in builder.forced:
        if where > 0:
            block = _heading_block(text, where)
        else:
            block = text.findBlock(tables[-where - 1].cellAt(0, 0).firstPosition())
        if block is None:
            continue
        before = _text_before(block)
        if before is not None and _page_of(_line_bottom(text, before) - 1, page) \
                < _page_of(_line_top(text, block), page) - 1:
            breaks.unforced.add(key)
            return True
    return False


def _text_before(block: QTextBlock) -> QTextBlock | None:
    """The nearest block before `block` that shows something."""
    block = block.previous()
    while block.isValid() and not block.text().strip():
        block = block.previous()
    return block if block.isValid() else None


def _line_bottom(text: QTextDocument, block: QTextBlock) -> float:
    """Where the last line of `block` ends."""
    lines = block.layout()
    last = lines.lineAt(lines.lineCount() - 1).rect().bottom() if lines.lineCount() else 0.0
    return text.documentLayout().blockBoundingRect(block).top() + last
