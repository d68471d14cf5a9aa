"""Build the synthetic lab-report PDFs and their truth files.

Usage: python -m tests.lab_fixtures.build OUTDIR
writes every layout (NAME.pdf + NAME.json), long_report.pdf/.json and hostile/*.pdf.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from . import hostile
from .layouts_eu import de_labor, de_wrapped, es_side_by_side
from .layouts_fr import fr_biologie, fr_units_in_range
from .layouts_long import long_report
from .layouts_uk import en_hospital, en_units_in_range, uk_gp
from .layouts_us import us_labcorp, us_quest

LAYOUTS: dict[str, Callable[[], tuple[bytes, dict]]] = {
    "us_quest": us_quest,
    "us_labcorp": us_labcorp,
    "uk_gp": uk_gp,
    "en_units_in_range": en_units_in_range,
    "en_hospital": en_hospital,
    "fr_biologie": fr_biologie,
    "fr_units_in_range": fr_units_in_range,
    "de_labor": de_labor,
    "de_wrapped": de_wrapped,
    "es_side_by_side": es_side_by_side,
}

# How many pages each layout is meant to have.
PAGES: dict[str, int] = {
    "us_quest": 2,
    "us_labcorp": 1,
    "uk_gp": 1,
    "en_units_in_range": 1,
    "en_hospital": 3,
    "fr_biologie": 1,
    "fr_units_in_range": 2,
    "de_labor": 1,
    "de_wrapped": 1,
    "es_side_by_side": 1,
}

# The cases the lab-report issue lists (numbered as in the fixture brief), and the layouts
# that draw them. The keys are what tests and the bench refer to.
COVERAGE: dict[str, tuple[str, ...]] = {
    # 1: uk_gp has the previous result to the LEFT of the current one.
    "previous_result_column": ("us_labcorp", "fr_biologie", "uk_gp"),
    # 2
    "out_of_range_column": ("us_quest",),
    # 3
    "units_only_in_range": ("us_quest", "en_units_in_range", "fr_units_in_range"),
    # 4: the printed forms are listed in RANGE_FORMS.
    "range_forms": ("us_quest", "us_labcorp", "fr_biologie", "es_side_by_side", "de_labor",
                    "uk_gp"),
    # 5
    "decimal_commas_thousands_spaces": ("fr_biologie", "fr_units_in_range", "de_labor",
                                        "de_wrapped", "es_side_by_side"),
    # 6: H/L, High/Low, HIGH/LOW, *, +/-.
    "flag_spellings": ("us_quest", "us_labcorp", "uk_gp", "fr_biologie", "de_labor",
                       "de_wrapped", "es_side_by_side", "en_hospital"),
    # 7
    "second_unit_line": ("fr_biologie", "fr_units_in_range"),
    # 8: value on the first line (us_labcorp GFR) and on the second (the others).
    "wrapped_names": ("us_labcorp", "en_hospital", "fr_units_in_range", "de_wrapped"),
    # 9
    "multi_page_headers_footers": ("us_quest", "en_hospital", "fr_units_in_range"),
    # 10: every layout prints its collected date among birth / received / reported dates.
    "date_formats": tuple(LAYOUTS),
    # 11a column by column (de_labor), 11b side-by-side tables (es_side_by_side),
    # 11c glued tokens: value+unit (en_hospital), name+value (es_side_by_side right table).
    "text_order": ("de_labor", "es_side_by_side", "en_hospital"),
    # 12
    "languages": tuple(LAYOUTS),
}

# Finer claims the tests check beside COVERAGE.
TEXT_ORDER: dict[str, str] = {
    "column_by_column": "de_labor",
    "side_by_side": "es_side_by_side",
    "glued_value_unit": "en_hospital",
    "glued_name_value": "es_side_by_side",
}
NO_PRINTED_FLAGS: tuple[str, ...] = ("en_units_in_range", "fr_units_in_range")

# The printed strings behind case 4, by layout (the tests check each is on the page).
RANGE_FORMS: dict[str, list[str]] = {
    "us_quest": ["<200", "> OR = 50", "65-99"],
    "us_labcorp": [">59", "0-99"],
    "fr_biologie": ["(4 000 à 10 000)", "(< 2,00)"],
    "es_side_by_side": ["[133 - 146]", "[< 200]"],
    "de_labor": ["< 1,2", "> 40"],
    "uk_gp": ["133 - 146", ">60"],
}

LANGUAGES: dict[str, str] = {
    "us_quest": "en-US", "us_labcorp": "en-US", "uk_gp": "en-GB", "en_units_in_range": "en",
    "en_hospital": "en-GB", "fr_biologie": "fr", "fr_units_in_range": "fr", "de_labor": "de",
    "de_wrapped": "de", "es_side_by_side": "es",
}


def _write(out_dir: Path, name: str, pdf: bytes, truth: dict) -> Path:
    """Write NAME.pdf and NAME.json; return the PDF path."""
    path = out_dir / f"{name}.pdf"
    path.write_bytes(pdf)
    (out_dir / f"{name}.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return path


def build_all(out_dir: Path) -> list[tuple[Path, dict]]:
    """Write every layout's PDF and truth JSON into out_dir; return (pdf path, truth) pairs."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for name, make in LAYOUTS.items():
        pdf, truth = make()
        built.append((_write(out_dir, name, pdf, truth), truth))
    return built


def build_long_report(path: Path, pages: int = 15) -> dict:
    """Write a long report of `pages` pages (20-25 results each) to path; return its truth.

    The truth JSON is written beside it (same stem, .json); its "file" is path's name.
    """
    path = Path(path)
    pdf, truth = long_report(pages)
    truth["file"] = path.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    path.with_suffix(".json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return truth


def build_hostile(out_dir: Path, password: str = "test-password") -> list[Path]:
    """Write the files an importer must refuse (scanned, encrypted, not a PDF, truncated)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "scanned.pdf": hostile.scanned_pdf(),
        "encrypted.pdf": hostile.encrypted_pdf(password),
        "not_a_pdf.pdf": hostile.not_a_pdf(),
        "truncated.pdf": hostile.truncated_pdf(),
    }
    paths = []
    for name, data in files.items():
        (out_dir / name).write_bytes(data)
        paths.append(out_dir / name)
    return paths


def main(argv: list[str] | None = None) -> int:
    """CLI: build everything into OUTDIR."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tests.lab_fixtures.build OUTDIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    built = build_all(out)
    long_truth = build_long_report(out / "long_report.pdf")
    build_hostile(out / "hostile")
    rows = sum(len(t["results"]) for _, t in built)
    print(f"{len(built)} layouts ({rows} results), long_report "
          f"({len(long_truth['results'])} results), 4 hostile files -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
