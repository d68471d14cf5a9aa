"""Importing a lab report: read it (isolated), let the person review it, save what they confirm.

Nothing is saved by reading. Saving stores the original PDF encrypted in the vault, every
confirmed row as a lab result that points at that document and page, and one audit entry, all
in one transaction: either the whole report is in the vault or none of it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from carebook import labs
from carebook.domain.records import Provenance, Record
from carebook.errors import ValidationError
from carebook.services.records import validate
from carebook.vault.document_store import DocumentInfo
from carebook.vault.vault import Vault

# The lab_result fields a reviewed row may carry; anything else in a parsed row is dropped.
ROW_FIELDS = ("name", "analyte", "loinc", "value", "value_text", "unit", "ref_low", "ref_high",
              "ref_text", "flag")


@dataclass
class ReportDraft:
    """A read report waiting for review: the bytes, what was read, and an earlier import."""

    data: bytes
    filename: str
    parsed: dict
    already_imported: DocumentInfo | None = None

    @property
    def pages(self) -> int:
        """Number of pages in the PDF."""
        return self.parsed["source"]["pages"]


@dataclass(frozen=True)
class SavedReport:
    """What was saved: the stored document and how many results."""

    document_id: int
    count: int


def previous_import(vault: Vault, profile_id: int, data: bytes) -> DocumentInfo | None:
    """The document this exact file was stored as before for this person, if any."""
    return vault.documents.find_by_hash(profile_id, sha256(data).hexdigest())


def read_report(vault: Vault, profile_id: int, path: Path,
                password: str | None = None) -> ReportDraft:
    """Read a lab PDF for review (in the isolated child); nothing is saved."""
    data = labs.read_pdf_file(path)  # kept: the same bytes are stored if the person saves
    parsed = labs.parse_pdf_bytes(data, password)
    return ReportDraft(data, Path(path).name, parsed, previous_import(vault, profile_id, data))


def prepare_rows(collected_at: str, rows: list[dict]) -> list[tuple[dict, int | None]]:
    """Validate reviewed rows as lab results; a ValidationError carries the row's index."""
    prepared = []
    for index, row in enumerate(rows):
        raw = {key: row.get(key) for key in ROW_FIELDS}
        raw["collected_at"] = collected_at
        try:
            values = validate("lab_result", raw)
        except ValidationError as error:
            error.row = index  # the review dialog points at the row that needs fixing
            raise
        prepared.append((values, row.get("page")))
    return prepared


def save_report(vault: Vault, profile_id: int, draft: ReportDraft,
                prepared: list[tuple[dict, int | None]]) -> SavedReport:
    """Store the PDF and the prepared rows (each with its page) in one transaction."""
    title = Path(draft.filename).stem
    collected_at = prepared[0][0]["collected_at"] if prepared else ""
    with vault.db.transaction():
        document = vault.documents.add(
            profile_id, title=title, filename=draft.filename, media_type="application/pdf",
            content=draft.data, pages=draft.pages, source_kind="pdf")
        count = vault.records.add_many(
            (Record("lab_result", profile_id, values,
                    provenance=Provenance("pdf", document.id, page, confirmed=True))
             for values, page in prepared),
            f"Lab report imported: {title}, {len(prepared)} results collected {collected_at}",
            profile_id, audit_action="lab_report_imported",
            detail={"document_id": document.id, "collected_at": collected_at})
    return SavedReport(document.id, count)
