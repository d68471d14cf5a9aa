"""The appointment pack: one printout to bring to a visit, holding only the sections chosen.

Everything in it is read from the records and worded by code; no model is involved. Flags
come from the printed range (domain.flags), trends from services.lab_results.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from carebook.domain.flags import effective_flag, is_abnormal
from carebook.domain.people import display_name, person_facts
from carebook.domain.records import Profile, Record
from carebook.domain.values import (
    format_date,
    format_datetime,
    format_number,
    format_range,
    format_reading,
)
from carebook.errors import BadInput
from carebook.interop.printable import (
    Block,
    Chart,
    Checklist,
    Facts,
    Paragraph,
    PrintDocument,
    Section,
    Table,
)
from carebook.knowledge import CatalogueError, load_catalogue
from carebook.services.emergency_card import by_severity, stands_out
from carebook.services.lab_results import (
    find_analyte,
    printed_value,
    trend_from_records,
    which_test,
)
from carebook.services.medications import current_medications
from carebook.services.visits import is_upcoming, next_visit, previous_visit
from carebook.vault.vault import Vault

# Every section a pack can hold, in the order it prints. The keys are the CLI's and the tests'.
PACK_SECTIONS = (
    ("person", "Person summary"),
    ("medications", "Current medications"),
    ("allergies", "Allergies"),
    ("conditions", "Active conditions"),
    ("results", "Results since the last visit"),
    ("questions", "Questions to ask"),
    ("vitals", "Recent vitals"),
)
SECTION_KEYS = tuple(key for key, _title in PACK_SECTIONS)
FLAG_WORDS = {"H": "High", "L": "Low", "A": "Abnormal", "N": "Normal"}
RESULTS_WINDOW_DAYS = 365  # "since the last visit" when there was none
VITALS_WINDOW_DAYS = 180
CHANGE_SHARE = 0.10  # a result that moved by a tenth or more since the one before gets a chart
CHART_POINTS = 8


@dataclass
class PackSource:
    """What a pack is built from: the person, the visit (if any) and the day it is made."""

    profile: Profile
    visit: Record | None
    previous: Record | None
    today: date


def choose_sections(keys: Iterable[str] | None) -> tuple[str, ...]:
    """The chosen section keys in print order (all of them when `keys` is None)."""
    if keys is None:
        return SECTION_KEYS
    wanted = set(keys)
    unknown = wanted - set(SECTION_KEYS)
    if unknown:
        raise BadInput(f"Unknown pack section: {', '.join(sorted(unknown))}. "
                       f"Choose from {', '.join(SECTION_KEYS)}.")
    return tuple(key for key in SECTION_KEYS if key in wanted)


def pack_source(vault: Vault, profile_id: int, visit_id: int | None = None,
                today: date | None = None) -> PackSource:
    """The person, the visit (`visit_id`, else the next upcoming one) and the visit before."""
    today = today or date.today()
    profile = vault.profiles.get(profile_id)
    if visit_id is not None:
        visit = vault.records.get("visit", visit_id)
        if visit.profile_id != profile_id:
            raise BadInput(f"Visit {visit_id} is not one of {profile.name}'s visits.")
    else:
        visit = next_visit(vault, profile_id, today)
    before = visit.values["starts_at"] if visit else f"{today.isoformat()}T23:59"
    return PackSource(profile, visit, previous_visit(vault, profile_id, before), today)


def build_pack(vault: Vault, profile_id: int, sections: Iterable[str] | None = None,
               visit_id: int | None = None, today: date | None = None) -> PrintDocument:
    """The appointment pack with the chosen sections (all when None)."""
    chosen = choose_sections(sections)
    source = pack_source(vault, profile_id, visit_id, today)
    builders = {"person": _person, "medications": _medications, "allergies": _allergies,
                "conditions": _conditions, "results": _results, "questions": _questions,
                "vitals": _vitals}
    titles = dict(PACK_SECTIONS)
    built = []
    for key in chosen:
        title, blocks = builders[key](vault, source)
        built.append(Section(key, title or titles[key], tuple(blocks)))
    visit = source.visit
    dated = format_date(visit.values["starts_at"]) if visit else format_date(
        source.today.isoformat())
    return PrintDocument(
        title="Appointment pack", person=display_name(source.profile), dated=dated,
        subtitle=visit_line(visit) if visit else "No visit planned",
        sections=tuple(built),
        closing=_closing(source.today, "results" in chosen))


def _closing(today: date, with_results: bool) -> str:
    """Where the pack came from; how to read its results only when it has them."""
    text = (f"Prepared with Carebook on {format_date(today.isoformat())} from the records kept "
            "for this person.")
    if with_results:
        text += " Values are as printed on the lab reports; flags follow the reported ranges."
    return text


def visit_line(visit: Record) -> str:
    """A visit in one line: "Visit on 26 Nov 2026, 10:30 with Dr. A (Nephrology), Place"."""
    values = visit.values
    line = f"Visit on {format_datetime(values['starts_at'])}"
    who = values.get("clinician")
    if who:
        line += f" with {who}"
    if values.get("specialty"):
        line += f" ({values['specialty']})" if who else f" in {values['specialty']}"
    if values.get("place"):
        line += f", {values['place']}"
    if values.get("reason"):
        line += f". Reason: {values['reason']}"
    return line


# --- the sections: each returns (a title, or "" for the default, and its blocks) -----------

def _person(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    rows = person_facts(source.profile, source.today)
    if source.previous is not None:
        rows.append(("Last visit", _visit_short(source.previous)))
    return "", [Facts(tuple(rows))]


def _medications(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    meds = current_medications(vault, source.profile.id, source.today)
    if not meds:
        return "", [Paragraph("No current medications recorded.")]
    rows = tuple((m.values["name"], m.values.get("dose") or "", m.values.get("schedule") or "",
                  m.values.get("reason") or "", format_date(m.values.get("start_date")))
                 for m in meds)
    return "", [Table(("Medication", "Dose", "When", "Reason", "Since"), rows)]


def _allergies(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    allergies = by_severity(vault.records.list("allergy", source.profile.id))
    if not allergies:
        return "", [Paragraph("No allergies recorded.")]
    severity = {"mild": "Mild", "moderate": "Moderate", "severe": "Severe"}
    rows = tuple((a.values["substance"], a.values.get("reaction") or "",
                  severity.get(a.values.get("severity"), "Not recorded")) for a in allergies)
    return "", [Table(("Allergic to", "Reaction", "Severity"), rows,
                      tuple(stands_out(a) for a in allergies))]


def _conditions(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    active = [c for c in vault.records.list("condition", source.profile.id)
              if c.values.get("status") == "active"]
    if not active:
        return "", [Paragraph("No active conditions recorded.")]
    rows = tuple((c.values["name"], format_date(c.values.get("onset_date"))) for c in active)
    return "", [Table(("Condition", "Since"), rows)]


def _questions(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    # Open questions for this visit, for no visit in particular, or left open at a visit that
    # has happened (or was cancelled): those are still to ask. Not those for another visit
    # still to come.
    visit_id = source.visit.id if source.visit else None
    elsewhere = {v.id for v in vault.records.list("visit", source.profile.id)
                 if v.id != visit_id and is_upcoming(v, source.today)}
    questions = [q for q in vault.records.list("question", source.profile.id)
                 if q.values.get("status") != "asked"
                 and q.values.get("visit_id") not in elsewhere]
    if not questions:
        return "", [Paragraph("No open questions.")]
    return "", [Checklist(tuple(q.values["text"] for q in questions))]


def _vitals(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    since = (source.today - timedelta(days=VITALS_WINDOW_DAYS)).isoformat()
    readings = [v for v in vault.records.list("vital", source.profile.id)
                if v.values["measured_at"][:10] >= since]
    title = f"Vitals in the last {VITALS_WINDOW_DAYS // 30} months"
    if not readings:
        return title, [Paragraph("No vitals recorded in that time.")]
    by_kind: dict[str, list[Record]] = {}
    for reading in sorted(readings, key=lambda v: v.values["measured_at"], reverse=True):
        by_kind.setdefault(reading.values["kind"], []).append(reading)
    rows = tuple((reading[0].title(), format_reading(reading[0].values),
                  format_datetime(reading[0].values["measured_at"]),
                  format_reading(reading[1].values) if len(reading) > 1 else "", str(len(reading)))
                 for reading in by_kind.values())
    return title, [Table(("Measurement", "Latest", "When", "Before that", "Readings"), rows)]


def _visit_short(visit: Record) -> str:
    values = visit.values
    who = values.get("clinician") or values.get("specialty") or ""
    return format_date(values["starts_at"]) + (f", {who}" if who else "")


# --- results since the last visit ------------------------------------------------------------

def _results(vault: Vault, source: PackSource) -> tuple[str, list[Block]]:
    if source.previous is not None:
        since = source.previous.values["starts_at"][:10]
        title = f"Results since the last visit ({format_date(since)})"
    else:
        since = (source.today - timedelta(days=RESULTS_WINDOW_DAYS)).isoformat()
        title = "Results in the last 12 months (no earlier visit recorded)"
    # A pack for a visit already past holds what was known then, not results from after it.
    visit_day = source.visit.values["starts_at"][:10] if source.visit else None
    until = visit_day if visit_day and visit_day < source.today.isoformat() else "9999-12-31"
    everything = [r for r in vault.records.list("lab_result", source.profile.id)
                  if r.values["collected_at"][:10] <= until]
    recent = [r for r in everything if r.values["collected_at"][:10] > since]
    if not recent:
        return title, [Paragraph("No results in that time.")]
    catalogue = _catalogue()
    latest: dict[str, Record] = {}
    for record in sorted(recent, key=lambda r: r.values["collected_at"]):
        latest[which_test(record)] = record
    ordered = sorted(latest.values(), key=lambda r: (not _abnormal(r), r.values["name"].casefold()))
    rows = tuple((r.values["name"], format_date(r.values["collected_at"]), printed_value(r),
                  format_range(r.values.get("ref_low"), r.values.get("ref_high"),
                               r.values.get("ref_text")),
                  FLAG_WORDS.get(effective_flag(r.values) or "", "")) for r in ordered)
    blocks: list[Block] = [Table(("Test", "Date", "Result", "Range", "Flag"), rows,
                                 tuple(_abnormal(r) for r in ordered))]
    charts = [chart for r in ordered
              if (chart := _change_chart(everything, r, catalogue, source.profile.sex))]
    if charts:
        blocks.append(Paragraph("Tests that changed since the result before:", "muted"))
        blocks.extend(charts)
    return title, blocks


def _amount(value: float, unit: str) -> str:
    return f"{format_number(round(value, 3))} {unit}".strip()


def _catalogue():
    try:
        return load_catalogue()
    except CatalogueError:
        return None  # the pack prints without trends rather than not at all


def _abnormal(record: Record) -> bool:
    return is_abnormal(effective_flag(record.values))


def _change_chart(everything: list[Record], latest: Record, catalogue, sex: str | None
                  ) -> Chart | None:
    """A small chart of this test's recent results when the latest one moved noticeably or
    changed flag; None otherwise."""
    key = which_test(latest)
    history = sorted((r for r in everything if which_test(r) == key
                      and r.values["collected_at"] <= latest.values["collected_at"]),
                     key=lambda r: r.values["collected_at"])
    analyte = find_analyte(latest, catalogue)
    trend = trend_from_records(history, analyte.key if analyte else key, catalogue, sex)
    points = trend.points[-CHART_POINTS:]
    if len(points) < 2:
        return None
    before, last = points[-2], points[-1]
    moved = abs(last.converted - before.converted) >= CHANGE_SHARE * max(
        abs(before.converted), 1e-9)
    if not moved and (before.flag or "N") == (last.flag or "N"):
        return None
    unit = trend.unit_label or ""
    direction = "rose" if last.converted > before.converted else (
        "fell" if last.converted < before.converted else "stayed")
    caption = (f"{trend.name} {direction} from {_amount(before.converted, unit)} "
               f"on {format_date(before.collected_at)} to {_amount(last.converted, unit)} "
               f"on {format_date(last.collected_at)}")
    if trend.band is not None and trend.band.text:
        caption += f"; range {trend.band.text}"
        if trend.band.typical:
            caption += " (typical)"
    band = trend.band
    return Chart(title=trend.name, unit=unit,
                 points=tuple((p.collected_at[:10], p.converted) for p in points),
                 low=band.low if band else None, high=band.high if band else None,
                 caption=caption + ".")
