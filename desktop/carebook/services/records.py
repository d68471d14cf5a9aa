"""Adding, changing and deleting records, always through validation."""

from __future__ import annotations

from typing import Any

from carebook.domain.record_types import record_type
from carebook.domain.records import Record
from carebook.domain.validation import clean_values
from carebook.knowledge import CatalogueError, load_catalogue, normalise_unit
from carebook.vault.vault import Vault


def validate(type_key: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Typed values for a record of `type_key`, or ValidationError naming each bad field."""
    values = clean_values(record_type(type_key), raw)
    if type_key == "lab_result":
        _recognise_analyte(values)
    return values


def _recognise_analyte(values: dict[str, Any]) -> None:
    # A result typed by hand ("HbA1c", or "Hemoglobin A1c" in the Analyte box) joins the same
    # trend as imported ones only if it carries the catalogue's key, so look it up.
    try:
        catalogue = load_catalogue()
    except CatalogueError:
        return  # the catalogue is a help, never a reason to refuse a record
    typed = values.get("analyte")
    if typed and catalogue.get(typed):
        analyte = catalogue.get(typed)
    else:
        found = catalogue.match(typed or values.get("name") or "")
        analyte = found.analyte if found and found.score >= 0.9 else None
    if analyte is None:
        return
    values["analyte"] = analyte.key
    if not values.get("loinc"):
        unit = normalise_unit(values["unit"]) if values.get("unit") else None
        values["loinc"] = analyte.loinc_for(unit)


def add_record(vault: Vault, type_key: str, profile_id: int, raw: dict[str, Any]) -> Record:
    """Validate what was typed and store it as a new, confirmed, manual record."""
    return store_record(vault, Record(type_key, profile_id, validate(type_key, raw)))


def store_record(vault: Vault, record: Record) -> Record:
    """Store a new record whose values were already validated."""
    return vault.records.add(record)


def update_record(vault: Vault, record: Record, raw: dict[str, Any]) -> Record:
    """Validate changes to an existing record and save them."""
    values = validate(record.type_key, raw)
    changed = Record(record.type_key, record.profile_id, values, id=record.id,
                     provenance=record.provenance, created_at=record.created_at)
    return vault.records.update(changed)


def save_record(vault: Vault, record: Record) -> Record:
    """Write a record exactly as given (redo of an edit, undo of an edit)."""
    return vault.records.update(record)


def delete_record(vault: Vault, record: Record) -> Record:
    """Delete a record; the returned copy can be passed to `restore_record` to undo."""
    return vault.records.delete(record.type_key, record.id)


def restore_record(vault: Vault, record: Record) -> Record:
    """Put a deleted record back as it was (same id)."""
    return vault.records.restore(record)


def get_record(vault: Vault, type_key: str, record_id: int) -> Record:
    """One record as stored now; RecordNotFound (a BadInput) when it was deleted."""
    return vault.records.get(type_key, record_id)


def list_records(vault: Vault, type_key: str, profile_id: int) -> list[Record]:
    """A person's records of one type."""
    return vault.records.list(type_key, profile_id)
