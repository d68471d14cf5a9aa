"""Reading and exporting the audit log."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from carebook.atomic import write_atomically
from carebook.errors import BadInput
from carebook.vault.audit import AuditEntry
from carebook.vault.vault import Vault

ACTION_LABELS = {
    "vault_created": "Vault created",
    "vault_opened": "Vault unlocked",
    "passphrase_changed": "Passphrase changed",
    "profile_added": "Person added",
    "profile_renamed": "Person renamed",
    "profile_deleted": "Person deleted",
    "record_added": "Record added",
    "records_added": "Records added",
    "record_changed": "Record changed",
    "record_deleted": "Record deleted",
    "record_restored": "Deletion undone",
    "document_added": "Document added",
    "lab_report_imported": "Lab report imported",
    "document_deleted": "Document deleted",
    "document_exported": "Document exported",
    "audit_exported": "Activity exported",
    "demo_created": "Demo family added",
}


def action_label(action: str) -> str:
    """A readable name for an audit action."""
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: summaries can quote imported titles, and a leading
    = + - @ would make Excel or LibreOffice run it as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def list_activity(vault: Vault, limit: int = 5000) -> list[AuditEntry]:
    """The audit log, newest first."""
    return vault.audit.entries(limit=limit)


def export_activity_csv(vault: Vault, destination: Path) -> int:
    """Write the whole audit log as CSV where the person chose; return the row count."""
    entries = vault.audit.entries(limit=1_000_000)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time_utc", "action", "summary", "record_type", "record_id", "profile_id"])
    for entry in entries:
        writer.writerow([entry.at, action_label(entry.action), _inert(entry.summary),
                         entry.record_type, entry.record_id, entry.profile_id])
    try:
        write_atomically(Path(destination), buffer.getvalue().encode("utf-8"))
    except OSError as error:
        raise BadInput(f"Could not save to {destination}: {error.strerror or error}.") from None
    vault.audit.write("audit_exported", f"Activity log exported ({len(entries)} entries)")
    return len(entries)
