"""Result tables: plan rows onto pages, then draw them row by row or column by column."""

from __future__ import annotations

from dataclasses import dataclass

from .pdf_canvas import Fmt, Row, Sheet


@dataclass(frozen=True)
class Section:
    """A section title between rows (e.g. "LIPID PANEL")."""

    title: str
    font: str = "Helvetica-Bold"


@dataclass(frozen=True)
class Note:
    """A method line, comment or footnote between rows: looks a bit like a result, is not one."""

    text: str
    font: str = "Helvetica-Oblique"
    indent: float = 10


@dataclass(frozen=True)
class PageBreak:
    """Force the rest of the table onto the next page."""


Item = Row | Section | Note | PageBreak


@dataclass(frozen=True)
class Col:
    """One column: which cell it draws and where.

    Keys: name, value, value_flag (value then its flag), flag, unit, range, prev,
    in / out (a value sits in one of two columns, the out one with its flag),
    value_unit (value and unit glued, no space), name_value (name and value glued).
    """

    key: str
    x: float
    align: str = "left"


VALUE_KEYS = ("value", "value_flag", "in", "value_unit", "name_value")


def height(item: Item) -> int:
    """How many text lines an item takes."""
    if isinstance(item, Row):
        return len(item.lines) + (1 if item.alt else 0)
    if isinstance(item, PageBreak):
        return 0
    return 1


def plan(items: list[Item], y0: float, line: float, bottom: float) -> list[tuple[int, float, Item]]:
    """Place items on pages: (page index from 0, baseline y, item)."""
    out: list[tuple[int, float, Item]] = []
    page, y = 0, y0
    for item in items:
        if isinstance(item, PageBreak):
            page, y = page + 1, y0
            continue
        h = height(item)
        if y - (h - 1) * line < bottom:
            page, y = page + 1, y0
        if isinstance(item, Section) and out and y != y0:
            y -= line * 0.4  # a little air above section titles, as labs print them
        out.append((page, y, item))
        y -= h * line
    return out


class Table:
    """Draws planned items with one lab's columns and number format."""

    def __init__(self, sheet: Sheet, fmt: Fmt, cols: list[Col], line: float = 11) -> None:
        self.s, self.fmt, self.cols, self.line = sheet, fmt, cols, line
        keys = [c.key for c in cols]
        self.value_key = next(k for k in keys if k in VALUE_KEYS)
        self.has_unit = "unit" in keys

    def draw(self, items: list[Item], y0: float, bottom: float = 60,
             by_column: bool = False) -> None:
        """Draw all items, starting new pages (with their headers) as needed."""
        placed = plan(items, y0, self.line, bottom)
        pages = sorted({p for p, _, _ in placed})
        for page in pages:
            if page > 0:
                self.s.new_page()
            here = [(y, it) for p, y, it in placed if p == page]
            if by_column:
                for y, it in here:
                    self.draw_other(y, it)
                for col in self.cols:
                    for y, it in here:
                        if isinstance(it, Row):
                            self.cell(col, it, y)
            else:
                for y, it in here:
                    self.draw_item(y, it)

    def draw_item(self, y: float, item: Item) -> None:
        """Draw one item in reading order (row by row)."""
        if isinstance(item, Row):
            for col in self.cols:
                self.cell(col, item, y)
        else:
            self.draw_other(y, item)

    def draw_other(self, y: float, item: Item) -> None:
        """Draw a section title or a note."""
        x = self.cols[0].x
        if isinstance(item, Section):
            self.s.text(x, y, item.title, font=item.font)
        elif isinstance(item, Note):
            self.s.text(x + item.indent, y, item.text, font=item.font, size=self.s.size - 1)

    def cell(self, col: Col, row: Row, y: float) -> None:
        """Draw one cell of a row (and record the truth when it is the value cell)."""
        s, f = self.s, self.fmt
        vy = y - row.vline * self.line
        value, flag = f.value(row), f.flag(row)
        k = col.key
        if k == "name":
            for i, part in enumerate(row.lines):
                s.text(col.x, y - i * self.line, part)
        elif k == "name_value":
            s.glued(col.x, vy, [row.name, value], gap=1.0)
        elif k == "value":
            s.text(col.x, vy, value, align=col.align)
        elif k == "value_flag":
            s.text(col.x, vy, f"{value} {flag}".strip(), align=col.align)
        elif k == "in":
            if not flag:
                s.text(col.x, vy, value, align=col.align)
        elif k == "out":
            if flag:
                s.text(col.x, vy, f"{value} {flag}", align=col.align)
        elif k == "value_unit":
            s.glued(col.x, vy, [value, row.unit or ""])
        elif k == "flag":
            s.text(col.x, vy, flag, align=col.align)
        elif k == "unit":
            s.text(col.x, vy, row.unit or "", align=col.align)
        elif k == "range":
            s.text(col.x, vy, f.range(row), align=col.align)
        elif k == "prev":
            s.text(col.x, vy, f.prev(row), align=col.align)
        else:
            raise ValueError(f"unknown column key {k!r}")
        if row.alt and k in ("value", "value_flag", "unit"):
            self.alt_cell(col, row, y - len(row.lines) * self.line)
        if k == self.value_key:
            s.record(row, value)

    def alt_cell(self, col: Col, row: Row, y: float) -> None:
        """The "soit ..." line: the same value in a second unit, drawn under the first."""
        assert row.alt is not None
        v, dec, unit = row.alt
        if col.key == "unit":
            self.s.text(col.x, y, unit, align=col.align)
        elif self.has_unit:
            self.s.text(col.x, y, f"soit {self.fmt.num(v, dec)}", align=col.align)
        else:
            self.s.text(col.x, y, f"soit {self.fmt.num(v, dec)} {unit}", align=col.align)
