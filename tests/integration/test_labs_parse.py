"""`carebook labs parse` on generated reports of many layouts, and on files it must refuse.

Every generated layout is parsed by the real isolated child and scored against its truth;
the broken files (scan, encrypted, not a PDF, truncated) give exit 2 and a plain message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carebook import labs
from carebook.labs.errors import EncryptedPdf, ReportTooLarge, ScannedPdf, UnreadableReport
from carebook.labs.isolation import parse_isolated
from tests.integration.test_cli import carebook
from tests.lab_fixtures import hostile
from tests.lab_fixtures.build import LAYOUTS
from tests.lab_fixtures.scoring import combine, score_report

CONTRACT_RESULT_KEYS = {"loinc", "analyte", "name", "value", "value_text", "unit", "ref_low",
                        "ref_high", "ref_text", "flag", "page", "confidence"}


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    folder = tmp_path_factory.mktemp("layouts")
    built = {}
    for name, make in LAYOUTS.items():
        data, truth = make()
        path = folder / f"{name}.pdf"
        path.write_bytes(data)
        built[name] = (path, truth)
    return built


@pytest.fixture(scope="module")
def parsed(layouts) -> dict[str, dict]:
    return {name: labs.parse_pdf_file(path) for name, (path, _truth) in layouts.items()}


def test_every_layout_is_read_as_its_truth_says(layouts, parsed):
    scores = {name: score_report(parsed[name], truth) for name, (_p, truth) in layouts.items()}
    summary = combine(scores.values())
    failing = {name: (s.misses, s.false_positives) for name, s in scores.items()
               if s.f1 < 1.0}
    assert summary["f1"] >= 0.98, failing
    assert summary["range_accuracy"] >= 0.97
    assert summary["flag_accuracy"] >= 0.97
    assert summary["unit_accuracy"] >= 0.95


BLIND = Path(__file__).resolve().parent.parent / "data" / "blind_layouts"


def test_layouts_written_without_seeing_the_parser_stay_read_right():
    """72 reports from eight blind rounds (see tests/data/blind_layouts/SOURCE.md)."""
    scores = []
    for pdf in sorted(BLIND.glob("*.pdf")):
        truth = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
        scores.append(score_report(labs.parse_pdf_file(pdf), truth))
    summary = combine(scores)
    assert summary["reports"] >= 72
    worst = sorted((s.f1, s.misses, s.false_positives) for s in scores)[:3]
    assert summary["f1"] >= 0.98, worst
    assert summary["range_accuracy"] >= 0.97
    assert summary["flag_accuracy"] >= 0.97
    assert summary["date_accuracy"] >= 0.95  # an OCR layer's "3  Oct 2025" still escapes


def test_collected_dates_are_found_among_the_other_dates(layouts, parsed):
    wrong = {name: (parsed[name]["collected_at"], truth["collected_at"])
             for name, (_p, truth) in layouts.items()
             if parsed[name]["collected_at"] != truth["collected_at"]}
    assert not wrong


def test_the_cli_prints_exactly_the_contract(layouts):
    path, _truth = next(iter(layouts.values()))
    result = carebook("labs", "parse", path, "--json")
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert set(output) == {"source", "collected_at", "results"}
    assert set(output["source"]) == {"sha256", "pages", "producer"}
    assert output["results"] and all(set(row) == CONTRACT_RESULT_KEYS
                                     for row in output["results"])
    assert all(row["flag"] in ("H", "L", "N", "A", None) for row in output["results"])
    assert all(0 <= row["confidence"] <= 1 for row in output["results"])


@pytest.mark.parametrize(("make", "words"), [
    (hostile.scanned_pdf, "scanned image"),
    (lambda: hostile.encrypted_pdf("s3cret"), "password"),
    (hostile.not_a_pdf, "not a PDF"),
    (hostile.truncated_pdf, "damaged or incomplete"),
])
def test_files_it_cannot_read_exit_2_with_a_plain_message(tmp_path, make, words):
    path = tmp_path / "report.pdf"
    path.write_bytes(make())
    result = carebook("labs", "parse", path, "--json")
    assert result.returncode == 2
    assert words in result.stderr
    assert result.stdout == ""


def test_a_missing_file_is_bad_input(tmp_path):
    result = carebook("labs", "parse", tmp_path / "nowhere.pdf")
    assert result.returncode == 2
    assert "no file" in result.stderr


def test_an_encrypted_pdf_opens_with_its_password():
    data = hostile.encrypted_pdf("s3cret")
    with pytest.raises(EncryptedPdf) as first:
        labs.parse_pdf_bytes(data)
    assert not first.value.wrong_password
    with pytest.raises(EncryptedPdf) as wrong:
        labs.parse_pdf_bytes(data, "guess")
    assert wrong.value.wrong_password
    assert labs.parse_pdf_bytes(data, "s3cret")["results"]


def test_a_scan_is_named_as_such():
    with pytest.raises(ScannedPdf):
        labs.parse_pdf_bytes(hostile.scanned_pdf())


def test_the_child_is_stopped_at_its_time_limit(layouts):
    path, _truth = next(iter(layouts.values()))
    with pytest.raises(ReportTooLarge, match="took over"):
        parse_isolated(path.read_bytes(), time_limit=0.01)


def test_the_child_runs_under_a_memory_cap(layouts):
    path, _truth = next(iter(layouts.values()))
    # Far too little memory for Python and pypdf: the child fails, the caller gets a message.
    with pytest.raises(ReportTooLarge):
        parse_isolated(path.read_bytes(), memory_limit=24 * 1024 * 1024)
    # The real cap leaves room for a normal report.
    assert parse_isolated(path.read_bytes())["results"]


def test_every_failure_is_an_unreadable_report_not_a_crash():
    for data in (b"", b"%PDF-1.7\n", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF",
                 bytes(range(256)) * 10):
        with pytest.raises(UnreadableReport):
            labs.parse_pdf_bytes(data)
