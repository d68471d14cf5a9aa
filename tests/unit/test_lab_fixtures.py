"""The generated lab reports are what their truth says (this checks the generator, not the
parser), and together they cover every case the lab-report issue lists."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from functools import cache

import pytest
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from tests.lab_fixtures import hostile
from tests.lab_fixtures.build import (
    COVERAGE,
    LANGUAGES,
    LAYOUTS,
    NO_PRINTED_FLAGS,
    PAGES,
    RANGE_FORMS,
    TEXT_ORDER,
    build_all,
    build_long_report,
    main,
)

ISSUE_CASES = {"previous_result_column", "out_of_range_column", "units_only_in_range",
               "range_forms", "decimal_commas_thousands_spaces", "flag_spellings",
               "second_unit_line", "wrapped_names", "multi_page_headers_footers",
               "date_formats", "text_order", "languages"}

# The flag words each layout prints for high / low results.
FLAG_WORDS = {"us_quest": ("H", "L"), "us_labcorp": ("High", "Low"), "uk_gp": ("HIGH", "LOW"),
              "fr_biologie": ("*", "*"), "de_labor": ("+", "-"), "de_wrapped": ("H", "L"),
              "es_side_by_side": ("*", "*"), "en_hospital": ("H", "L")}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DATE_RE = re.compile(r"\d{2}/\d{2}/\d{4}|\d{2}\.\d{2}\.\d{4}|\d{2}-[A-Z][a-z]{2}-\d{4}"
                     r"|\d{4}-\d{2}-\d{2}")


@cache
def built(name: str) -> tuple[bytes, dict, tuple[str, ...]]:
    """A layout's PDF, truth and per-page plain text (built once per test run)."""
    data, truth = LAYOUTS[name]()
    pages = tuple(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return data, truth, pages


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def number(value_text: str) -> float | None:
    """The truth rule for `value`: the printed number, commas and thousands spaces resolved."""
    t = value_text.strip().lstrip("<>").replace(" ", "").replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def printed_dates(iso: str) -> set[str]:
    d = date.fromisoformat(iso)
    return {d.strftime("%m/%d/%Y"), d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"),
            f"{d.day:02d}-{MONTHS[d.month - 1]}-{d.year}", iso}


def test_every_case_is_covered_by_layouts_that_exist():
    assert set(COVERAGE) == ISSUE_CASES
    assert len(LAYOUTS) >= 9
    for case, names in COVERAGE.items():
        assert names and set(names) <= set(LAYOUTS), case
    assert set(PAGES) == set(LAYOUTS) == set(LANGUAGES)
    assert set(TEXT_ORDER.values()) <= set(COVERAGE["text_order"])
    assert set(RANGE_FORMS) <= set(COVERAGE["range_forms"])


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_has_its_pages_and_prints_each_truth_value_on_its_page(name):
    _data, truth, pages = built(name)
    assert len(pages) == PAGES[name]
    assert truth["file"] == f"{name}.pdf" and len(truth["results"]) >= 15
    squeezed = [squeeze(p) for p in pages]
    for row in truth["results"]:
        assert 1 <= row["page"] <= len(pages), row
        assert squeeze(row["value_text"]) in squeezed[row["page"] - 1], (row["name"], row)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_truth_rows_follow_the_spec_rules(name):
    _data, truth, _pages = built(name)
    keys = {"name", "loinc", "value", "value_text", "unit", "ref_low", "ref_high", "flag", "page"}
    for row in truth["results"]:
        assert set(row) == keys, row
        assert row["value"] == number(row["value_text"]), row
        lo, hi, v, flag = row["ref_low"], row["ref_high"], row["value"], row["flag"]
        if v is None:
            assert flag in ("N", "A"), row
        elif lo is None and hi is None:
            assert flag is None, row
        else:
            want = "L" if lo is not None and v < lo else "H" if hi is not None and v > hi else "N"
            assert flag == want, row
    flags = {r["flag"] for r in truth["results"]}
    assert "N" in flags and flags & {"H", "L", "A"}, "every layout needs normal and abnormal rows"


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_collected_date_is_printed_among_other_dates(name):
    _data, truth, pages = built(name)
    first = pages[0]
    assert any(d in first for d in printed_dates(truth["collected_at"])), truth["collected_at"]
    assert len(set(DATE_RE.findall(first))) >= 3, "a parser must not be able to take any date"


def test_range_forms_are_printed():
    for name, forms in RANGE_FORMS.items():
        text = "\n".join(built(name)[2])
        for form in forms:
            assert form in text, (name, form)


def test_flag_spellings_are_printed_and_absent_where_claimed():
    for name in COVERAGE["flag_spellings"]:
        _d, truth, pages = built(name)
        hi_word, lo_word = FLAG_WORDS[name]
        for row in truth["results"]:
            words = set(pages[row["page"] - 1].split())
            if row["flag"] == "H":
                assert hi_word in words, (name, row["name"])
            if row["flag"] == "L":
                assert lo_word in words, (name, row["name"])
    for name in NO_PRINTED_FLAGS:
        _d, truth, pages = built(name)
        assert {r["flag"] for r in truth["results"]} & {"H", "L"}
        in_names = {w for r in truth["results"] for w in r["name"].split()}
        words = set(" ".join(pages).split()) - in_names
        assert not words & {"H", "L", "High", "Low", "HIGH", "LOW", "*", "+"}, name


def test_previous_results_and_out_of_range_columns():
    for name in COVERAGE["previous_result_column"]:
        text = built(name)[2][0]
        assert re.search(r"Previous|Antériorités", text), name
    for name in COVERAGE["out_of_range_column"]:
        text = built(name)[2][0]
        assert "In Range" in text and "Out Of Range" in text


def test_units_only_in_range_layouts_have_no_unit_column():
    for name in COVERAGE["units_only_in_range"]:
        _d, truth, pages = built(name)
        assert not re.search(r"\b(Units?|Unités|Einheit)\b", pages[0]), name
        for row in truth["results"]:
            if row["unit"] and (row["ref_low"] is not None or row["ref_high"] is not None):
                assert row["unit"] in pages[row["page"] - 1], (name, row["name"])


def test_decimal_commas_and_thousands_spaces():
    texts = [r["value_text"] for n in COVERAGE["decimal_commas_thousands_spaces"]
             for r in built(n)[1]["results"]]
    assert any(re.fullmatch(r"\d+,\d+", t) for t in texts)
    assert any(re.fullmatch(r"\d{1,3}( \d{3})+", t) for t in texts)


def test_second_unit_lines_are_not_truth_rows():
    for name in COVERAGE["second_unit_line"]:
        _d, truth, pages = built(name)
        seconds = re.findall(r"soit ([\d ,]+)", "\n".join(pages))
        assert seconds, name
        # The second unit is molar in these reports; no truth row may be that repeat.
        repeats = {(r["value_text"], r["unit"]) for r in truth["results"]}
        for value in seconds:
            for unit in ("mmol/L", "µmol/L", "nmol/L"):
                assert (value.strip(), unit) not in repeats, (name, value)
        assert not any(r["name"].lower().startswith("soit") for r in truth["results"])


def test_wrapped_names_are_split_over_lines_but_whole_in_truth():
    for name in COVERAGE["wrapped_names"]:
        _d, truth, pages = built(name)
        lines = {ln.strip() for p in pages for ln in p.splitlines()}
        wrapped = [r["name"] for r in truth["results"]
                   if not any(r["name"] in ln for ln in lines)]
        assert wrapped, name
        joined = " ".join(" ".join(p.split()) for p in pages)
        for full in wrapped:
            assert full in joined, (name, full)


def test_multi_page_layouts_repeat_header_and_footer():
    for name in COVERAGE["multi_page_headers_footers"]:
        _d, truth, pages = built(name)
        assert len(pages) >= 2 and {r["page"] for r in truth["results"]} == set(
            range(1, len(pages) + 1))
        header = pages[0].splitlines()[0]
        for n, text in enumerate(pages, start=1):
            assert header in text, (name, n)
            assert re.search(rf"Page {n}( of |/){len(pages)}", text), (name, n)


def test_text_order_problems_are_in_the_plain_text():
    _d, truth, pages = built(TEXT_ORDER["column_by_column"])
    lines = [ln.strip() for ln in pages[0].splitlines()]
    names = [lines.index(r["name"]) for r in truth["results"]]
    values = [lines.index(r["value_text"]) for r in truth["results"][:3]]
    assert min(values) > max(names), "values must come after all the names"

    _d, truth, pages = built(TEXT_ORDER["side_by_side"])
    text = pages[0]
    assert text.index("Hemoglobina") < text.index("Glucosa") < text.index("Hematocrito")

    _d, truth, pages = built(TEXT_ORDER["glued_value_unit"])
    text = "\n".join(pages)
    glued = [r for r in truth["results"] if r["unit"] and r["value_text"] + r["unit"] in text]
    assert len(glued) >= 10

    _d, truth, pages = built(TEXT_ORDER["glued_name_value"])
    assert sum(r["name"] + r["value_text"] in pages[0] for r in truth["results"]) >= 10


def test_languages():
    assert set(LANGUAGES.values()) >= {"en-US", "en-GB", "fr", "de", "es"}
    names = {r["name"] for n in LAYOUTS for r in built(n)[1]["results"]}
    for printed in ("Hémoglobine", "Leucocytes", "Créatinine", "Kreatinin", "Hämoglobin",
                    "Leukozyten", "Glucosa", "Colesterol total", "Hemoglobina", "Haemoglobin"):
        assert printed in names, printed
    texts = {r["value_text"] for n in LAYOUTS for r in built(n)[1]["results"]}
    assert {"Negative", "Positive", "Négatif", "Traces"} <= texts


def test_the_long_report_has_the_pages_it_was_asked_for(tmp_path):
    path = tmp_path / "long.pdf"
    truth = build_long_report(path, pages=15)
    reader = PdfReader(path)
    assert len(reader.pages) == 15
    per_page = [sum(r["page"] == n for r in truth["results"]) for n in range(1, 16)]
    assert all(20 <= k <= 25 for k in per_page), per_page
    assert json.loads(path.with_suffix(".json").read_text(encoding="utf-8")) == truth
    for n, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {n}/15" in text and "TEST PATIENT K" in text
    short = build_long_report(tmp_path / "short.pdf", pages=4)
    assert {row["page"] for row in short["results"]} == {1, 2, 3, 4}


def test_build_all_and_the_command_line_write_pdfs_and_truth(tmp_path):
    built_files = build_all(tmp_path / "a")
    assert [p.stem for p, _ in built_files] == list(LAYOUTS)
    for pdf, truth in built_files:
        assert pdf.read_bytes().startswith(b"%PDF")
        assert json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8")) == truth
    assert main([str(tmp_path / "b")]) == 0
    assert len(list((tmp_path / "b").glob("*.pdf"))) == len(LAYOUTS) + 1
    assert len(list((tmp_path / "b" / "hostile").iterdir())) == 4
    assert main([]) == 2


def test_the_layouts_are_deterministic():
    assert LAYOUTS["us_quest"]()[0] == LAYOUTS["us_quest"]()[0]


def test_the_broken_files_are_broken_as_claimed():
    scanned = PdfReader(io.BytesIO(hostile.scanned_pdf()))
    assert len(scanned.pages) == 1 and scanned.pages[0].extract_text().strip() == ""
    assert "/Im0" in scanned.pages[0]["/Resources"]["/XObject"]

    locked = PdfReader(io.BytesIO(hostile.encrypted_pdf("pw")))
    assert locked.is_encrypted
    assert locked.decrypt("wrong") == 0
    assert locked.decrypt("pw") != 0 and "TEST PATIENT A" in locked.pages[0].extract_text()

    assert not hostile.not_a_pdf().startswith(b"%PDF")
    with pytest.raises(PdfReadError):
        PdfReader(io.BytesIO(hostile.not_a_pdf()))

    truncated = hostile.truncated_pdf()
    assert truncated.startswith(b"%PDF") and b"%%EOF" not in truncated[-64:]
    with pytest.raises(PdfReadError):
        reader = PdfReader(io.BytesIO(truncated))
        for page in reader.pages:
            page.extract_text()
