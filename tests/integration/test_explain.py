"""Explain: facts by code, critical banners, questions, checks on model output, the audit
entry, and the `carebook explain` contract, with the real default model."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from carebook.assistant import explain as explaining
from carebook.assistant.catalogue import default_model
from carebook.assistant.checks import check_output
from carebook.assistant.engine import InferenceEngine
from carebook.assistant.facts import FactWriter, LabValue
from carebook.assistant.prompts import PROMPT_VERSION, instructions_text
from carebook.knowledge import load_catalogue
from carebook.services import activity
from carebook.services import assistant as service
from carebook.services.explain_file import read_results

MODEL = default_model().path()
needs_model = pytest.mark.skipif(not MODEL.is_file(), reason="run `make setup` to fetch it")
CONTRACT_KEYS = {"summary", "items", "questions", "critical", "model", "checks", "timing"}


def _value(name, value, unit, low, high, flag=None, loinc=None, day="2026-03-03", page=1,
           record_id=None):
    return LabValue(name=name, value=value, value_text=f"{value:g}", unit=unit, ref_low=low,
                    ref_high=high, ref_text=None, flag=flag, collected_at=day, loinc=loinc,
                    page=page, record_id=record_id)


HBA1C = _value("HbA1c", 6.4, "%", 4.0, 5.6, "H", "4548-4")
LDL = _value("LDL Cholesterol", 162, "mg/dL", None, 100, "H", "2089-1")
TSH = _value("TSH", 2.1, "mIU/L", 0.4, 4.0, "N", "3016-3")
POTASSIUM = _value("Potassium", 6.9, "mmol/L", 3.5, 5.1, "H", "2823-3", page=2)


@pytest.fixture(scope="module")
def writer():
    return FactWriter(load_catalogue())


@pytest.fixture(scope="module")
def explanation(writer):
    return explaining.prepare(writer, [HBA1C, LDL, TSH, POTASSIUM],
                              medications=["Metformin"], conditions=["prediabetes"])


def test_facts_give_each_value_range_flag_and_meaning(explanation):
    text = explanation.grounding.text
    assert "Hemoglobin A1c: 6.4%" in text
    assert "The range printed on the report is 4 to 5.6" in text
    assert "Hemoglobin A1c is above the range, so it is flagged high." in text
    assert "average blood sugar" in text  # the catalogue's "what it measures"
    assert "TSH (thyroid-stimulating hormone) is inside the range." in text
    flagged = [s.name for s in explanation.grounding.abnormal]
    assert sorted(flagged) == ["Hemoglobin A1c", "LDL cholesterol", "Potassium"]


def test_every_item_cites_the_report_page_and_the_catalogue(explanation):
    potassium = next(i for i in explanation.items if i["loinc"] == "2823-3")
    kinds = {c["kind"] for c in potassium["citations"]}
    assert kinds == {"report", "catalogue"}
    assert any(c["ref"].endswith("#page=2") for c in potassium["citations"])


def test_a_critical_value_gets_the_fixed_banner_and_a_normal_one_does_not(explanation):
    assert [c.loinc for c in explanation.critical] == ["2823-3"]
    assert [s.name for s in explanation.grounding.subjects if s.critical] == ["Potassium"]
    message = explanation.critical[0].message
    assert "Contact a clinician now" in message and "emergency services" in message
    assert "6.9 mmol/L" in message


def test_critical_limits_are_compared_in_the_limits_unit(writer):
    # 700 mg/dL of glucose is past the catalogue's 400 mg/dL; 7 mmol/L (126 mg/dL) is not.
    high = _value("Glucose", 700, "mg/dL", 70, 99, "H")
    converted = _value("Glucose", 7.0, "mmol/L", 3.9, 5.5, "H")
    assert writer.critical_message(high) is not None
    assert writer.critical_message(converted) is None


def test_questions_come_from_abnormal_results_medicines_and_conditions(explanation):
    texts = [q.text for q in explanation.questions]
    assert texts[0].startswith("My potassium result was 6.9 mmol/L, at a critical level")
    assert any("hemoglobin A1c result was 6.4 %" in t for t in texts)
    assert any("Metformin" in t for t in texts)
    assert any("prediabetes" in t for t in texts)
    assert not any("TSH" in t for t in texts)  # normal results get no question
    about = {code for q in explanation.questions for code in q.as_json()["about"]}
    assert about == {"4548-4", "2089-1", "2823-3"}


def test_a_steady_rise_over_three_results_becomes_a_question(writer):
    series = [_value("HbA1c", v, "%", 4.0, 5.6, "H", "4548-4", day=d)
              for v, d in ((5.9, "2024-03-01"), (6.1, "2025-03-01"), (6.4, "2026-03-03"))]
    prepared = explaining.prepare(writer, [HBA1C], history={"hba1c": series})
    about_hba1c = [q.text for q in prepared.questions if "hemoglobin A1c" in q.text]
    assert about_hba1c == ["My last three hemoglobin A1c results went up each time "
                           "(5.9, 6.1, 6.4 %), and the last is above the range. What does "
                           "this trend mean for me?"]  # one question, not two
    assert "has risen at each of the last 3 results" in prepared.grounding.text


def test_a_steady_move_inside_the_range_is_not_a_question(writer):
    series = [_value("LDL", v, "mg/dL", None, 100, "N", "2089-1", day=d)
              for v, d in ((96, "2024-03-01"), (88, "2025-03-01"), (84, "2026-03-03"))]
    prepared = explaining.prepare(writer, [series[-1]], history={"ldl_cholesterol": series})
    assert prepared.questions == []


@pytest.mark.parametrize(("output", "failing"), [
    ("Your HbA1c is 6.8%, which is above the range. Your LDL cholesterol is 162 mg/dL and "
     "high. Your potassium is 6.9 mmol/L and high.", "numbers_grounded"),
    ("Your HbA1c is 6.4%, above the range. Take 500 mg of metformin twice daily. Your LDL "
     "cholesterol is 162 mg/dL. Your potassium is 6.9 mmol/L.", "forbidden_claims"),
    ("Your HbA1c is 6.4%, above the range. Your LDL cholesterol is 162 mg/dL, above the "
     "range.", "abnormal_covered"),
    ("Your HbA1c is 6.4%. This means you have diabetes. Your LDL cholesterol is 162 mg/dL. "
     "Your potassium is 6.9 mmol/L.", "forbidden_claims"),
    ("High blood sugar levels can be a sign of a problem, but it's also a normal part of "
     "life.", "names_abnormal_values"),
])
def test_crafted_model_outputs_are_caught(explanation, output, failing):
    report = check_output(output, explanation.grounding, strict=True,
                          instructions=instructions_text())
    assert not report.passed
    assert failing in {r.name for r in report.failures}


def test_an_echo_of_the_instructions_is_not_an_answer(writer):
    # Seen with the default model on Ask: it handed back the task, which named no number
    # and no flagged result, so every other check passed.
    normal_only = explaining.prepare(writer, [TSH]).grounding
    echo = ("The patient asked: Has my thyroid changed?\n\nAnswer in two or three short "
            "sentences using only these facts from their records. Keep every number and "
            "date exactly.")
    report = check_output(echo, normal_only, strict=True, instructions=instructions_text())
    assert [r.name for r in report.failures] == ["on_topic"]
    answer = "Your TSH is 2.1 mIU/L. That is inside the range."
    assert check_output(answer, normal_only, strict=True,
                        instructions=instructions_text()).passed


def test_a_faithful_rewrite_passes(explanation):
    output = ("Your HbA1c is 6.4%. That is above the range of 4 to 5.6%. "
              "Your LDL cholesterol is 162 mg/dL, which is also high. "
              "Your potassium is 6.9 mmol/L. It is above its range too. "
              "Your TSH is 2.1 mIU/L, inside the range.")
    report = check_output(output, explanation.grounding, strict=True,
                          instructions=instructions_text())
    assert report.passed, [r.detail for r in report.failures]


@needs_model
def test_the_real_model_output_is_checked_and_bounded(writer):
    prepared = explaining.prepare(writer, [HBA1C, TSH])
    streamed: list[str] = []
    engine = InferenceEngine(MODEL)
    try:
        explaining.run_model(prepared, engine, max_tokens=40, on_text=streamed.append)
    finally:
        engine.close()
    assert prepared.generation.tokens <= 40
    assert "".join(streamed).strip() == prepared.model_text
    assert prepared.report is not None
    assert prepared.rewrite_shown == prepared.report.passed
    if not prepared.rewrite_shown:
        assert prepared.failed_checks()  # the panel says which check failed


@needs_model
def test_an_ai_run_is_audited_with_model_prompt_records_and_checks(demo_vault):
    profile = demo_vault.profiles.list()[0]
    labs = demo_vault.records.list("lab_result", profile.id)
    day = labs[0].values["collected_at"]
    ids = service.report_record_ids(demo_vault, profile.id, day)[:3]  # a short prompt: fast
    prepared = service.prepare_explanation(demo_vault, profile.id, ids)
    session = service.AssistantSession()
    model = service.ModelIdentity("SmolLM2", MODEL.name, default_model().sha256)
    try:
        service.generate(session, prepared, MODEL, model, max_tokens=24)
    finally:
        session.close()
    service.record_run(demo_vault, profile.id, "explain", prepared, model)
    entry = demo_vault.audit.entries(limit=1)[0]
    assert entry.action == "ai_run" and entry.profile_id == profile.id
    detail = entry.detail
    assert detail["model_file"] == MODEL.name
    assert detail["model_sha256"] == default_model().sha256
    assert detail["prompt_version"] == PROMPT_VERSION
    assert sorted(detail["record_ids"]) == sorted(ids)
    assert detail["output"] == prepared.model_text
    assert detail["prompt"] == prepared.prompt_text
    assert set(detail["checks"]) >= {"numbers_grounded", "abnormal_covered",
                                     "forbidden_claims", "reading_grade"}
    shown = activity.describe_entry(entry)  # the Activity view's Details
    assert prepared.prompt_text in shown and default_model().sha256 in shown
    assert "Every number is in the records: " in shown
    exported = demo_vault.folder.parent / "activity.csv"
    activity.export_activity_csv(demo_vault, exported)
    with exported.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ai_row = next(r for r in rows if r["action"] == "Assistant run")
    assert json.loads(ai_row["detail_json"].lstrip("'"))["prompt"] == prepared.prompt_text


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "carebook", "explain", *args],
                          capture_output=True, text=True, timeout=300, check=False)


def _results_file(tmp_path: Path) -> Path:
    rows = [{"loinc": v.loinc, "analyte": None, "name": v.name, "value": v.value,
             "value_text": v.value_text, "unit": v.unit, "ref_low": v.ref_low,
             "ref_high": v.ref_high, "ref_text": None, "flag": v.flag, "page": v.page,
             "confidence": 0.95} for v in (HBA1C, TSH, POTASSIUM)]
    path = tmp_path / "results.json"
    path.write_text(json.dumps({"source": {"sha256": "ab" * 32, "pages": 2, "producer": "t"},
                                "collected_at": "2026-03-03", "results": rows}))
    return path


@needs_model
def test_cli_prints_exactly_the_contract(tmp_path):
    done = _cli("--results", str(_results_file(tmp_path)), "--json", "--max-tokens", "24")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == CONTRACT_KEYS
    assert set(data["checks"]) == {"numbers_grounded", "abnormal_covered", "forbidden_claims",
                                   "reading_grade"}
    assert set(data["timing"]) == {"load_s", "ttft_s", "tokens", "tokens_per_s"}
    assert data["timing"]["tokens"] <= 24
    assert data["model"] == {"name": "SmolLM2-135M-Instruct (Q4_1)", "file": MODEL.name,
                             "sha256": default_model().sha256}
    assert [c["loinc"] for c in data["critical"]] == ["2823-3"]
    assert all(set(i) == {"loinc", "text", "citations"} for i in data["items"])
    assert all(set(q) == {"text", "about"} for q in data["questions"])
    assert read_results(_results_file(tmp_path))[0].report_ref == "ab" * 8


ROW = ('{"name": "HbA1c", "value": 6.4, "unit": "%%", "ref_low": 4, "ref_high": 5.6, '
       '"flag": "H", "page": 1, %s}')


@pytest.mark.parametrize("content", [
    b"", b"not json", b'{"results": 3}', b"[1, 2]", b'{"results": [1]}',
    b'{"collected_at": 20260303, "results": []}',
    b'{"collected_at": "yesterday", "results": []}',
    *[('{"results": [%s]}' % (ROW % extra)).encode() for extra in (
        '"loinc": {"code": 1}', '"loinc": 123', '"value_text": ["6.4"]', '"ref_low": NaN',
        '"ref_high": 1e400', '"value": "6.4"', '"value": true', '"page": 0',
        '"page": "1"', '"x": 1, "flag": "Z"')],
    json.dumps({"results": [{"name": "Na", "value": 140}] * 1001}).encode(),
])
def test_cli_refuses_a_file_that_is_not_parse_output(tmp_path, content):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    done = _cli("--results", str(bad), "--json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.startswith("carebook: ") and "bad.json" in done.stderr


def test_cli_with_no_results_does_not_start_the_model(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text('{"collected_at": null, "results": []}')
    done = _cli("--results", str(empty), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["summary"] == "No results to explain." and data["items"] == []
    assert data["timing"] == {"load_s": 0.0, "ttft_s": 0.0, "tokens": 0, "tokens_per_s": 0.0}


@pytest.mark.parametrize("model_bytes", [b"PK\x03\x04 not a model", b"GGUF\x03\x00"])
def test_cli_refuses_a_bad_model_file_cleanly(tmp_path, model_bytes):
    model = tmp_path / "bad.gguf"
    model.write_bytes(model_bytes)
    done = _cli("--results", str(_results_file(tmp_path)), "--model", str(model), "--json")
    assert done.returncode == 2
    assert "bad.gguf" in done.stderr and "Traceback" not in done.stderr


@needs_model
def test_cli_refuses_a_truncated_copy_of_the_real_model(tmp_path):
    truncated = tmp_path / "half.gguf"
    with MODEL.open("rb") as source:
        truncated.write_bytes(source.read(MODEL.stat().st_size // 2))
    done = _cli("--results", str(_results_file(tmp_path)), "--model", str(truncated))
    assert done.returncode == 2
    assert "incomplete" in done.stderr and "Traceback" not in done.stderr


def test_only_current_medicines_are_named_in_questions(demo_vault):
    from datetime import date

    today = date.today().isoformat()
    for profile in demo_vault.profiles.list():
        medicines = demo_vault.records.list("medication", profile.id)
        labs = demo_vault.records.list("lab_result", profile.id)
        flagged = [r.id for r in labs if r.values.get("flag") in ("H", "L")]
        if not medicines or not flagged:
            continue
        prepared = service.prepare_explanation(demo_vault, profile.id, flagged[:3])
        asked = " ".join(q.text for q in prepared.questions if "medicines" in q.text)
        for medicine in medicines:
            stopped = (medicine.values.get("stop_date") or "9999") <= today
            assert (medicine.values["name"] in asked) != stopped, medicine.values


def test_a_long_report_is_cut_to_fit_the_context_keeping_every_abnormal_result(writer):
    from carebook.assistant.prompts import MAX_FACTS_CHARS

    normal = [_value(name, 5.0, "mmol/L", 1.0, 9.0, "N") for name in
              ("Sodium", "Chloride", "Bicarbonate", "Urea", "Calcium", "Phosphate",
               "Magnesium", "Albumin", "Total protein", "Uric acid")] * 4
    values = [*normal, HBA1C, LDL, POTASSIUM]
    prepared = explaining.prepare(writer, values)
    prompt = prepared.messages[-1]["content"]
    assert len(prepared.grounding.text) > MAX_FACTS_CHARS  # long enough to need a cut
    assert len(prompt) < MAX_FACTS_CHARS + 600
    for name in ("Hemoglobin A1c: 6.4%", "LDL cholesterol: 162 mg/dL", "Potassium: 6.9"):
        assert name in prompt
