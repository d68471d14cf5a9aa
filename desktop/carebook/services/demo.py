"""A synthetic family (a caregiver, her father, her daughter) so a newcomer sees a living app.

The people, values and clinicians live in resources/demo/family.json; dates there are day
offsets from `today`, so the demo always has recent results and an upcoming visit.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from carebook.domain.record_types import record_type
from carebook.domain.records import Profile, Provenance, Record
from carebook.domain.validation import clean_values
from carebook.paths import resource
from carebook.vault.kdf import DEFAULT_KDF, KdfParams
from carebook.vault.vault import Vault

# Shown on the unlock screen of a `carebook --demo` session; the demo holds no real data.
DEMO_PASSPHRASE = "demo garden lantern violet"
_DEMO = Provenance(source_kind="demo")


def create_demo_vault(folder: Path, kdf: KdfParams = DEFAULT_KDF,
                      today: date | None = None) -> Vault:
    """A new vault at `folder`, locked by DEMO_PASSPHRASE, holding the demo family; left open."""
    vault, _recovery_code = Vault.create(folder, DEMO_PASSPHRASE, kdf)
    try:
        create_demo_family(vault, today)
    except BaseException:
        vault.close()
        raise
    return vault


def load_family() -> dict[str, Any]:
    """The demo family's description."""
    return json.loads(resource("demo", "family.json").read_text(encoding="utf-8"))


def create_demo_family(vault: Vault, today: date | None = None) -> list[Profile]:
    """Write the demo family into an open vault, all or nothing; return the new profiles."""
    today = today or date.today()
    family = load_family()
    taken = {profile.name.casefold() for profile in vault.profiles.list()}
    created = []
    with vault.db.transaction():
        for person in family["people"]:
            name = _free_name(person["name"], taken)
            taken.add(name.casefold())
            profile = vault.profiles.add(Profile(
                name=name, full_name=person["full_name"], birth_date=person["birth_date"],
                sex=person["sex"], blood_type=person.get("blood_type"),
                emergency_contacts=person.get("emergency_contacts", "")))
            created.append(profile)
            records = list(_person_records(person, profile.id, today))
            vault.records.add_many(records, f"Demo records for {name}", profile.id)
            _add_visit_links(vault, person, profile.id, today)
        vault.audit.write("demo_created", "Synthetic demo family added",
                          detail={"profiles": [p.name for p in created]})
    return created


def _free_name(name: str, taken: set[str]) -> str:
    """`name`, else "name (demo)", else "name (demo 2)", "name (demo 3)"… whichever is free."""
    candidate, number = name, 1
    while candidate.casefold() in taken:
        candidate = f"{name} (demo)" if number == 1 else f"{name} (demo {number})"
        number += 1
    return candidate


def _day(today: date, offset: int) -> str:
    return (today + timedelta(days=offset)).isoformat()


def _record(type_key: str, profile_id: int, raw: dict[str, Any]) -> Record:
    # Demo data goes through the same validation as anything a person types.
    return Record(type_key, profile_id, clean_values(record_type(type_key), raw),
                  provenance=_DEMO)


def _person_records(person: dict, profile_id: int, today: date):
    dates = person["lab_dates"]
    for lab in person["labs"]:
        for offset, value in zip(dates, lab["values"], strict=True):
            if value is None:
                continue
            yield _record("lab_result", profile_id, {
                "collected_at": _day(today, offset), "name": lab["name"],
                "analyte": lab["analyte"], "loinc": lab["loinc"], "value": value,
                "unit": lab["unit"], "ref_low": lab.get("ref_low"),
                "ref_high": lab.get("ref_high"), "ref_text": lab.get("ref_text")})
    for med in person["medications"]:
        yield _record("medication", profile_id, {
            **{key: med.get(key) for key in ("name", "dose", "schedule", "reason", "prescriber",
                                              "refills_left", "notes")},
            "start_date": _day(today, med["start"]),
            "stop_date": _day(today, med["stop"]) if "stop" in med else None,
            "next_refill": _day(today, med["next_refill"]) if "next_refill" in med else None,
            "last_refill": _day(today, med["last_refill"]) if "last_refill" in med else None})
    for condition in person["conditions"]:
        yield _record("condition", profile_id, {
            "name": condition["name"], "status": condition["status"],
            "notes": condition.get("notes"), "onset_date": _day(today, condition["onset"]),
            "resolved_date": (_day(today, condition["resolved"])
                              if "resolved" in condition else None)})
    for allergy in person["allergies"]:
        yield _record("allergy", profile_id, {
            **{key: allergy.get(key) for key in ("substance", "reaction", "severity")},
            "noted_date": _day(today, allergy["noted"])})
    for shot in person["immunizations"]:
        yield _record("immunization", profile_id, {
            **{key: shot.get(key) for key in ("vaccine", "dose_number", "given_by")},
            "given_on": _day(today, shot["given_on"])})
    for series in person["vitals"]:
        for offset, *numbers in series["readings"]:
            yield _record("vital", profile_id, {
                "kind": series["kind"], "measured_at": f"{_day(today, offset)}T09:00",
                "value": numbers[0], "value2": numbers[1] if len(numbers) > 1 else None})
    for visit in person["visits"]:
        yield _record("visit", profile_id, {
            **{key: visit.get(key) for key in ("clinician", "specialty", "place", "reason",
                                                "status", "notes")},
            "starts_at": f"{_day(today, visit['day'])}T{visit['time']}"})


def _add_visit_links(vault: Vault, person: dict, profile_id: int, today: date) -> None:
    """Questions and follow-up tasks, which point at visits stored just before them."""
    visits_by_day = {v.values["starts_at"][:10]: v.id
                     for v in vault.records.list("visit", profile_id)}

    def visit_of(entry: dict) -> int | None:
        return visits_by_day.get(_day(today, entry["visit_day"]))

    questions = [
        _record("question", profile_id, {
            "text": question["text"], "about": json.dumps(question["about"]),
            "status": question.get("status", "open"), "answer": question.get("answer"),
            "sort_order": order, "visit_id": visit_of(question)})
        for order, question in enumerate(person.get("questions", []), start=1)]
    tasks = [
        _record("follow_up", profile_id, {
            "text": task["text"], "due_date": _day(today, task["due"]),
            "done_on": _day(today, task["done"]) if "done" in task else None,
            "visit_id": visit_of(task)})
        for task in person.get("follow_ups", [])]
    if questions or tasks:
        vault.records.add_many([*questions, *tasks], "Demo questions and follow-up tasks",
                               profile_id)
