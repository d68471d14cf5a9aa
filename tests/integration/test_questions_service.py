"""Questions for the clinician: order, visits, drafting from results, on a real demo vault."""

from __future__ import annotations

import json
from datetime import date

import pytest

from carebook.assistant.questions import DraftQuestion
from carebook.errors import BadInput
from carebook.knowledge import load_catalogue
from carebook.services import questions as qs
from carebook.vault.vault import Vault
from tests.conftest import PASSPHRASE


def _person(vault: Vault, name: str) -> int:
    return vault.profiles.find(name).id


def _texts(vault: Vault, profile_id: int) -> list[str]:
    return [q.values["text"] for q in qs.list_questions(vault, profile_id)]


def _flagged_names(vault: Vault, profile_id: int) -> set[str]:
    """Catalogue names of the results out of their printed range on the latest day that
    has one, worked out here from the stored values and ranges (not by the app's flags)."""
    catalogue = load_catalogue()
    by_day: dict[str, set[str]] = {}
    for result in vault.records.list("lab_result", profile_id):
        values = result.values
        value, low, high = values["value"], values["ref_low"], values["ref_high"]
        out = value is not None and ((low is not None and value < low)
                                     or (high is not None and value > high))
        if out and values.get("analyte"):
            by_day.setdefault(values["collected_at"][:10], set()).add(
                catalogue.get(values["analyte"]).name)
    return by_day[max(by_day)]


def test_questions_list_in_their_order_and_new_ones_go_last(demo_vault):
    dad = _person(demo_vault, "Dad")
    first = _texts(demo_vault, dad)
    # Two open for the next visit, then two asked at a past one.
    assert len(first) == 4 and first[0].startswith("My HbA1c went from")
    stored = qs.save_drafts(demo_vault, dad, [DraftQuestion("Should I see a dietitian?")])
    assert [q.values["text"] for q in stored] == ["Should I see a dietitian?"]
    assert stored[0].values["status"] == "open"
    assert _texts(demo_vault, dad) == [*first, "Should I see a dietitian?"]
    assert qs.next_sort_order(demo_vault, dad) == stored[0].values["sort_order"] + 1


def test_move_reorders_densely_and_persists(demo_vault_dir):
    vault = Vault.unlock(demo_vault_dir, PASSPHRASE)
    dad = _person(vault, "Dad")
    qs.save_drafts(vault, dad, [DraftQuestion("Third question?")])
    hba1c, potassium, kidney, specialist, third = qs.list_questions(vault, dad)
    qs.move(vault, dad, third.id, -1)
    assert [q.id for q in qs.list_questions(vault, dad)] == [
        hba1c.id, potassium.id, kidney.id, third.id, specialist.id]
    qs.move(vault, dad, hba1c.id, 9)  # past the end: it stops at the end
    vault.close()

    vault = Vault.unlock(demo_vault_dir, PASSPHRASE)
    moved = qs.list_questions(vault, dad)
    assert [q.id for q in moved] == [potassium.id, kidney.id, third.id, specialist.id, hba1c.id]
    assert [q.values["sort_order"] for q in moved] == [1, 2, 3, 4, 5]
    vault.close()


def test_move_never_touches_another_persons_list(demo_vault):
    dad, me = _person(demo_vault, "Dad"), _person(demo_vault, "Me")
    before = qs.list_questions(demo_vault, dad)
    mine = qs.save_drafts(demo_vault, me, [DraftQuestion("Is my vitamin D dose right?")])
    qs.move(demo_vault, me, before[1].id, -1)
    assert [q.id for q in qs.list_questions(demo_vault, dad)] == [q.id for q in before]
    with pytest.raises(BadInput):
        qs.move(demo_vault, me, 999_999, 1)
    assert qs.list_questions(demo_vault, me) == mine


def test_attach_and_detach_persist_and_stay_within_one_person(demo_vault):
    dad, lea = _person(demo_vault, "Dad"), _person(demo_vault, "Léa")
    question = qs.list_questions(demo_vault, dad)[0]
    kidney = next(v for v in qs.upcoming_visits(demo_vault, dad)
                  if v.values["specialty"] == "Nephrology")
    qs.attach(demo_vault, [question.id], kidney.id)
    assert demo_vault.records.get("question", question.id).values["visit_id"] == kidney.id
    qs.attach(demo_vault, [question.id], None)
    assert demo_vault.records.get("question", question.id).values["visit_id"] is None
    leas_visit = qs.upcoming_visits(demo_vault, lea)[0]
    with pytest.raises(BadInput):
        qs.attach(demo_vault, [question.id], leas_visit.id)
    assert demo_vault.records.get("question", question.id).values["visit_id"] is None


def test_upcoming_visits_are_planned_ones_soonest_first_then_past_ones(demo_vault):
    dad = _person(demo_vault, "Dad")
    visits = qs.upcoming_visits(demo_vault, dad)
    assert [v.values["clinician"] for v in visits] == ["Dr. Anne Moreau", "Dr. Karim Haddad"]
    assert all(v.values["status"] == "planned" for v in visits)
    later = date.fromisoformat(visits[0].values["starts_at"][:10]).replace(day=28)
    after_first = qs.upcoming_visits(demo_vault, dad, today=later)
    assert after_first[-1].id == visits[0].id  # not yet marked done, so still offered, last
    assert "Dr. Anne Moreau" in qs.visit_label(visits[0])


def test_about_text_reads_drafted_demo_and_hand_typed_about(demo_vault):
    catalogue = load_catalogue()
    dad = _person(demo_vault, "Dad")
    demo_question = qs.list_questions(demo_vault, dad)[0]  # about is a bare LOINC list
    assert qs.about_text(demo_question, catalogue) == "Hemoglobin A1c"
    question = demo_question
    for about, expected in [
        (qs.about_json(DraftQuestion("q", ("13457-7",), ("hba1c", "ldl_cholesterol"))),
         "Hemoglobin A1c, LDL cholesterol"),
        ('{"loinc": ["2823-3"]}', "Potassium"),
        ("my knee", "my knee"),
        ('{"keys": [oops', ""),
        ('{"keys": 5}', ""),
        (None, ""),
    ]:
        question.values["about"] = about
        assert qs.about_text(question, catalogue) == expected, about


def test_drafts_name_the_results_out_of_range(demo_vault):
    for name in ("Dad", "Me", "Léa"):
        person = _person(demo_vault, name)
        drafts = qs.draft_from_records(demo_vault, person)
        flagged = _flagged_names(demo_vault, person)
        assert any(n.casefold() in d.text.casefold() for d in drafts for n in flagged), \
            (name, flagged)
        ids = {r.id for r in demo_vault.records.list("lab_result", person)}
        assert all(set(d.record_ids) <= ids for d in drafts)
        assert all(d.drafted_by == "template" for d in drafts)


def test_saved_drafts_carry_what_they_are_about_and_one_audit_entry(demo_vault):
    dad = _person(demo_vault, "Dad")
    visit = qs.upcoming_visits(demo_vault, dad)[0]
    drafts = qs.draft_from_records(demo_vault, dad)
    stored = qs.save_drafts(demo_vault, dad, drafts[:3], visit_id=visit.id)
    assert [q.values["text"] for q in stored] == [d.text for d in drafts[:3]]
    for question, draft in zip(stored, drafts[:3], strict=True):
        about = json.loads(question.values["about"])
        assert about == {"keys": list(draft.keys), "loinc": [c for c in draft.about if c],
                         "record_ids": list(draft.record_ids), "drafted_by": "template"}
        assert question.values["visit_id"] == visit.id
    entry = demo_vault.audit.entries(limit=1)[0]
    assert entry.action == "questions_drafted"
    assert "3 drafted questions" in entry.summary


def test_drafting_twice_never_duplicates_an_open_question(demo_vault):
    dad = _person(demo_vault, "Dad")
    drafts = qs.draft_from_records(demo_vault, dad)
    assert len(qs.save_drafts(demo_vault, dad, drafts)) == len(drafts)
    total = len(qs.list_questions(demo_vault, dad))
    assert qs.draft_from_records(demo_vault, dad) == []
    reworded = DraftQuestion(drafts[0].text.upper().replace(",", " ").replace("?", "!"))
    assert qs.save_drafts(demo_vault, dad, [*drafts, reworded]) == []
    assert len(qs.list_questions(demo_vault, dad)) == total


def test_an_asked_question_can_be_drafted_again(demo_vault):
    dad = _person(demo_vault, "Dad")
    drafts = qs.draft_from_records(demo_vault, dad)
    first = qs.save_drafts(demo_vault, dad, drafts[:1])[0]
    qs.set_status(demo_vault, [first.id], "asked")
    assert qs.draft_from_records(demo_vault, dad)[0].text == first.values["text"]
    with pytest.raises(BadInput):
        qs.set_status(demo_vault, [first.id], "maybe")
