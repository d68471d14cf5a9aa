"""Reading and exporting the audit log."""

from __future__ import annotations

import csv
import io
import json
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
    "profile_edited": "Person's details changed",
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
    "ai_run": "Assistant run",
    "questions_drafted": "Questions added",
    "printout_exported": "Printout saved",
    "printout_printed": "Printout printed",
}
CHECK_LABELS = {
    "numbers_grounded": "Every number is in the records",
    "abnormal_covered": "Every flagged result is mentioned",
    "forbidden_claims": "No diagnosis or medicine advice",
    "reading_grade": "Easy to read (grade 8 or below)",
    "names_abnormal_values": "Each flagged result named with its value",
    "no_contradiction": "No result called the opposite of its flag",
    "no_repetition": "Nothing said twice",
    "on_topic": "About the results, not its instructions",
    "values_match": "Each value said of its own result",
    "no_dismissal": "Care for a flagged result not put off",
}


def action_label(action: str) -> str:
    """A readable name for an audit action."""
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: summaries can quote imported titles, and a leading
    = + - @ would make Excel or LibreOffice run it as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def describe_entry(entry: AuditEntry) -> str:
    """Everything an entry recorded, in plain text; for an assistant run, what the model
    was, which records were sent, the exact prompt, what it wrote and each check."""
    lines = [f"{action_label(entry.action)} — {entry.summary}", f"When (UTC): {entry.at}"]
    detail = entry.detail or {}
    if entry.action != "ai_run":
        lines += [f"{key}: {value}" for key, value in sorted(detail.items())]
        return "\n".join(lines)
    lines += [
        f"Kind: {detail.get('kind', '')}",
        f"Model: {detail.get('model_name') or ''} ({detail.get('model_file') or 'none'})",
        f"Model sha256: {detail.get('model_sha256') or ''}",
        f"Prompt version: {detail.get('prompt_version', '')}",
        f"Records sent (ids): {', '.join(str(i) for i in detail.get('record_ids', []))}",
        f"Stopped by the person: {'yes' if detail.get('stopped') else 'no'}",
        f"Model's version shown: {'yes' if detail.get('rewrite_shown') else 'no'}",
        "", "Checks:",
    ]
    for name, result in (detail.get("checks") or {}).items():
        mark = "passed" if result.get("passed") else "FAILED"
        lines.append(f"  {CHECK_LABELS.get(name, name)}: {mark} — {result.get('detail', '')}")
    for message in detail.get("critical") or []:
        lines.append(f"Critical banner: {message}")
    lines += ["", "What the assistant was shown:", detail.get("prompt", ""), "",
              "What the model wrote:", detail.get("output", "") or "(nothing)"]
    return "\n".join(lines)


def list_activity(vault: Vault, limit: int = 5000) -> list[AuditEntry]:
    """The audit log, newest first."""
    return vault.audit.entries(limit=limit)


def export_activity_csv(vault: Vault, destination: Path) -> int:
    """Write the whole audit log as CSV where the person chose; return the row count."""
    entries = vault.audit.entries(limit=1_000_000)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["time_utc", "action", "summary", "record_type", "record_id", "profile_id",
                     "detail_json"])
    for entry in entries:
        detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True) if entry.detail \
            else ""
        writer.writerow([entry.at, action_label(entry.action), _inert(entry.summary),
                         entry.record_type, entry.record_id, entry.profile_id, _inert(detail)])
    try:
        write_atomically(Path(destination), buffer.getvalue().encode("utf-8"))
    except OSError as error:
        raise BadInput(f"Could not save to {destination}: {error.strerror or error}.") from None
    vault.audit.write("audit_exported", f"Activity log exported ({len(entries)} entries)")
    return len(entries)
