"""Text of a PDF's pages, laid out as on paper, from pypdf.

pypdf's plain text follows the order things were drawn, which breaks a table into one cell per
line, interleaves two tables printed side by side, and glues neighbouring tokens. Its layout
mode places every piece of text by its position instead, so each printed row comes back as one
line with its columns at their horizontal places. Everything after this module works on those
lines. This runs only inside the isolated child process (see isolation.py).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass

from carebook.labs.errors import DamagedPdf, EncryptedPdf, NotAPdf, ReportTooLarge, ScannedPdf

MAX_PAGES = 200


@dataclass(frozen=True)
class PdfText:
    """The laid-out text of every page, and facts about the file for the contract."""

    sha256: str
    producer: str | None
    pages: list[str]


def read_pdf_text(data: bytes, password: str | None = None) -> PdfText:
    """Open a PDF from bytes and lay out each page's text; raises an UnreadableReport."""
    from pypdf import PdfReader  # imported here: only the child process pays for it
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise NotAPdf()
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # warnings about sloppy files
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, password)
        if len(reader.pages) > MAX_PAGES:
            raise ReportTooLarge(f"{len(reader.pages)} pages")
        pages = [_page_text(page) for page in reader.pages]
        producer = _producer(reader)
    except FileNotDecryptedError as error:
        raise EncryptedPdf(wrong_password=password is not None) from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, ZeroDivisionError, OverflowError, RecursionError,
            UnicodeError, OSError) as error:
        raise DamagedPdf() from error
    if not pages:
        raise DamagedPdf()
    if not any(text.strip() for text in pages):
        raise ScannedPdf()
    return PdfText(hashlib.sha256(data).hexdigest(), producer, pages)


def _decrypt(reader, password: str | None) -> None:
    # Many lab PDFs are "encrypted" with an empty user password just to forbid editing;
    # those open without asking anything.
    if reader.decrypt("") or (password is not None and reader.decrypt(password)):
        return
    raise EncryptedPdf(wrong_password=password is not None)


# Some producers map the space glyph to TAB (Qt) or print non-breaking spaces and "fi"
# ligatures; one character each, so replacing them keeps every column where it was.
_SAME_WIDTH = str.maketrans({"\t": " ", "\u00a0": " ", "\u2007": " ", "\u2009": " ",
                             "\u202f": " "})
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}


def normalise_page_text(text: str) -> str:
    """Spaces as spaces and ligatures as letters, so words and cells split where printed."""
    text = text.translate(_SAME_WIDTH)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    return text


def _page_text(page) -> str:
    try:
        if page.get("/Rotate", 0) % 360:
            # A landscape page stored with /Rotate: layout mode skips text drawn turned, so
            # fold the rotation into a copy of the page first (in memory, in this child only).
            from pypdf import PdfWriter

            page = PdfWriter().add_page(page)
            page.transfer_rotation_to_content()
        text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
        if not text.strip():
            text = page.extract_text()  # text layout mode could not place, in reading order
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, ZeroDivisionError):
        # Layout mode is stricter than plain mode about broken font data; plain text still
        # gives a usable (if less well ordered) page.
        text = page.extract_text()
    return normalise_page_text(text)


def _producer(reader) -> str | None:
    try:
        info = reader.metadata
        producer = info.get("/Producer") if info else None
        return str(producer)[:200] if producer else None
    except Exception:  # metadata is optional and often malformed; it is never needed
        return None
