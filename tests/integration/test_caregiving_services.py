"""Visits, follow-ups, refills, person details, the pack's and the card's content: the services
behind caregiving, on real vaults holding the synthetic demo family."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from carebook.domain.people import display_name, initials, person_colour
from carebook.domain.records import Profile, Record
from carebook.errors import BadInput, ValidationError
from carebook.interop.printable import Chart, Checklist, Facts, Paragraph, Table
from carebook.services import overview, profiles
from carebook.services import visits as visit_service
from carebook.services.demo import create_demo_family
from carebook.services.emergency_card import build_card
from carebook.services.medications import refills_due, renewal_message
from carebook.services.records import add_record
from carebook.services.visit_pack import SECTION_KEYS, build_pack, choose_sections

TODAY = date(2026, 11, 23)


@pytest.fixture
def family(vault) -> dict[str, Profile]:
    """The demo family written as of TODAY, by display name."""
    return {p.name: p for p in create_demo_family(vault, today=TODAY)}


def _day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def _texts(section) -> str:
    """Every string a section's blocks would print, joined."""
    parts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif isinstance(block, Facts):
            parts += [f"{label}: {value}" for label, value in block.rows]
        elif isinstance(block, Table):
            parts += [" | ".join(row) for row in block.rows]
        elif isinstance(block, Checklist):
            parts += list(block.items)
        elif isinstance(block, Chart):
            parts.append(block.caption)
    return "\n".join(parts)


# --- visits --------------------------------------------------------------------------------------

def test_dads_visits_split_into_upcoming_and_past(vault, family):
    lists = visit_service.visit_lists(vault, family["Dad"].id, TODAY)
    assert [v.values["starts_at"][:10] for v in lists.upcoming] == [_day(3), _day(45)]
    assert [v.values["starts_at"][:10] for v in lists.past] == [_day(-150), _day(-340)]
    assert visit_service.next_visit(vault, family["Dad"].id, TODAY).id == lists.upcoming[0].id


def test_a_planned_visit_is_upcoming_through_its_day_and_past_after(vault, family):
    dad = family["Dad"].id
    thursday = visit_service.visit_lists(vault, dad, TODAY).upcoming[0]  # 26 Nov, 10:30
    assert visit_service.is_upcoming(thursday, date(2026, 11, 26))
    assert not visit_service.is_upcoming(thursday, date(2026, 11, 27))
    done = thursday.with_values(status="done")
    assert not visit_service.is_upcoming(done, TODAY)


def test_yesterdays_visit_never_marked_done_is_not_the_next_one_anywhere(vault, family):
    """The Overview, the Visits screen and the pack agree on the next visit."""
    dad = family["Dad"].id
    add_record(vault, "visit", dad, {
        "starts_at": f"{_day(-1)}T09:00", "clinician": "Dr. Yesterday", "status": "planned"})
    thursday = visit_service.visit_lists(vault, dad, TODAY).upcoming[0]
    assert thursday.values["clinician"] == "Dr. Anne Moreau"
    assert overview.build_overview(vault, dad, today=TODAY).next_visit.id == thursday.id
    assert "Dr. Anne Moreau" in build_pack(vault, dad, ["person"], today=TODAY).subtitle
    assert visit_service.visit_lists(vault, dad, TODAY).past[0].values["clinician"] == \
        "Dr. Yesterday"


def test_visit_detail_holds_its_questions_tasks_and_the_visit_before(vault, family):
    dad = family["Dad"].id
    past = visit_service.visit_lists(vault, dad, TODAY).past
    detail = visit_service.visit_detail(vault, dad, past[0].id)
    assert [q.values["answer"] for q in detail.asked] == [
        "Metformin can stay at this eGFR; the dose is checked again if it falls below 45.",
        "Yes: referral to nephrology sent."]
    assert detail.open_questions == []
    assert len(detail.follow_ups) == 4
    assert [t.values["text"] for t in detail.follow_ups if not t.values["done_on"]] == [
        "Eye check with the diabetes screening service",
        "Bring a week of home blood-pressure readings"]
    assert detail.previous.id == past[1].id

    upcoming = visit_service.visit_detail(vault, dad, visit_service.next_visit(
        vault, dad, TODAY).id)
    assert len(upcoming.open_questions) == 2 and upcoming.follow_ups == []
    assert upcoming.previous.id == past[0].id


def test_another_persons_visit_is_refused(vault, family):
    dads_visit = visit_service.next_visit(vault, family["Dad"].id, TODAY)
    with pytest.raises(BadInput):
        visit_service.visit_detail(vault, family["Me"].id, dads_visit.id)
    with pytest.raises(BadInput):
        build_pack(vault, family["Me"].id, visit_id=dads_visit.id, today=TODAY)


def test_questions_and_follow_ups_added_to_a_visit(vault, family):
    me = family["Me"].id
    visit = visit_service.next_visit(vault, me, TODAY)
    question = visit_service.add_question(vault, me, visit.id, "Is my thyroid dose right?")
    task = visit_service.add_follow_up(vault, me, {
        "text": "Book a TSH test", "due_date": _day(40), "visit_id": visit.id})
    detail = visit_service.visit_detail(vault, me, visit.id)
    assert [q.id for q in detail.questions] == [question.id]
    assert question.values["status"] == "open"
    assert [t.id for t in detail.follow_ups] == [task.id]
    with pytest.raises(ValidationError):
        visit_service.add_follow_up(vault, me, {"text": "", "due_date": "not a date"})

    done = visit_service.set_follow_up_done(vault, task, True, today=TODAY)
    assert done.values["done_on"] == TODAY.isoformat()
    assert task.id not in [t.id for t in visit_service.open_follow_ups(vault, me)]
    reopened = visit_service.set_follow_up_done(vault, done, False)
    assert reopened.values["done_on"] is None


# --- the Overview: follow-ups and refills --------------------------------------------------------

def test_overview_lists_open_follow_ups_soonest_first_with_the_overdue_one(vault, family):
    view = overview.build_overview(vault, family["Dad"].id, today=TODAY)
    assert [t.values["text"] for t in view.follow_ups] == [
        "Eye check with the diabetes screening service",
        "Bring a week of home blood-pressure readings"]
    assert [visit_service.is_overdue(t, TODAY) for t in view.follow_ups] == [True, False]


def test_overview_warns_of_refills_due_within_a_week(vault, family):
    view = overview.build_overview(vault, family["Dad"].id, today=TODAY)
    assert [(r.medication.values["name"], r.days_left) for r in view.refills_due] == [
        ("Ramipril", 4)]
    assert view.refills_due[0].describe() == (
        "Ramipril 10 mg: refill due in 4 days (27 Nov 2026) · 1 refill left")
    later = overview.build_overview(vault, family["Dad"].id, today=TODAY + timedelta(days=2))
    assert [r.medication.values["name"] for r in later.refills_due] == ["Ramipril", "Metformin"]


def _medication(next_refill: str | None, stop: str | None = None, left: int | None = 2
                ) -> Record:
    return Record("medication", 1, {"name": "Drug", "dose": "5 mg", "next_refill": next_refill,
                                    "stop_date": stop, "refills_left": left})


@pytest.mark.parametrize(("offset", "warned"), [(-3, True), (0, True), (7, True), (8, False)])
def test_refill_warning_window(offset, warned):
    assert bool(refills_due([_medication(_day(offset))], TODAY)) is warned


def test_no_refill_warning_for_a_stopped_medicine_or_without_a_date():
    assert refills_due([_medication(_day(2), stop=_day(-1)), _medication(None)], TODAY) == []


@pytest.mark.parametrize(("offset", "left", "words"), [
    (-2, 2, "refill was due 2 days ago"), (-1, 2, "refill was due 1 day ago"),
    (0, 2, "refill due today"), (1, 1, "refill due tomorrow"),
    (3, 0, "no refills left: ask for a renewal")])
def test_refill_warning_words(offset, left, words):
    assert words in refills_due([_medication(_day(offset), left=left)], TODAY)[0].describe()


def test_renewal_message_lists_who_what_dose_and_last_refill(vault, family):
    dad = vault.profiles.get(family["Dad"].id)
    ramipril = next(m for m in vault.records.list("medication", dad.id)
                    if m.values["name"] == "Ramipril")
    text = renewal_message(dad, ramipril, TODAY)
    for expected in ("Henri Martin", "born 3 Sep 1949", "Medication: Ramipril", "Dose: 10 mg",
                     "Last refill: 28 Oct 2026", "Next refill due: 27 Nov 2026",
                     "Refills left: 1", "Prescribed by: Dr. Anne Moreau"):
        assert expected in text
    bare = Record("medication", dad.id, {"name": "Ibuprofen"})
    assert "Dose" not in renewal_message(Profile(name="Dad"), bare, TODAY)


# --- people --------------------------------------------------------------------------------------

def test_person_details_are_validated_saved_and_audited_without_their_values(vault, family):
    dad = family["Dad"]
    raw = {**profiles.person_details(dad), "blood_type": "AB-",
           "emergency_contacts": "Claire, 06 11 22 33 44\n\n", "colour": "#007a5e"}
    saved = profiles.update_person_details(vault, dad.id, raw)
    assert (saved.blood_type, saved.colour) == ("AB-", "#007a5e")
    assert saved.emergency_contacts == "Claire, 06 11 22 33 44"
    entry = vault.audit.entries(limit=1)[0]
    assert entry.action == "profile_edited"
    assert "06 11" not in f"{entry.summary} {entry.detail}"
    with pytest.raises(ValidationError) as caught:
        profiles.update_person_details(vault, dad.id, {**raw, "birth_date": "31/02/1949",
                                                       "blood_type": "Z"})
    assert set(caught.value.field_errors) == {"birth_date", "blood_type"}
    assert vault.profiles.get(dad.id).blood_type == "AB-"


def test_initials_colours_and_printed_names():
    assert [initials(n) for n in ("Me", "Léa", "Grand Pa", "jean-luc", "  ", "3rd")] == [
        "M", "L", "GP", "JL", "?", "3"]
    assert person_colour(None, 0) != person_colour(None, 1)
    assert person_colour("#007a5e", 0) == "#007a5e"
    assert person_colour("red; evil", 2) == person_colour(None, 2)
    assert display_name(Profile(name="Dad", full_name="Henri Martin")) == "Henri Martin (Dad)"
    assert display_name(Profile(name="Léa", full_name="Léa Martin")) == "Léa Martin"
    assert display_name(Profile(name="Léa", full_name="léa")) == "léa"
    assert display_name(Profile(name="Me")) == "Me"


# --- the appointment pack ------------------------------------------------------------------------

def test_pack_for_dads_next_visit_holds_every_section_with_his_values(vault, family):
    pack = build_pack(vault, family["Dad"].id, today=TODAY)
    assert pack.section_keys == SECTION_KEYS
    assert pack.person == "Henri Martin (Dad)" and pack.dated == "26 Nov 2026"
    assert "Dr. Anne Moreau" in pack.subtitle and "Diabetes review" in pack.subtitle
    text = {section.key: _texts(section) for section in pack.sections}
    assert "Blood type: O−" in text["person"] and "Last visit: 26 Jun 2026" in text["person"]
    assert "Metformin | 1000 mg" in text["medications"]
    assert "Amlodipine" not in text["medications"]  # stopped
    assert "Penicillin | Widespread rash" in text["allergies"]
    assert "Chronic kidney disease, stage 3a" in text["conditions"]
    assert "Hemoglobin A1c | 5 Nov 2026 | 7.6 % | 4–5.6 | High" in text["results"]
    assert "Potassium rose from 5 mmol/L on 26 Jun 2026 to 5.3 mmol/L" in text["results"]
    assert "Should my diabetes treatment change?" in text["questions"]
    assert "stage 3a kidney disease" not in text["questions"]  # asked at a past visit
    assert "Blood pressure | 132/79 mmHg" in text["vitals"]


def test_results_start_after_the_previous_visit_and_flagged_ones_lead(vault, family):
    pack = build_pack(vault, family["Dad"].id, ["results"], today=TODAY)
    (section,) = pack.sections
    assert section.title == "Results since the last visit (26 Jun 2026)"
    table = section.blocks[0]
    assert {row[1] for row in table.rows} == {"5 Nov 2026"}  # the 26 Jun report is not "since"
    flags = [row[4] for row in table.rows]
    assert flags == sorted(flags, key=lambda flag: flag == "Normal")
    assert list(table.emphasis) == [flag != "Normal" for flag in flags]
    charts = [block for block in section.blocks if isinstance(block, Chart)]
    assert {chart.title for chart in charts} >= {"Potassium", "Hemoglobin"}
    assert all(len(chart.points) >= 2 and chart.caption.endswith(".") for chart in charts)


def test_only_the_chosen_sections_in_print_order(vault, family):
    pack = build_pack(vault, family["Dad"].id, ["questions", "allergies"], today=TODAY)
    assert pack.section_keys == ("allergies", "questions")
    with pytest.raises(BadInput) as caught:
        choose_sections(["allergies", "horoscope"])
    assert "horoscope" in caught.value.message
    assert build_pack(vault, family["Dad"].id, [], today=TODAY).sections == ()


def test_a_person_with_no_data_gets_a_short_sensible_pack(vault):
    nobody = profiles.add_profile(vault, "Newcomer")
    pack = build_pack(vault, nobody.id, today=TODAY)
    assert pack.subtitle == "No visit planned" and pack.dated == "23 Nov 2026"
    text = {section.key: _texts(section) for section in pack.sections}
    assert text == {
        "person": "Name: Newcomer\nBlood type: Not recorded",
        "medications": "No current medications recorded.",
        "allergies": "No allergies recorded.",
        "conditions": "No active conditions recorded.",
        "results": "No results in that time.",
        "questions": "No open questions.",
        "vitals": "No vitals recorded in that time.",
    }


def test_a_chosen_past_visit_gets_the_results_before_it(vault, family):
    dad = family["Dad"].id
    past = visit_service.visit_lists(vault, dad, TODAY).past
    pack = build_pack(vault, dad, ["results", "questions"], visit_id=past[0].id, today=TODAY)
    assert pack.dated == format_day(-150)
    results = pack.sections[0]
    assert results.title == f"Results since the last visit ({format_day(-340)})"
    days = {datetime.strptime(row[1], "%d %b %Y").date() for row in results.blocks[0].rows}
    # Between the visit before (340 days ago) and that one; none from after it.
    assert TODAY - timedelta(days=150) in days
    assert all(TODAY - timedelta(days=340) < day <= TODAY - timedelta(days=150)
               for day in days)
    charts = [block for block in results.blocks if isinstance(block, Chart)]
    assert all(chart.points[-1][0] <= _day(-150) for chart in charts)


def test_a_question_left_open_at_a_past_visit_comes_to_the_next_pack(vault, family):
    dad = family["Dad"].id
    lists = visit_service.visit_lists(vault, dad, TODAY)
    left_open = visit_service.add_question(vault, dad, lists.past[0].id, "Is my eGFR stable?")
    later = visit_service.add_question(vault, dad, lists.upcoming[1].id, "For the nephrologist")
    items = build_pack(vault, dad, ["questions"], today=TODAY).sections[0].blocks[0].items
    assert left_open.values["text"] in items and later.values["text"] not in items
    for_later = build_pack(vault, dad, ["questions"], visit_id=lists.upcoming[1].id,
                           today=TODAY).sections[0].blocks[0].items
    assert later.values["text"] in for_later
    assert not any("diabetes treatment" in item for item in for_later)  # Thursday's


def format_day(offset: int) -> str:
    from carebook.domain.values import format_date

    return format_date(_day(offset))


# --- the emergency card --------------------------------------------------------------------------

def test_leas_card_puts_the_severe_allergy_first_and_in_warning_style(vault, family):
    card = build_card(vault, family["Léa"].id, today=TODAY)
    assert card.section_keys == ("person", "allergies", "contacts", "medications",
                                 "conditions")
    allergies = card.section("allergies").blocks
    peanut = allergies[0]
    assert peanut.text.startswith("Peanut: Hives") and "(severe)" in peanut.text
    assert peanut.style == "warning"
    assert [block.style for block in allergies[1:]] == ["body", "body"]
    assert "Adrenaline auto-injector 0.15 mg" in _texts(card.section("medications"))
    assert "Claire Martin (mother), 06 11 22 33 44" in _texts(card.section("contacts"))
    assert "Blood type: A+" in _texts(card.section("person"))
    assert card.dated == "Updated 23 Nov 2026"


def test_an_empty_card_says_what_is_missing(vault):
    nobody = profiles.add_profile(vault, "Newcomer")
    card = build_card(vault, nobody.id, today=TODAY)
    assert _texts(card.section("contacts")) == "No contact recorded"
    assert _texts(card.section("allergies")) == "None recorded"
    assert _texts(card.section("person")) == "Blood type: Not recorded"


def test_an_allergy_of_unrecorded_severity_ranks_after_severe_and_stands_out(vault):
    person = profiles.add_profile(vault, "Newcomer")
    for substance, severity in (("Birch", "mild"), ("Penicillin", None), ("Wasp", "severe"),
                                ("Dust", "moderate"), ("Latex", "unknown")):
        add_record(vault, "allergy", person.id, {"substance": substance, "severity": severity,
                                                 "reaction": "Anaphylaxis"})
    card = build_card(vault, person.id, today=TODAY).section("allergies").blocks
    assert [block.text.split(":")[0] for block in card] == [
        "Wasp", "Latex", "Penicillin", "Dust", "Birch"]
    assert [block.style for block in card] == ["warning"] * 3 + ["body"] * 2
    assert card[1].text.endswith("(severity not recorded)")
    table = build_pack(vault, person.id, ["allergies"], today=TODAY).sections[0].blocks[0]
    assert [row[2] for row in table.rows] == ["Severe", "Not recorded", "Not recorded",
                                              "Moderate", "Mild"]
    assert table.emphasis == (True, True, True, False, False)
