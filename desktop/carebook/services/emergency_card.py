"""The emergency card: what a first responder needs, on a card the size of a bank card.

Below who it is, allergies come first (the most severe on top, with their reactions), then
medications, conditions and who to call. Everything is short: a card has room for about
fifteen lines a side.
"""

from __future__ import annotations

from datetime import date

from carebook.domain.people import blood_type_text, contact_lines, display_name
from carebook.domain.records import Record
from carebook.domain.values import format_date
from carebook.interop.printable import Facts, Paragraph, PrintDocument, Section
from carebook.services.medications import current_medications
from carebook.vault.vault import Vault

# A severity not recorded ranks just after severe: "not known" may be the worst.
SEVERITY_ORDER = {"severe": 0, "unknown": 1, None: 1, "moderate": 2, "mild": 3}


def by_severity(allergies: list[Record]) -> list[Record]:
    """Allergies with the most severe first (then by name): what a reader must see first."""
    return sorted(allergies, key=lambda a: (SEVERITY_ORDER.get(a.values.get("severity"), 1),
                                            a.values["substance"].casefold()))


def stands_out(allergy: Record) -> bool:
    """Printed to stand out: severe, or of a severity nobody recorded."""
    return SEVERITY_ORDER.get(allergy.values.get("severity"), 1) <= 1


def build_card(vault: Vault, profile_id: int, today: date | None = None) -> PrintDocument:
    """One person's emergency card."""
    today = today or date.today()
    profile = vault.profiles.get(profile_id)
    allergies = by_severity(vault.records.list("allergy", profile_id))
    medications = current_medications(vault, profile_id, today)
    conditions = [c for c in vault.records.list("condition", profile_id)
                  if c.values.get("status") == "active"]
    who = [("Born", format_date(profile.birth_date))] if profile.birth_date else []
    who.append(("Blood type", blood_type_text(profile.blood_type)))
    sections = (
        Section("person", "Person", (Facts(tuple(who)),)),
        Section("allergies", "Allergies", tuple(
            Paragraph(_allergy_line(a.values), "warning" if stands_out(a) else "body")
            for a in allergies) or (Paragraph("None recorded"),)),
        Section("contacts", "In an emergency, call", tuple(
            Paragraph(line) for line in contact_lines(profile.emergency_contacts))
            or (Paragraph("No contact recorded"),)),
        Section("medications", "Medications", tuple(
            Paragraph(_medication_line(m.values)) for m in medications)
            or (Paragraph("None recorded"),)),
        Section("conditions", "Conditions", tuple(
            Paragraph(c.values["name"]) for c in conditions) or (Paragraph("None recorded"),)),
    )
    return PrintDocument(title="Emergency card", person=display_name(profile),
                         dated=f"Updated {format_date(today.isoformat())}", sections=sections)


def _allergy_line(values: dict) -> str:
    line = values["substance"]
    if values.get("reaction"):
        line += f": {values['reaction']}"
    severity = values.get("severity")
    line += f" ({severity})" if severity in ("mild", "moderate", "severe") else \
        " (severity not recorded)"
    return line


def _medication_line(values: dict) -> str:
    return " ".join(part for part in (values["name"], values.get("dose"),
                                      values.get("schedule") and f"– {values['schedule']}")
                    if part)
