"""Saving and printing the appointment pack and the emergency card, each one audited.

The PDF itself is drawn by Qt (ui/print_pdf.py), which the core never imports: the caller
passes the writer in. The window passes it directly; the CLI gets it from the composition
root (app.pdf_writer).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from carebook.interop.printable import PageSetup, PdfResult, PrintDocument
from carebook.vault.vault import Vault

PdfWriter = Callable[[PrintDocument, Path, PageSetup], PdfResult]


def export_printout(vault: Vault, profile_id: int, document: PrintDocument, path: Path,
                    setup: PageSetup, writer: PdfWriter) -> PdfResult:
    """Write `document` to the PDF `path`, then note in the activity log what went out."""
    result = writer(document, Path(path), setup)
    _audit(vault, profile_id, document, setup, "printout_exported",
           f"{document.title} for {document.person} saved as {Path(path).name}",
           result.pages)
    return result


def record_printed(vault: Vault, profile_id: int, document: PrintDocument, setup: PageSetup,
                   pages: int) -> None:
    """Note in the activity log that a printout was sent to a printer."""
    _audit(vault, profile_id, document, setup, "printout_printed",
           f"{document.title} for {document.person} printed", pages)


def _audit(vault: Vault, profile_id: int, document: PrintDocument, setup: PageSetup,
           action: str, summary: str, pages: int) -> None:
    vault.audit.write(action, summary, profile_id=profile_id, detail={
        "title": document.title, "sections": list(document.section_keys), "pages": pages,
        "paper": setup.paper, "text_size": setup.text_size})
