"""Every generated lab-report layout, with its truth; `python -m tests.lab_fixtures.build OUT`.

The layouts are synthetic reports (invented people and labs) drawn from the same rows their
truth is made of, so PDF and truth cannot drift. COVERAGE says which layout covers which case
of the lab-report issue; a test checks that every case is covered.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from .layouts_eu import de_labor, de_wrapped, es_side_by_side
from .layouts_fr import fr_biologie, fr_units_in_range
from .layouts_long import long_report
from .layouts_uk import en_hospital, en_units_in_range, uk_gp
from .layouts_us import us_labcorp, us_quest

Layout = Callable[[], tuple[bytes, dict]]

LAYOUTS: dict[str, Layout] = {
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

# The cases the issue lists, and the layouts that draw them.
COVERAGE: dict[str, tuple[str, ...]] = {
    "previous_result_column": ("us_labcorp", "uk_gp", "fr_biologie"),
    "out_of_range_column": ("us_quest",),
    "units_only_in_range": ("us_quest", "en_units_in_range", "fr_units_in_range"),
    "range_forms": ("us_quest", "us_labcorp", "fr_biologie", "es_side_by_side", "uk_gp"),
    "decimal_commas_thousands_spaces": ("fr_biologie", "de_labor", "es_side_by_side"),
    "flag_spellings": ("us_quest", "us_labcorp", "de_labor", "fr_biologie", "en_hospital"),
    "second_unit_line": ("fr_biologie",),
    "wrapped_names": ("us_labcorp", "en_hospital", "fr_units_in_range", "de_wrapped"),
    "multi_page_headers_footers": ("en_hospital", "fr_units_in_range"),
    "date_formats": ("us_quest", "fr_biologie", "de_labor", "uk_gp", "es_side_by_side"),
    "text_order": ("de_labor", "es_side_by_side", "en_hospital"),
    "languages": ("us_quest", "uk_gp", "fr_biologie", "de_labor", "es_side_by_side"),
}


def build_all(out_dir: Path) -> list[tuple[Path, dict]]:
    """Write every layout's PDF and truth JSON into `out_dir`; return (pdf path, truth)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for name, make in LAYOUTS.items():
        data, truth = make()
        pdf = out_dir / f"{name}.pdf"
        pdf.write_bytes(data)
        (out_dir / f"{name}.json").write_text(json.dumps(truth, indent=2, ensure_ascii=False),
                                              encoding="utf-8")
        built.append((pdf, truth))
    return built


def build_long_report(path: Path, pages: int = 15) -> dict:
    """Write a realistic `pages`-page report to `path` and return its truth."""
    data, truth = long_report(pages)
    Path(path).write_bytes(data)
    return truth


def main(argv: list[str] | None = None) -> int:
    """Write all layouts into the folder given as the only argument."""
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m tests.lab_fixtures.build OUT_DIR", file=sys.stderr)
        return 2
    for pdf, truth in build_all(Path(args[0])):
        print(f"{pdf}  {len(truth['results'])} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
