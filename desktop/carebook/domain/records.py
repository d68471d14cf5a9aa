"""Records and their provenance: where every value came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carebook.domain.record_types import RecordType, record_type


@dataclass
class Provenance:
    """Where a record came from, and whether the person confirmed it."""

    source_kind: str = "manual"  # manual | pdf | fhir | demo
    document_id: int | None = None
    page: int | None = None
    confirmed: bool = True

    def describe(self) -> str:
        """One line a person can read: "Typed in by hand", "From document 3, page 2"."""
        if self.source_kind == "manual":
            return "Typed in by hand"
        if self.source_kind == "demo":
            return "Synthetic demo data"
        origin = {"pdf": "a lab report", "fhir": "a FHIR import"}.get(self.source_kind, "import")
        where = f"From {origin}"
        if self.document_id is not None:
            where += f" (document {self.document_id}"
            where += f", page {self.page})" if self.page is not None else ")"
        return where + ("" if self.confirmed else " — not yet confirmed")


@dataclass
class Record:
    """One record of any type; `values` holds typed field values by field name."""

    type_key: str
    profile_id: int
    values: dict[str, Any]
    id: int | None = None
    provenance: Provenance = field(default_factory=Provenance)
    created_at: str | None = None
    updated_at: str | None = None

    @property
    def rtype(self) -> RecordType:
        """The record's type description."""
        return record_type(self.type_key)

    def with_values(self, **changes: Any) -> Record:
        """A copy with some values changed: same id, provenance and creation time."""
        return Record(self.type_key, self.profile_id, {**self.values, **changes}, id=self.id,
                      provenance=self.provenance, created_at=self.created_at)

    def title(self) -> str:
        """A short human name for this record, used in messages and the activity log."""
        value = self.values.get(self.rtype.title_field)
        if self.type_key == "vital":
            return self.rtype.field("kind").choice_label(value)
        text = str(value or "").strip() or self.rtype.label
        return text if len(text) <= 60 else text[:57] + "…"


@dataclass(frozen=True)
class TrendPoint:
    """One result in an analyte's trend; `record_id` leads back to the full record."""

    record_id: int
    collected_at: str
    value: float | None
    value_text: str | None
    unit: str | None
    ref_low: float | None
    ref_high: float | None
    flag: str | None


@dataclass
class Profile:
    """A person whose records the vault holds."""

    name: str
    id: int | None = None
    full_name: str = ""
    birth_date: str | None = None
    sex: str | None = None  # "female" | "male" | None; used later for sex-specific ranges
    colour: str | None = None  # one of domain.people.PERSON_COLOURS, or None for the default
    blood_type: str | None = None  # one of domain.people.BLOOD_TYPES, or None when not known
    emergency_contacts: str = ""  # free text, one contact per line
