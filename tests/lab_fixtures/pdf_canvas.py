"""Drawing helpers shared by the synthetic lab-report layouts: rows, number formats, pages, truth.

Every layout describes its results as `Row`s and draws them through a `Sheet`; the sheet records
the truth row at the moment the value is drawn, so the PDF and its truth cannot drift apart.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Vera ships inside reportlab, so embedding a TrueType subset needs nothing from the system.
pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
pdfmetrics.registerFont(TTFont("Vera-Bold", "VeraBd.ttf"))


@dataclass(frozen=True)
class Row:
    """One measured result: the numbers a layout draws, and the truth derived from them."""

    name: str
    value: float | None
    unit: str | None = None
    low: float | None = None
    high: float | None = None
    dec: int = 1
    loinc: str | None = None
    text: str | None = None  # printed value when it is not just the formatted number
    normal: str | None = None  # expected qualitative result ("Negative")
    prev: float | str | None = None  # previous result: drawn, never in the truth
    incl: bool = False  # a one-sided bound printed as "<=" / "> OR ="
    rdec: int | None = None  # decimals of the printed range (default: dec)
    wrap: tuple[str, ...] = ()  # the name as broken over lines in its cell
    vline: int = 0  # which of the wrapped name lines the value is drawn on
    alt: tuple[float, int, str] | None = None  # same value in a second unit: (value, dec, unit)
    rtext: str | None = None  # printed range text when not built from low/high ("Not Estab.")

    def __post_init__(self) -> None:
        if self.wrap and " ".join(self.wrap) != self.name:
            raise ValueError(f"wrapped lines do not make the name {self.name!r}")
        v = self.value
        # A value sitting on a one-sided bound would make the flag depend on "<" vs "<=".
        if v is not None and self.text is None and (self.low is None) != (self.high is None):
            bound = self.low if self.low is not None else self.high
            if v == bound:
                raise ValueError(f"{self.name}: value on a one-sided bound")

    @property
    def flag(self) -> str | None:
        """The truth flag: the direction the printed flag shows, else computed from the range."""
        if self.value is None or (self.text is not None and self.normal is not None):
            if self.normal is None:
                return None
            return "N" if self.text == self.normal else "A"
        if self.low is None and self.high is None:
            return None
        if self.low is not None and self.value < self.low:
            return "L"
        if self.high is not None and self.value > self.high:
            return "H"
        return "N"

    @property
    def lines(self) -> tuple[str, ...]:
        """The name as printed, one item per line."""
        return self.wrap or (self.name,)


@dataclass(frozen=True)
class Fmt:
    """How one lab prints numbers and ranges."""

    comma: bool = False
    thou: str = ""  # thousands separator, "" for none
    between: str = "{lo} - {hi}"
    lt: str = "<{hi}"
    le: str = "<={hi}"
    gt: str = ">{lo}"
    ge: str = ">={lo}"
    unit_in_range: bool = False
    flags: dict[str, str] = field(default_factory=dict)  # truth flag -> printed flag

    def num(self, v: float, dec: int) -> str:
        """Format a number the way this lab prints it."""
        s = f"{v:,.{dec}f}"
        whole, _, frac = s.partition(".")
        whole = whole.replace(",", self.thou)
        sep = "," if self.comma else "."
        return whole + (sep + frac if frac else "")

    def value(self, row: Row) -> str:
        """The printed value text."""
        if row.text is not None:
            return row.text
        assert row.value is not None
        return self.num(row.value, row.dec)

    def prev(self, row: Row) -> str:
        """The printed previous result (blank when none)."""
        if row.prev is None:
            return ""
        if isinstance(row.prev, str):
            return row.prev
        return self.num(row.prev, row.dec)

    def range(self, row: Row) -> str:
        """The printed reference range, with the unit inside it when this lab does that."""
        if row.rtext is not None:
            return row.rtext
        d = row.dec if row.rdec is None else row.rdec
        lo = None if row.low is None else self.num(row.low, d)
        hi = None if row.high is None else self.num(row.high, d)
        if lo is not None and hi is not None:
            s = self.between.format(lo=lo, hi=hi)
        elif hi is not None:
            s = (self.le if row.incl else self.lt).format(hi=hi)
        elif lo is not None:
            s = (self.ge if row.incl else self.gt).format(lo=lo)
        else:
            s = row.normal or ""
        if self.unit_in_range and row.unit and (lo is not None or hi is not None):
            s = f"{s} {row.unit}"
        return s

    def flag(self, row: Row) -> str:
        """The printed flag ("" when the result is normal or the lab prints none)."""
        f = row.flag
        if f in (None, "N"):
            return ""
        return self.flags.get(f, "")


def truth_value(row: Row) -> float | None:
    """The truth `value`: the printed number, None for qualitative results."""
    return None if row.value is None else float(row.value)


class Sheet:
    """One report being drawn: the canvas, the page number and the truth rows drawn so far."""

    def __init__(
        self,
        name: str,
        collected_at: str | None,
        decorate: Callable[[Sheet], float],
        *,
        total: int = 0,
        pagesize: tuple[float, float] = A4,
        font: str = "Helvetica",
        size: float = 9,
    ) -> None:
        self.name = name
        self.collected_at = collected_at
        self.decorate = decorate
        self.total = total
        self.width, self.height = pagesize
        self.font, self.size = font, size
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=pagesize, invariant=1, pageCompression=1)
        self.c.setTitle(f"Laboratory report {name}")
        self.page = 1
        self.results: list[dict] = []

    def start(self) -> float:
        """Draw the first page's header and footer; return the y where content starts."""
        return self.decorate(self)

    def new_page(self) -> float:
        """Close the page, start the next with its header and footer; return the content y."""
        self.c.showPage()
        self.page += 1
        return self.decorate(self)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        font: str | None = None,
        size: float | None = None,
        align: str = "left",
    ) -> None:
        """Draw one string; align is left, right or centre."""
        if not s:
            return
        c = self.c
        c.setFont(font or self.font, size or self.size)
        if align == "right":
            c.drawRightString(x, y, s)
        elif align == "centre":
            c.drawCentredString(x, y, s)
        else:
            c.drawString(x, y, s)

    def glued(self, x: float, y: float, parts: list[str], gap: float = 0.4) -> None:
        """Draw strings one after the other with a tiny gap and no space character between."""
        # One text object with a new origin per part, as many report generators write it: the
        # parts touch on the page and nothing in the text says where one ends.
        t = self.c.beginText()
        t.setFont(self.font, self.size)
        for part in parts:
            t.setTextOrigin(x, y)
            t.textOut(part)
            x += pdfmetrics.stringWidth(part, self.font, self.size) + gap
        self.c.drawText(t)

    def width_of(self, s: str, font: str | None = None, size: float | None = None) -> float:
        """Width of a string in points."""
        return pdfmetrics.stringWidth(s, font or self.font, size or self.size)

    def rule(self, x1: float, y: float, x2: float, width: float = 0.5) -> None:
        """A horizontal line."""
        self.c.setLineWidth(width)
        self.c.line(x1, y, x2, y)

    def record(self, row: Row, value_text: str) -> None:
        """Add the truth row for a result just drawn on the current page."""
        self.results.append(
            {
                "name": row.name,
                "loinc": row.loinc,
                "value": truth_value(row),
                "value_text": value_text,
                "unit": row.unit,
                "ref_low": None if row.low is None else float(row.low),
                "ref_high": None if row.high is None else float(row.high),
                "flag": row.flag,
                "page": self.page,
            }
        )

    def finish(self) -> tuple[bytes, dict]:
        """Close the PDF; return its bytes and the truth dict."""
        self.c.showPage()
        self.c.save()
        truth = {
            "file": f"{self.name}.pdf",
            "collected_at": self.collected_at,
            "results": self.results,
        }
        return self.buf.getvalue(), truth


def two_pass(draw: Callable[[int], Sheet]) -> tuple[bytes, dict]:
    """Draw once to count the pages, then again so footers can print "Page n/total"."""
    pages = draw(0).page
    sheet = draw(pages)
    if sheet.page != pages:
        raise RuntimeError("page count changed between passes")
    return sheet.finish()
