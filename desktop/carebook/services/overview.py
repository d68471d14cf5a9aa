"""What matters first for one person: results out of range, refills coming due, follow-up
tasks still open, current medications, allergies, active conditions and the next visit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from carebook.domain.flags import effective_flag, is_abnormal
from carebook.domain.records import Record
from carebook.services.lab_results import which_test
from carebook.services.medications import RefillDue, is_current, refills_due
from carebook.services.visits import next_visit, open_follow_ups
from carebook.vault.vault import Vault


@dataclass
class Overview:
    """The Overview page's content for one person."""

    out_of_range: list[Record] = field(default_factory=list)
    current_medications: list[Record] = field(default_factory=list)
    allergies: list[Record] = field(default_factory=list)
    active_conditions: list[Record] = field(default_factory=list)
    next_visit: Record | None = None
    latest_results_date: str | None = None
    refills_due: list[RefillDue] = field(default_factory=list)
    follow_ups: list[Record] = field(default_factory=list)  # open tasks, soonest due first


def build_overview(vault: Vault, profile_id: int, today: date | None = None) -> Overview:
    """Collect the Overview for one person as of `today`."""
    today = today or date.today()
    results = vault.records.list("lab_result", profile_id)
    medications = vault.records.list("medication", profile_id)
    overview = Overview(
        out_of_range=latest_abnormal_results(results),
        current_medications=[med for med in medications if is_current(med, today)],
        allergies=vault.records.list("allergy", profile_id),
        active_conditions=[c for c in vault.records.list("condition", profile_id)
                           if c.values.get("status") == "active"],
        next_visit=next_visit(vault, profile_id, today),
        latest_results_date=max((r.values["collected_at"] for r in results), default=None),
        refills_due=refills_due(medications, today),
        follow_ups=open_follow_ups(vault, profile_id),
    )
    return overview


def latest_abnormal_results(results: list[Record]) -> list[Record]:
    """For each test, its most recent result, kept only when that result is out of range."""
    latest: dict[str, Record] = {}
    for result in results:
        key = which_test(result)
        held = latest.get(key)
        if held is None or result.values["collected_at"] > held.values["collected_at"]:
            latest[key] = result
    flagged = [r for r in latest.values() if is_abnormal(effective_flag(r.values))]
    flagged.sort(key=lambda r: (r.values["collected_at"], r.values["name"]), reverse=True)
    return flagged
