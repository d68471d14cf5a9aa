"""A printable document as plain data: what the appointment pack and the emergency card say.

Services build a `PrintDocument` from the vault without Qt; the UI's PDF writer lays it out
on paper (ui/print_pdf.py). Keeping the words here means tests can check what a pack says
without drawing it, and the CLI and the window print exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    """Running text. `style` is "body", "muted" (small print) or "warning" (stands out)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Facts:
    """Label–value pairs, such as a person's name, birth date and blood type."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """Rows under column headings. `emphasis[i]` marks row i as needing attention (a flag),
    which is also said in words in the row itself: print may be black and white."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    emphasis: tuple[bool, ...] = ()

    def emphasised(self, index: int) -> bool:
        """Whether row `index` is to stand out."""
        return index < len(self.emphasis) and self.emphasis[index]


@dataclass(frozen=True)
class Chart:
    """A small trend chart of one test: dated values, with the normal range shaded.

    `caption` says the same in words ("Rose from 6.1 to 7.2 % since 2025-03-02"), so the
    chart adds to the text rather than standing in for it.
    """

    title: str
    unit: str
    points: tuple[tuple[str, float], ...]  # (ISO date, value), oldest first
    low: float | None = None
    high: float | None = None
    caption: str = ""


@dataclass(frozen=True)
class Checklist:
    """Items with a tick box and, when `answer_space`, room to write the answer by hand."""

    items: tuple[str, ...]
    answer_space: bool = True


Block = Paragraph | Facts | Table | Chart | Checklist


@dataclass(frozen=True)
class Section:
    """One part of a document under its own heading; `key` names it for choosing and tests."""

    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PrintDocument:
    """Everything one printout says. `person` and `dated` go on every page."""

    title: str
    person: str
    dated: str  # shown as is, e.g. "Thursday 26 November 2026"
    sections: tuple[Section, ...]
    subtitle: str = ""
    closing: str = ""  # small print at the end, e.g. where the pack came from

    def section(self, key: str) -> Section | None:
        """The section called `key`, if the document has it."""
        return next((section for section in self.sections if section.key == key), None)

    @property
    def section_keys(self) -> tuple[str, ...]:
        """The keys of the sections, in order."""
        return tuple(section.key for section in self.sections)


# Paper sizes in millimetres, portrait. The card is ISO/IEC 7810 ID-1, a bank card's size.
PAPER_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4), "card": (85.6, 53.98)}

TEXT_SIZES = {"normal": 12.0, "large": 15.0, "largest": 18.0}  # body text in points


@dataclass(frozen=True)
class PageSetup:
    """How to put a document on paper."""

    paper: str = "A4"  # a key of PAPER_SIZES_MM
    text_size: str = "normal"  # a key of TEXT_SIZES, ignored for the card
    margins_mm: float = 15.0
    card_text_pt: float = 6.5  # the card's own small type

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES_MM:
            raise ValueError(f"unknown paper {self.paper!r}")
        if self.text_size not in TEXT_SIZES:
            raise ValueError(f"unknown text size {self.text_size!r}")

    @property
    def is_card(self) -> bool:
        """A wallet card: landscape, small type, name on every side."""
        return self.paper == "card"

    @property
    def body_pt(self) -> float:
        """Body text size in points."""
        return self.card_text_pt if self.is_card else TEXT_SIZES[self.text_size]


CARD_SETUP = PageSetup(paper="card", margins_mm=3.0)


@dataclass
class PdfResult:
    """What writing a PDF produced: where, how many pages, how big."""

    path: str
    pages: int
    size_bytes: int
    notes: list[str] = field(default_factory=list)
