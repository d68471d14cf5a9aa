"""The generated lab reports are what their truth says (this checks the generator, not the
parser), and together they cover every case the lab-report issue lists."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.lab_fixtures import hostile
from tests.lab_fixtures.build import COVERAGE, LAYOUTS, build_long_report

ISSUE_CASES = {"previous_result_column", "out_of_range_column", "units_only_in_range",
               "range_forms", "decimal_commas_thousands_spaces", "flag_spellings",
               "second_unit_line", "wrapped_names", "multi_page_headers_footers",
               "date_formats", "text_order", "languages"}


def test_every_case_is_covered_by_layouts_that_exist():
    assert set(COVERAGE) == ISSUE_CASES
    assert len(LAYOUTS) >= 8
    for case, names in COVERAGE.items():
        assert names and set(names) <= set(LAYOUTS), case


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_truth_value_is_printed_on_its_page(name):
    data, truth = LAYOUTS[name]()
    pages = [page.extract_text().replace(" ", "").replace("\u202f", "")
             for page in PdfReader(io.BytesIO(data)).pages]
    assert truth["file"] == f"{name}.pdf" and truth["results"]
    for row in truth["results"]:
        printed = row["value_text"].replace(" ", "")
        assert printed in pages[row["page"] - 1], (row["name"], printed)
        assert row["flag"] in ("H", "L", "N", "A", None)


def test_the_long_report_has_the_pages_it_was_asked_for(tmp_path):
    path = tmp_path / "long.pdf"
    truth = build_long_report(path, pages=4)
    assert len(PdfReader(path).pages) == 4
    assert {row["page"] for row in truth["results"]} == {1, 2, 3, 4}


def test_the_broken_files_are_broken_as_claimed():
    assert PdfReader(io.BytesIO(hostile.scanned_pdf())).pages[0].extract_text().strip() == ""
    assert PdfReader(io.BytesIO(hostile.encrypted_pdf("pw"))).is_encrypted
    assert not hostile.not_a_pdf().startswith(b"%PDF")
    truncated = hostile.truncated_pdf()
    assert truncated.startswith(b"%PDF") and b"%%EOF" not in truncated[-64:]
