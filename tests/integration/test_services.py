"""The use cases the GUI and CLI share: overview, people, records, documents, activity, demo."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from carebook.domain.flags import effective_flag
from carebook.domain.records import Provenance, Record
from carebook.errors import BadInput, ValidationError
from carebook.services import activity, documents, overview, profiles, records
from carebook.services.demo import create_demo_family
from carebook.vault.document_store import DocumentInUse
from carebook.vault.profile_store import DuplicateProfile, ProfileNotFound
from carebook.vault.record_store import RecordNotFound

TODAY = date(2026, 3, 14)


def _latest_audit(vault):
    return vault.audit.entries(limit=1)[0]


# --- overview --------------------------------------------------------------------------------

@pytest.fixture
def family(vault):
    """The demo family written as of TODAY, by name."""
    create_demo_family(vault, today=TODAY)
    return {p.name: p for p in vault.profiles.list()}


def test_overview_lists_dads_out_of_range_results(vault, family):
    """Dad's latest HbA1c is flagged high and his latest eGFR low (an only-low range)."""
    view = overview.build_overview(vault, family["Dad"].id, today=TODAY)
    flags = {r.values["loinc"]: effective_flag(r.values) for r in view.out_of_range}
    assert flags["4548-4"] == "H"  # HbA1c 7.6 %, range 4.0–5.6
    assert flags["98979-8"] == "L"  # eGFR 51, range > 60
    assert "2951-2" not in flags  # sodium is in range
    assert all(r.values["collected_at"] == "2026-02-24" for r in view.out_of_range)  # latest only
    assert view.latest_results_date == "2026-02-24"


def test_overview_excludes_stopped_medications(vault, family):
    """Amlodipine, stopped long ago, is not a current medication; the other three are."""
    view = overview.build_overview(vault, family["Dad"].id, today=TODAY)
    assert sorted(m.values["name"] for m in view.current_medications) == [
        "Atorvastatin", "Metformin", "Ramipril"]


def test_overview_next_visit_is_the_planned_one_in_three_days(vault, family):
    """The next visit is the nearest planned one, not a past or a later one."""
    view = overview.build_overview(vault, family["Dad"].id, today=TODAY)
    assert view.next_visit.values["starts_at"] == "2026-03-17T10:30"
    assert view.next_visit.values["status"] == "planned"


def test_overview_allergies_and_active_conditions(vault, family):
    """Allergies are all listed; only active conditions are."""
    view = overview.build_overview(vault, family["Me"].id, today=TODAY)
    assert [a.values["substance"] for a in view.allergies] == ["Latex"]
    assert [c.values["name"] for c in view.active_conditions] == ["Subclinical hypothyroidism"]


def test_overview_uses_the_latest_result_of_each_test(vault):
    """An old high result followed by a normal one is not out of range any more."""
    person = profiles.add_profile(vault, "Test person")
    for day, value in (("2025-01-01", "8.0"), ("2026-01-01", "5.0")):
        records.add_record(vault, "lab_result", person.id, {
            "collected_at": day, "name": "HbA1c", "loinc": "4548-4", "value": value,
            "ref_low": "4", "ref_high": "5.6"})
    assert overview.build_overview(vault, person.id, today=TODAY).out_of_range == []


def test_overview_of_an_empty_profile(vault):
    """A new person has an empty overview, not an error."""
    person = profiles.add_profile(vault, "Newborn")
    view = overview.build_overview(vault, person.id, today=TODAY)
    assert (view.out_of_range, view.current_medications, view.next_visit,
            view.latest_results_date) == ([], [], None, None)


# --- profiles --------------------------------------------------------------------------------

def test_add_and_rename_profile(vault):
    """Names are tidied; renaming keeps the id and is audited."""
    dad = profiles.add_profile(vault, "  Dad  ", full_name="Henri Martin")
    assert (dad.name, dad.full_name) == ("Dad", "Henri Martin")
    assert _latest_audit(vault).action == "profile_added"
    renamed = profiles.rename_profile(vault, dad.id, "Papa")
    assert (renamed.id, renamed.name) == (dad.id, "Papa")
    entry = _latest_audit(vault)
    assert (entry.action, entry.profile_id) == ("profile_renamed", dad.id)
    assert "Dad" in entry.summary and "Papa" in entry.summary


def test_duplicate_names_are_refused_case_insensitively(vault):
    """Adding or renaming to a name already used (any case) raises DuplicateProfile."""
    profiles.add_profile(vault, "Dad")
    mum = profiles.add_profile(vault, "Mum")
    for name in ("Dad", "dad", "DAD"):
        with pytest.raises(DuplicateProfile):
            profiles.add_profile(vault, name)
        with pytest.raises(DuplicateProfile):
            profiles.rename_profile(vault, mum.id, name)
    assert [p.name for p in profiles.list_profiles(vault)] == ["Dad", "Mum"]
    assert vault.profiles.find("dad").name == "Dad"


def test_delete_profile_cascades_and_is_audited(vault):
    """Deleting a person removes their records and documents, counts them, and logs the counts."""
    keep = profiles.add_profile(vault, "Keep")
    records.add_record(vault, "medication", keep.id, {"name": "Kept med"})
    gone = profiles.add_profile(vault, "Gone")
    doc = vault.documents.add(gone.id, title="Report", filename="r.pdf",
                              media_type="application/pdf", content=b"%PDF-1.7 synthetic")
    vault.records.add(Record("lab_result", gone.id, {
        "collected_at": "2026-03-01", "name": "HbA1c", "value": 7.6, "flag": "H"},
        provenance=Provenance("pdf", doc.id, 1, True)))
    for name in ("Metformin", "Ramipril"):
        records.add_record(vault, "medication", gone.id, {"name": name})
    assert profiles.profile_record_total(vault, gone.id) == 4

    counts = profiles.delete_profile(vault, gone.id)

    assert {k: v for k, v in counts.items() if v} == {"medication": 2, "lab_result": 1,
                                                      "document": 1}
    with pytest.raises(ProfileNotFound):
        vault.profiles.get(gone.id)
    for table in ("medications", "lab_results", "documents"):
        assert vault.db.query_one(f"SELECT count(*) FROM {table} WHERE profile_id = ?",
                                  (gone.id,))[0] == 0
    assert [m.values["name"] for m in records.list_records(vault, "medication", keep.id)] == [
        "Kept med"]
    entry = _latest_audit(vault)
    assert (entry.action, entry.profile_id, entry.detail) == ("profile_deleted", gone.id, counts)
    assert "4 records" in entry.summary


# --- records ---------------------------------------------------------------------------------

def test_record_add_update_delete_restore_keep_the_id(vault):
    """A record keeps its id through edit, delete and undo; each step writes its audit entry."""
    person = profiles.add_profile(vault, "Dad")
    added = records.add_record(vault, "medication", person.id,
                               {"name": "Metformin", "dose": "500 mg"})
    assert added.provenance == Provenance("manual", None, None, True)
    later = records.add_record(vault, "medication", person.id, {"name": "Ramipril"})
    assert later.id > added.id  # so a re-insert under a fresh id would be told apart

    changed = records.update_record(vault, added, {"name": "Metformin", "dose": "1000 mg"})
    assert (changed.id, changed.values["dose"]) == (added.id, "1000 mg")
    assert changed.created_at == added.created_at

    gone = records.delete_record(vault, changed)
    assert [m.id for m in records.list_records(vault, "medication", person.id)] == [later.id]
    with pytest.raises(RecordNotFound):
        vault.records.get("medication", added.id)

    back = records.restore_record(vault, gone)
    assert (back.id, back.values, back.created_at) == (added.id, changed.values,
                                                       added.created_at)

    trail = [(e.action, e.record_type, e.record_id, e.profile_id)
             for e in reversed(vault.audit.entries())
             if e.record_type == "medication" and e.record_id == added.id]
    assert trail == [(action, "medication", added.id, person.id) for action in
                     ("record_added", "record_changed", "record_deleted", "record_restored")]


def test_restore_keeps_the_original_creation_time(vault):
    """Undoing a deletion puts back the record's created_at, not the time of the undo."""
    person = profiles.add_profile(vault, "Dad")
    old = vault.records.add(Record("note", person.id, {"body": "Started walking daily."},
                                   created_at="2020-01-02T03:04:05Z"))
    back = records.restore_record(vault, records.delete_record(vault, old))
    assert (back.id, back.created_at) == (old.id, "2020-01-02T03:04:05Z")
    assert back.provenance == old.provenance


def test_update_with_invalid_values_changes_nothing(vault):
    """A failed validation leaves the stored record and the audit log as they were."""
    person = profiles.add_profile(vault, "Dad")
    added = records.add_record(vault, "medication", person.id, {"name": "Metformin"})
    audit_count = vault.audit.count()
    with pytest.raises(ValidationError):
        records.update_record(vault, added, {"name": ""})
    assert vault.records.get("medication", added.id).values["name"] == "Metformin"
    assert vault.audit.count() == audit_count


def test_updating_a_deleted_record_is_refused(vault):
    """Saving an edit to a record deleted meanwhile raises RecordNotFound and adds nothing."""
    person = profiles.add_profile(vault, "Dad")
    added = records.add_record(vault, "medication", person.id, {"name": "Metformin"})
    records.delete_record(vault, added)
    with pytest.raises(RecordNotFound):
        records.update_record(vault, added, {"name": "Metformin XR"})
    assert records.list_records(vault, "medication", person.id) == []


# --- documents -------------------------------------------------------------------------------

def test_documents_add_detect_duplicate_save_copy_and_delete(vault, tmp_path):
    """Add a file, refuse the same bytes again for that person, save a copy, then delete it."""
    person = profiles.add_profile(vault, "Dad")
    other = profiles.add_profile(vault, "Mum")
    source = tmp_path / "Blood test March.pdf"
    content = b"%PDF-1.7\n% synthetic lab report\n"
    source.write_bytes(content)

    info = documents.add_document_file(vault, person.id, source)
    assert (info.title, info.filename, info.media_type, info.size) == (
        "Blood test March", "Blood test March.pdf", "application/pdf", len(content))
    assert _latest_audit(vault).action == "document_added"

    renamed_copy = tmp_path / "copy.pdf"
    renamed_copy.write_bytes(content)
    with pytest.raises(documents.DuplicateDocument) as caught:
        documents.add_document_file(vault, person.id, renamed_copy)
    assert caught.value.existing.id == info.id
    assert documents.add_document_file(vault, other.id, renamed_copy).id != info.id

    destination = tmp_path / "exported" / "saved.pdf"
    destination.parent.mkdir()
    documents.save_document_copy(vault, info.id, destination)
    assert destination.read_bytes() == content
    assert destination.stat().st_mode & 0o777 == 0o600
    entry = _latest_audit(vault)
    assert (entry.action, entry.record_id) == ("document_exported", info.id)

    documents.delete_document(vault, info.id)
    assert documents.list_documents(vault, person.id) == []
    assert _latest_audit(vault).action == "document_deleted"


def test_unreadable_document_file_is_bad_input(vault, tmp_path):
    """A missing file gives a plain BadInput, not an OSError."""
    person = profiles.add_profile(vault, "Dad")
    with pytest.raises(BadInput):
        documents.add_document_file(vault, person.id, tmp_path / "missing.pdf")


def test_document_still_used_by_results_cannot_be_deleted(vault):
    """While a result points at a document, deleting it is refused; after, it is allowed."""
    person = profiles.add_profile(vault, "Dad")
    doc = vault.documents.add(person.id, title="Report", filename="r.pdf",
                              media_type="application/pdf", content=b"%PDF synthetic")
    result = vault.records.add(Record("lab_result", person.id, {
        "collected_at": "2026-03-01", "name": "HbA1c", "value": 7.6, "flag": "H"},
        provenance=Provenance("pdf", doc.id, 2, True)))
    with pytest.raises(DocumentInUse) as caught:
        documents.delete_document(vault, doc.id)
    assert caught.value.exit_code == 2
    assert "1 result" in caught.value.message
    assert [d.id for d in documents.list_documents(vault, person.id)] == [doc.id]

    records.delete_record(vault, result)
    documents.delete_document(vault, doc.id)
    assert documents.list_documents(vault, person.id) == []


# --- activity --------------------------------------------------------------------------------

def test_activity_csv_export_is_complete_and_audited(vault, tmp_path):
    """The CSV holds every entry with readable action names; the export itself is logged."""
    person = profiles.add_profile(vault, "Dad")
    records.add_record(vault, "medication", person.id, {"name": "Metformin"})
    entries = activity.list_activity(vault)
    destination = tmp_path / "activity.csv"

    written = activity.export_activity_csv(vault, destination)

    assert written == len(entries)
    with destination.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["time_utc", "action", "summary", "record_type", "record_id",
                       "profile_id", "detail_json"]
    assert [row[1] for row in rows[1:]] == [activity.action_label(e.action) for e in entries]
    assert "Record added" in [row[1] for row in rows[1:]]
    entry = _latest_audit(vault)
    assert (entry.action, entry.summary) == ("audit_exported",
                                             f"Activity log exported ({written} entries)")


def test_activity_export_to_an_unwritable_place_is_bad_input(vault, tmp_path):
    """Saving into a folder that does not exist is a plain BadInput, and nothing is audited."""
    count = vault.audit.count()
    with pytest.raises(BadInput):
        activity.export_activity_csv(vault, tmp_path / "no" / "such" / "activity.csv")
    assert vault.audit.count() == count


def test_unknown_action_gets_a_readable_label():
    """Actions without a label read as words."""
    assert activity.action_label("model_ran") == "Model ran"
    assert activity.action_label("record_restored") == "Deletion undone"


# --- demo ------------------------------------------------------------------------------------

def test_demo_family_is_complete_and_marked_synthetic(vault):
    """Three people with their records, all marked as demo data, in one audited step."""
    created = create_demo_family(vault, today=TODAY)
    assert [p.name for p in created] == ["Me", "Dad", "Léa"]
    counts = vault.counts()
    assert counts["lab_result"] > 100
    assert counts["question"] == 4 and counts["follow_up"] == 6
    dad = created[1]
    assert dad.blood_type == "O-" and "Claire Martin (daughter)" in dad.emergency_contacts
    assert {r.provenance.source_kind for r in vault.records.list("lab_result", dad.id)} == {
        "demo"}
    questions = vault.records.list("question", dad.id)
    visit = overview.build_overview(vault, dad.id, today=TODAY).next_visit
    open_ones = [q for q in questions if q.values["status"] == "open"]
    assert len(open_ones) == 2 and {q.values["visit_id"] for q in open_ones} == {visit.id}
    asked = [q for q in questions if q.values["status"] == "asked"]
    assert all(q.values["answer"] and q.values["visit_id"] != visit.id for q in asked)
    assert _latest_audit(vault).action == "demo_created"


def test_demo_created_twice_suffixes_the_names(vault):
    """A second demo family does not clash: its names end in " (demo)"."""
    create_demo_family(vault, today=TODAY)
    again = create_demo_family(vault, today=TODAY)
    assert [p.name for p in again] == ["Me (demo)", "Dad (demo)", "Léa (demo)"]
    assert len(profiles.list_profiles(vault)) == 6


def test_demo_keeps_working_after_the_names_are_taken_twice(vault):
    """A third demo family still finds free names instead of failing."""
    for _ in range(3):
        create_demo_family(vault, today=TODAY)
    names = [p.name for p in profiles.list_profiles(vault)]
    assert names[6:] == ["Me (demo 2)", "Dad (demo 2)", "Léa (demo 2)"]


def test_demo_takes_an_existing_name_into_account(vault):
    """A person already called "dad" (any case) makes the demo's Dad "Dad (demo)"."""
    profiles.add_profile(vault, "dad")
    created = create_demo_family(vault, today=TODAY)
    assert [p.name for p in created] == ["Me", "Dad (demo)", "Léa"]


def test_profile_names_clash_beyond_ascii_case(vault):
    """"LÉA" is refused when "Léa" exists (SQLite's NOCASE alone would allow it)."""
    from carebook.services.profiles import add_profile, rename_profile
    from carebook.vault.profile_store import DuplicateProfile

    add_profile(vault, "Léa")
    other = add_profile(vault, "Dad")
    with pytest.raises(DuplicateProfile):
        add_profile(vault, "LÉA")
    with pytest.raises(DuplicateProfile):
        rename_profile(vault, other.id, "lÉa")
    assert [p.name for p in vault.profiles.list()] == ["Léa", "Dad"]


def test_activity_csv_neutralises_formula_cells(vault, tmp_path):
    """A summary that starts like a formula is written as text in the CSV export."""
    from carebook.services.activity import export_activity_csv
    from carebook.services.profiles import add_profile

    add_profile(vault, "=HYPERLINK(1)")
    target = tmp_path / "activity.csv"
    export_activity_csv(vault, target)
    text = target.read_text(encoding="utf-8")
    assert "Person added: =HYPERLINK(1)" in text  # mid-cell: harmless, kept as is
    vault.audit.write("record_added", "=cmd|' /C calc'!A0")
    export_activity_csv(vault, target)
    assert "'=cmd|" in target.read_text(encoding="utf-8")


def test_lab_trend_matches_the_full_history(demo_vault):
    """The light trend read returns the same results, in date order, as the full records."""
    dad = demo_vault.profiles.find("Dad")
    trend = demo_vault.records.lab_trend(dad.id, "hba1c")
    full = demo_vault.records.lab_history(dad.id, "hba1c")
    assert [p.record_id for p in trend] == [r.id for r in full]
    assert [p.value for p in trend] == [6.4, 6.5, 6.7, 6.6, 6.9, 7.0, 7.2, 7.3, 7.6]
    assert [p.collected_at for p in trend] == sorted(p.collected_at for p in trend)
    assert trend[-1].flag == "H" and trend[-1].unit == "%"


def test_a_result_typed_by_hand_joins_the_catalogues_trend(vault):
    me = profiles.add_profile(vault, "Me")
    typed = records.add_record(vault, "lab_result", me.id, {
        "collected_at": "2026-05-02", "name": "Hemoglobin A1c", "value": "6.1", "unit": "%"})
    assert (typed.values["analyte"], typed.values["loinc"]) == ("hba1c", "4548-4")
    boxed = records.add_record(vault, "lab_result", me.id, {
        "collected_at": "2026-08-02", "name": "A1c", "analyte": "HbA1c", "value": "6.3"})
    assert boxed.values["analyte"] == "hba1c"
    unknown = records.add_record(vault, "lab_result", me.id, {
        "collected_at": "2026-08-02", "name": "Zonulin", "value": "40"})
    assert unknown.values["analyte"] is None
    assert [p.value for p in vault.records.lab_trend(me.id, "hba1c")] == [6.1, 6.3]
