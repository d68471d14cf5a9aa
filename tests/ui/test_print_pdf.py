"""Printouts as real PDFs, read back with pypdf: every word there, on pages of the right size,
headers and footers on every page, nothing cut at the largest text, safe saving."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from carebook.errors import BadInput
from carebook.interop.printable import (
    CARD_SETUP,
    Chart,
    Checklist,
    Facts,
    PageSetup,
    Paragraph,
    PrintDocument,
    Section,
    Table,
)
from carebook.ui.print_pages import row_extents
from carebook.ui.print_pdf import PrintLayout, page_count, paint_document, write_pdf

PERSON = "Robin Testperson"
DATED = "Thursday 26 November 2026"
LONG_WORD = "Hydrochlorothiazidelisinoprilamlodipinecombinationtablet"


def _lab_rows(count: int) -> tuple[tuple[str, ...], ...]:
    return tuple((f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}", f"Synthetic analyte {i}",
                  f"{5 + i / 10:.1f}", "mmol/L", "3.9–5.6", "High" if i % 4 == 0 else "")
                 for i in range(count))


def _pack(rows: int = 8, person: str = PERSON) -> PrintDocument:
    """A synthetic appointment pack with every kind of block."""
    labs = Table(("Date", "Test", "Value", "Unit", "Range", "Flag"), _lab_rows(rows),
                 tuple(i % 4 == 0 for i in range(rows)))
    return PrintDocument(
        title="Appointment pack", person=person, dated=DATED,
        subtitle="For the visit with Dr Placeholder",
        sections=(
            Section("about", "About me", (Facts((("Born", "1970-01-02"),
                                                 ("Blood type", "O+"))),)),
            Section("allergies", "Allergies", (
                Paragraph("Penicillin: hives", "warning"),
                Paragraph("Typed in by hand.", "muted"),
                Paragraph("Line one\nline two"),
            )),
            Section("medications", "Medications", (Table(
                ("Medicine", "Dose"),
                (("Metformin <b>&", "500 mg twice a day"), ("Ramipril", "5 mg")),
                (False, True)),)),
            Section("labs", "Recent results", (
                labs,
                Chart("Glucose", "mmol/L", (("2025-01-02", 5.1), ("2025-06-01", 5.9),
                                            ("2026-01-05", 6.4)), 3.9, 5.6,
                      "Rose from 5.1 to 6.4 mmol/L since 2025-01-02"),
            )),
            Section("questions", "Questions for the clinician", (Checklist(
                ("Is my glucose a worry?", "Should I repeat the test?")),)),
        ),
        closing="Made by Carebook from records on this computer.")


def _card(lines: int) -> PrintDocument:
    medicines = tuple((f"Medicine number {i}", f"{i + 1} mg daily") for i in range(lines))
    return PrintDocument(
        title="EMERGENCY CARD", person=PERSON, dated="26 Nov 2026",
        sections=(Section("who", "Who", (Facts((("Born", "1970-01-02"), ("Blood", "O+"))),)),
                  Section("allergies", "Allergies", (Paragraph("PENICILLIN", "warning"),)),
                  Section("meds", "Medications", (Table(("Medicine", "Dose"), medicines),))))


def _pages(path: Path) -> list[str]:
    """Each page's text, whitespace made single spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _text(path: Path) -> str:
    return " ".join(_pages(path))


def _words_of(document: PrintDocument) -> list[str]:
    """Every piece of text the document says, as it should read back."""
    words = [document.title, document.subtitle, document.closing]
    for section in document.sections:
        words.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                words.extend(block.text.split("\n"))
            elif isinstance(block, Facts):
                words.extend(text for row in block.rows for text in row)
            elif isinstance(block, Table):
                words.extend([*block.columns, *(cell for row in block.rows for cell in row)])
            elif isinstance(block, Chart):
                words.extend([block.title, block.caption])
            elif isinstance(block, Checklist):
                words.extend(block.items)
    return [word for word in words if word]


def test_everything_is_printed_as_text_and_escaped(qapp, tmp_path):
    """Every title, fact, cell, caption, item and the closing words can be read back."""
    document = _pack()
    result = write_pdf(document, tmp_path / "pack.pdf")
    text = _text(tmp_path / "pack.pdf")
    missing = [word for word in _words_of(document) if word not in text]
    assert missing == []
    assert "Metformin <b>&" in text and "&amp;" not in text
    assert result.pages == page_count(document) == len(PdfReader(result.path).pages)
    assert result.size_bytes == os.path.getsize(result.path) < 1_000_000


def test_metadata_names_only_carebook(qapp, tmp_path):
    """Title and creator say Carebook; the person's name is nowhere outside the pages."""
    path = tmp_path / "pack.pdf"
    write_pdf(_pack(), path)
    metadata = PdfReader(path).metadata
    assert metadata.title == "Carebook" and metadata.creator == "Carebook"
    # Page text is compressed and glyph-coded: the name in plain bytes would be metadata.
    assert PERSON.encode() not in path.read_bytes()


def test_every_page_has_name_date_and_page_number(qapp, tmp_path):
    """A pack of several pages repeats the header and counts its pages in the footer."""
    document = _pack(rows=90)
    path = tmp_path / "long.pdf"
    result = write_pdf(document, path)
    pages = _pages(path)
    assert len(pages) >= 3
    assert result.pages == len(pages) == page_count(document)
    for number, text in enumerate(pages, start=1):
        assert PERSON in text and DATED in text and "Appointment pack" in text
        assert f"Page {number} of {len(pages)}" in text
    # The heading row is repeated on each page the results table continues onto.
    assert all("Date Test Value Unit Range Flag" in text for text in pages[1:-1])


@pytest.mark.parametrize(("setup", "size"), [
    (PageSetup(), (595, 842)),
    (PageSetup(paper="Letter"), (612, 792)),
    (CARD_SETUP, (242.6, 153.0)),
])
def test_page_sizes(qapp, tmp_path, setup, size):
    """A4 and Letter portrait, the card landscape at a bank card's size."""
    path = tmp_path / "sized.pdf"
    write_pdf(_card(2) if setup.is_card else _pack(), path, setup)
    for page in PdfReader(path).pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=2)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=2)


def test_largest_text_takes_more_pages_and_loses_nothing(qapp, tmp_path):
    """18 pt text needs more paper, and every word is still there."""
    document = _pack(rows=30)
    normal = write_pdf(document, tmp_path / "normal.pdf")
    largest = write_pdf(document, tmp_path / "largest.pdf", PageSetup(text_size="largest"))
    assert largest.pages > normal.pages
    text = _text(tmp_path / "largest.pdf")
    assert [word for word in _words_of(document) if word not in text] == []


def test_card_flows_onto_a_second_side(qapp, tmp_path):
    """A card with too much to say continues on another side, named and counted."""
    path = tmp_path / "card.pdf"
    result = write_pdf(_card(12), path, CARD_SETUP)
    sides = _pages(path)
    assert result.pages == len(sides) >= 2 and result.notes
    for number, text in enumerate(sides, start=1):
        assert PERSON in text and "EMERGENCY CARD" in text
        assert f"Side {number} of {len(sides)}" in text
    assert all(f"Medicine number {i}" in " ".join(sides) for i in range(12))


def test_short_card_is_one_side_without_a_counter(qapp, tmp_path):
    path = tmp_path / "card.pdf"
    assert write_pdf(_card(1), path, CARD_SETUP).pages == 1
    assert "Side" not in _text(path)


@pytest.mark.parametrize("chart", [
    Chart("One value", "g/L", (("2026-01-01", 1.2),), 1.0, 2.0, "One value only"),
    Chart("Flat", "%", (("2026-01-01", 5.0), ("2026-02-01", 5.0)), None, None, "Flat line"),
    Chart("Flat in range", "%", (("2026-01-01", 5.0), ("2026-02-01", 5.0)), 5.0, 5.0,
          "Flat on the limit"),
    Chart("Same day", "", (("2026-01-01", 1.0), ("2026-01-01", 2.0)), None, 3.0, "Same day"),
    Chart("Odd dates", "", (("last spring", 1.0), ("now", float("nan"))), 2.0, None, "Odd"),
    Chart("Nothing", "", (), None, None, "No values yet"),
], ids=lambda chart: chart.title)
def test_awkward_charts_render(qapp, tmp_path, chart):
    """One point, equal values, no range, no values: a chart, never a division by zero."""
    document = PrintDocument("Chart", PERSON, DATED,
                             (Section("chart", "Trend", (chart,)),))
    write_pdf(document, tmp_path / "chart.pdf")
    assert chart.caption in _text(tmp_path / "chart.pdf")


@pytest.mark.parametrize("text_size", ["normal", "largest"])
def test_rows_are_never_cut_and_tables_stay_on_the_page(qapp, text_size):
    """No table row is split over two pages, no page is left blank, no table is wider than
    the page, even with a word longer than any column."""
    document = _pack(rows=70)
    medicines = Table(("Medicine", "Dose", "Notes"),
                      ((LONG_WORD, "1 tablet", "with food, in the morning"),) * 6)
    document = PrintDocument(document.title, document.person, document.dated,
                             (Section("meds", "Medicines", (medicines,)), *document.sections))
    layout = PrintLayout(document, PageSetup(text_size=text_size))
    text, body = layout.text, layout.geometry.body
    page = body.height()
    tables = [frame for frame in text.rootFrame().childFrames() if hasattr(frame, "cellAt")]
    pages_used = set()
    for table in tables:
        for top, bottom in row_extents(text, table):
            assert int((top + 0.5) // page) == int((bottom - 0.5) // page)
            pages_used.add(int((top + 0.5) // page))
        for row in range(table.rows()):
            for column in range(table.columns()):
                block = text.findBlock(table.cellAt(row, column).firstPosition())
                assert text.documentLayout().blockBoundingRect(block).right() <= body.width()
    assert layout.pages > 1
    block, used = text.begin(), set(pages_used)
    while block.isValid():
        if block.text().strip():
            used.add(int((text.documentLayout().blockBoundingRect(block).top() + 0.5) // page))
        block = block.next()
    assert used == set(range(layout.pages))


def test_a_heading_never_ends_a_page_alone(qapp):
    """Each section heading sits on the same page as the first line under it."""
    layout = PrintLayout(_pack(rows=70), PageSetup(text_size="large"))
    text, page = layout.text, layout.geometry.body.height()
    titles = {section.title for section in _pack().sections}
    block = text.begin()
    while block.isValid():
        if block.text() in titles:
            after = block.next()
            top = text.documentLayout().blockBoundingRect(block).top()
            below = text.documentLayout().blockBoundingRect(after)
            assert int((top + 0.5) // page) == int((below.top() + 0.5) // page)
        block = block.next()


def test_printer_gets_the_same_pages(qapp, tmp_path):
    """paint_document on a high-resolution QPrinter draws what write_pdf writes."""
    from PySide6.QtPrintSupport import QPrinter

    document = _pack(rows=40)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    pages = paint_document(document, printer, PageSetup(paper="Letter"))
    write_pdf(document, tmp_path / "written.pdf", PageSetup(paper="Letter"))
    assert pages == len(PdfReader(tmp_path / "printed.pdf").pages) > 1
    assert _pages(tmp_path / "printed.pdf") == _pages(tmp_path / "written.pdf")
    assert float(PdfReader(tmp_path / "printed.pdf").pages[0].mediabox.width) == \
        pytest.approx(612, abs=2)


def test_dark_window_theme_still_prints_black_on_white(qapp):
    """The printout ignores the window's palette: a dark theme must not print white text."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from carebook.ui.theme import apply_theme

    apply_theme(qapp, "dark")
    try:
        layout = PrintLayout(_pack(), PageSetup())
        image = QImage(620, 877, QImage.Format.Format_RGB32)  # A4 at a quarter of 300 dpi
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        painter.scale(0.25, 0.25)
        layout.draw_body(painter, 0)
        painter.end()
    finally:
        apply_theme(qapp, "light")
    dark = sum(image.pixelColor(x, y).lightness() < 60
               for y in range(0, 877, 3) for x in range(0, 620, 3))
    assert dark > 500


def test_missing_folder_is_bad_input(qapp, tmp_path):
    target = tmp_path / "no such folder" / "pack.pdf"
    with pytest.raises(BadInput, match=r"pack\.pdf"):
        write_pdf(_pack(), target)
    assert not target.parent.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs POSIX permissions that bind this user (root writes anyway)")
def test_read_only_folder_is_bad_input_and_keeps_the_old_file(qapp, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "pack.pdf").write_bytes(b"old pack")
    folder.chmod(0o555)
    try:
        with pytest.raises(BadInput, match=r"pack\.pdf"):
            write_pdf(_pack(), folder / "pack.pdf")
        assert sorted(os.listdir(folder)) == ["pack.pdf"]
        assert (folder / "pack.pdf").read_bytes() == b"old pack"
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES])
def test_failed_write_leaves_no_partial_file(qapp, tmp_path, monkeypatch, failure):
    """A full disk (or a refused write) halfway: BadInput, the old file as it was, no temp."""
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"old pack")

    def refuse(fd, data):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr("carebook.atomic.os.write", refuse)
    with pytest.raises(BadInput, match=r"pack\.pdf") as raised:
        write_pdf(_pack(), target)
    assert os.strerror(failure) in raised.value.message
    assert sorted(os.listdir(tmp_path)) == ["pack.pdf"]
    assert target.read_bytes() == b"old pack"


def test_existing_file_is_replaced_on_success(qapp, tmp_path):
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"old pack")
    write_pdf(_pack(), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert sorted(os.listdir(tmp_path)) == ["pack.pdf"]


def test_a_folder_in_the_way_is_bad_input(qapp, tmp_path):
    (tmp_path / "pack.pdf").mkdir()
    with pytest.raises(BadInput):
        write_pdf(_pack(), tmp_path / "pack.pdf")
    assert sorted(os.listdir(tmp_path)) == ["pack.pdf"]


def test_spaces_read_back_as_spaces(qapp, tmp_path):
    """Copying text from the PDF gives spaces between words, not tabs."""
    path = tmp_path / "pack.pdf"
    write_pdf(_pack(), path)
    raw = PdfReader(path).pages[0].extract_text()
    assert "\t" not in raw and re.search(r"Page 1 of \d", raw)
