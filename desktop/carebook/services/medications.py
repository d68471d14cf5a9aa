"""Medications beyond the list: refills coming due, and a renewal request to send or print."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from carebook.domain.records import Profile, Record
from carebook.domain.values import format_date
from carebook.vault.vault import Vault

# The Overview warns this many days before a refill is due (and after, until it is updated).
REFILL_WARNING_DAYS = 7


@dataclass(frozen=True)
class RefillDue:
    """A current medication whose next refill is near or past."""

    medication: Record
    due: str  # ISO date
    days_left: int  # negative when the date has passed

    def describe(self) -> str:
        """One line for the Overview: "Ramipril 5 mg: refill due in 4 days (26 Nov 2026)"."""
        values = self.medication.values
        name = " ".join(part for part in (values["name"], values.get("dose")) if part)
        if self.days_left < 0:
            late = -self.days_left
            when = f"refill was due {late} day{'s' if late != 1 else ''} ago"
        elif self.days_left == 0:
            when = "refill due today"
        elif self.days_left == 1:
            when = "refill due tomorrow"
        else:
            when = f"refill due in {self.days_left} days"
        left = values.get("refills_left")
        tail = "" if left is None else (
            " · no refills left: ask for a renewal" if left == 0
            else f" · {left} refill{'s' if left != 1 else ''} left")
        return f"{name}: {when} ({format_date(self.due)}){tail}"


def is_current(medication: Record, today: date) -> bool:
    """Not stopped, or stopped only from a date still to come."""
    stop = medication.values.get("stop_date")
    return stop is None or date.fromisoformat(stop) >= today


def refills_due(medications: list[Record], today: date,
                warning_days: int = REFILL_WARNING_DAYS) -> list[RefillDue]:
    """Current medications whose next refill falls within `warning_days`, or has passed;
    soonest first."""
    due = []
    for medication in medications:
        refill = medication.values.get("next_refill")
        if refill is None or not is_current(medication, today):
            continue
        days_left = (date.fromisoformat(refill) - today).days
        if days_left <= warning_days:
            due.append(RefillDue(medication, refill, days_left))
    return sorted(due, key=lambda item: (item.days_left, item.medication.values["name"]))


def renewal_message(profile: Profile, medication: Record, today: date | None = None) -> str:
    """A short, plain request for a prescription renewal, for a clinic's portal or to print.

    It says only what the person's records hold: who, which medicine, dose, schedule,
    prescriber and the last refill; nothing is guessed.
    """
    today = today or date.today()
    values = medication.values
    who = profile.full_name or profile.name
    lines = ["Hello,", "",
             f"Could you please renew this prescription for {who}"
             + (f" (born {format_date(profile.birth_date)})" if profile.birth_date else "") + "?",
             ""]
    lines.append(f"Medication: {values['name']}")
    for label, key in (("Dose", "dose"), ("How it is taken", "schedule"),
                       ("Prescribed by", "prescriber"), ("For", "reason")):
        if values.get(key):
            lines.append(f"{label}: {values[key]}")
    if values.get("last_refill"):
        lines.append(f"Last refill: {format_date(values['last_refill'])}")
    refill = values.get("next_refill")
    if refill:
        verb = "Next refill due" if refill >= today.isoformat() else "Refill was due"
        lines.append(f"{verb}: {format_date(refill)}")
    left = values.get("refills_left")
    if left is not None:
        lines.append(f"Refills left: {left}")
    lines += ["", "Thank you.", "", f"Written on {format_date(today.isoformat())}."]
    return "\n".join(lines)


def current_medications(vault: Vault, profile_id: int, today: date | None = None
                        ) -> list[Record]:
    """Medications being taken on `today`."""
    today = today or date.today()
    return [m for m in vault.records.list("medication", profile_id) if is_current(m, today)]
