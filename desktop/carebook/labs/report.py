"""From laid-out page text to the `labs parse` result: rows, names matched, flags, confidence.

This is the general parser: it knows table headers, cells and result rows, not any one lab.
Pure Python over strings, so it is tested directly; reading the PDF itself happens in the
isolated child (see isolation.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from carebook.knowledge import load_catalogue, normalise_unit
from carebook.labs.checks import (
    confidence,
    decide_flag,
    friedewald_doubt,
    plausibility_doubts,
)
from carebook.labs.columns import (
    Cell,
    Column,
    column_of,
    read_header,
    read_subheader,
    split_cells,
)
from carebook.labs.dates import day_first_for, detect_language, find_collected_date, read_date
from carebook.labs.page_columns import split_page_columns
from carebook.labs.rows import (
    QUALITATIVE,
    RowCandidate,
    could_start_name,
    is_alternate_unit_line,
    match_score,
    read_row,
    starts_with_value,
)
from carebook.labs.signatures import recognise
from carebook.labs.tokens import read_range

_SECTION_UNIT = re.compile(
    r"\((?:all )?(?:results? in )?(?P<unit>[^()]{1,14}?)(?: unless stated)?\)\s*$"
    r"|\b(?:all )?results? in (?P<unit2>\S+)\s*$", re.IGNORECASE)
_URINE_SECTION = re.compile(r"urin|orina|\bharn\b", re.IGNORECASE)
_BLOOD_SECTION = re.compile(r"blood|serum|s[ée]rum|plasma|sang|blut|sangre|h[ae]?ematolog|"
                            r"biochem|chemistry|chimie|chemie|bioqu[ií]mica|lipid|thyroid",
                            re.IGNORECASE)
_DECIMAL_COMMA = re.compile(r"(?<![\d,])\d{1,4},\d{1,2}(?![\d,])")
_THOUSANDS_COMMA = re.compile(r"(?<![\d,])\d{1,3},\d{3}(?![\d,])")
_DECIMAL_POINT = re.compile(r"(?<![\d.])\d{1,4}\.\d{1,2}(?![\d.])")


@dataclass
class _PageState:
    columns: list[Column]
    specimen: str | None = None
    section_unit: str | None = None  # "ELECTROLYTES (mmol/L)": the unit of rows without one
    section_after_header: bool = False  # that title came after the table header
    collected: str | None = None  # the collection date, to tell the current dated column
    day_first: bool = False


def parse_pages(pages: list[str]) -> dict:
    """The contract's `collected_at` and `results` for the laid-out text of each page."""
    text = "\n".join(pages)
    language = detect_language(text)
    decimal_comma = _decimal_comma(text, language)
    family = recognise(text)
    day_first = day_first_for(text, language, family.day_first if family else None)
    collected = find_collected_date(text, day_first)
    state = _PageState(columns=[], collected=collected, day_first=day_first)
    candidates: list[RowCandidate] = []
    for page_no, page in enumerate(pages, start=1):
        for stream in split_page_columns(page):
            candidates.extend(_page_rows(stream, page_no, state, decimal_comma))
    for row in candidates:
        row.range = _full_range(row, decimal_comma)
    results = _finish(candidates)
    return {"collected_at": collected, "results": results, "language": language,
            "family": family.name if family else None}


def _decimal_comma(text: str, language: str) -> bool | None:
    commas, points = len(_DECIMAL_COMMA.findall(text)), len(_DECIMAL_POINT.findall(text))
    if commas > points:
        return True
    if points > commas or (not commas and _THOUSANDS_COMMA.search(text)):
        return False  # "11,250" with no "4,5" anywhere: commas group thousands
    return language != "en" if commas else None


def _page_rows(page: str, page_no: int, state: _PageState,
               decimal_comma: bool | None) -> list[RowCandidate]:
    rows: list[RowCandidate] = []
    pending_text: tuple[int, str, int] | None = None  # (line_no, text, start) of a bare name
    for line_no, line in enumerate(page.splitlines()):
        cells = split_cells(line)
        if not cells:
            continue
        # A bare name on the line just above may be the start of this line's result.
        above = pending_text if pending_text and pending_text[0] == line_no - 1 else None
        header = read_header(cells) or read_subheader(cells, state.columns)
        if header:
            state.columns = _resolve_dated(header, cells, state)
            state.section_after_header = False
            # A card: the name, then labels ("Your value  Standard range"), then values.
            pending_text = (line_no, above[1], above[2]) if above else None
            continue
        if is_alternate_unit_line(cells) or _PAGE_NUMBER.search(line) or _SENTENCE.match(line):
            continue
        found = read_row(cells, state.columns, page_no, line_no, decimal_comma)
        if not found and above and starts_with_value(cells, decimal_comma):
            # A result printed as a block: the name on its own line, the value under it.
            _, name, start = above
            found = read_row([Cell(name, start, start + len(name)), *cells], state.columns,
                             page_no, line_no, decimal_comma)
        if not found and rows and _attach_reference(rows[-1], line, line_no, decimal_comma):
            continue
        for row in found:
            row.specimen = state.specimen  # the section it was printed in (urine or blood)
            if state.section_unit and (row.unit is None or (
                    row.unit_from_title and state.section_after_header)):
                row.unit, row.unit_from_title = state.section_unit, True  # nearest title
        if found:
            if above:
                _join_wrapped_before(found[0], above)
            rows.extend(found)
            pending_text = None
            continue
        _note_section(cells, state)
        if rows and _continues_range(rows[-1], cells, state.columns, line_no):
            rows[-1].range_lines.append(" ".join(cell.text for cell in cells))
            rows[-1].line_no = line_no  # the row now ends here
            continue
        if rows and rows[-1].line_no == line_no - 1 and rows[-1].page == page_no \
                and _join_wrapped_after(rows[-1], cells):
            pending_text = None
            continue
        pending_text = ((line_no, cells[0].text, cells[0].start)
                        if len(cells) <= 2 and could_start_name(cells[0].text) else None)
    return rows


_PAGE_NUMBER = re.compile(r"\b(?:page|p[áa]gina|p[áa]g\.|seite|blatt)\s*\d+\s*"
                          r"(?:of|de|sur|von|/)\s*\d+", re.IGNORECASE)
# "Objetivo en pacientes diabéticos: inferior a 7,0 %." — a note, not a result.
_SENTENCE = re.compile(r"^\s*[^\d:]{2,}\S:\s+[^:]*\d[^:]*\.\s*$")
_REFERENCE_LINE = re.compile(
    r"^\s*(?:reference(?: range| interval)?|ref\.?(?: range)?|normal range|range|"
    r"valeurs? de r[ée]f[ée]rence|r[ée]f[ée]rence|referenzbereich|normbereich|"
    r"valores? de referencia|intervalo de referencia)\s*:\s*(?P<range>\S.*)$", re.IGNORECASE)


def _attach_reference(row: RowCandidate, line: str, line_no: int, decimal_comma) -> bool:
    # "Reference: 70-99" on the line under a block-printed result.
    found = _REFERENCE_LINE.match(line)
    if not found or row.line_no != line_no - 1 or row.range is not None:
        return False
    printed = read_range(found["range"].strip(), decimal_comma)
    if printed is None:
        return False
    row.range, row.line_no = printed, line_no
    row.unit = row.unit or printed.unit
    return True


def _resolve_dated(columns: list[Column], cells, state: _PageState) -> list[Column]:
    # A cumulative report heads its value columns with dates only: the current result is the
    # column dated the collection day, else the most recent one; the others are previous.
    dated = {}
    for column in columns:
        if column.kind == "dated":
            label = next((c.text for c in cells if c.start == column.start), "")
            dated[column] = read_date(label, state.day_first)
    known = {column: iso for column, iso in dated.items() if iso}
    if not known:
        return [replace(c, kind="previous") if c.kind == "dated" else c for c in columns]
    current = next((c for c, iso in known.items() if iso == state.collected),
                   max(known, key=known.get))
    return [replace(c, kind="result" if c is current else "previous") if c.kind == "dated"
            else c for c in columns]


def _continues_range(row: RowCandidate, cells, columns: list[Column], line_no: int) -> bool:
    # "Deficiency : < 20" on the row's line, then "Sufficient : 31-100" alone under it.
    if row.range is None or row.line_no != line_no - 1 or not columns:
        return False
    range_columns = [column for column in columns if column.kind == "range"]
    return bool(range_columns) and all(column_of(cell, columns) in range_columns
                                       for cell in cells)


def _full_range(row: RowCandidate, decimal_comma):
    if not row.range_lines:
        return row.range
    joined = " ; ".join([row.range.text, *row.range_lines])
    return read_range(joined, decimal_comma) or row.range


def _note_section(cells, state: _PageState) -> None:
    text = " ".join(cell.text for cell in cells)
    if len(text) > 80:
        return
    named = _SECTION_UNIT.search(text)
    unit = normalise_unit(named["unit"] or named["unit2"]) if named else None
    if unit:
        state.section_unit, state.section_after_header = unit, bool(state.columns)
    elif len(cells) == 1 and not re.search(r"\d|:", text):
        state.section_unit = None  # a new section title that names no unit
    if _URINE_SECTION.search(text):
        state.specimen = "urine"
    elif _BLOOD_SECTION.search(text):
        state.specimen = None


def _join_wrapped_before(row: RowCandidate, pending: tuple[int, str, int]) -> None:
    # "Gamma-glutamyl" on one line and "transferase  45  U/L" under it: one name.
    _, text, start = pending
    if abs(start - row.name_start) > 3 or text.endswith(":") or text.isupper():
        return
    joined = f"{text} {row.name}"
    if len(joined) > 70:
        return
    # "(AST)" or ", Random Urine" cannot start a name, and "Creatine Kinase," cannot end one:
    # the two lines are one name.
    continues = row.name.startswith(("(", ",")) or text.endswith((",", "-")) or (
        match_score(row.name) == 0 and row.name[:1].islower())
    if continues or match_score(joined) > match_score(row.name):
        row.name = joined
        row.doubts.append(("name", "the name was printed over two lines"))


def _join_wrapped_after(row: RowCandidate, cells) -> bool:
    # "Gamma-glutamyl  45  U/L" with "transferase" on the next line, under the name.
    if len(cells) != 1 or abs(cells[0].start - row.name_start) > 3:
        return False
    text = cells[0].text
    if match_score(text) >= 1 and not text.startswith("("):
        return False  # a name in its own right (a section title), not the rest of this one
    joined = f"{row.name} {text}"
    if len(joined) > 70:
        return False
    better = match_score(joined) > match_score(row.name)
    abbreviation = bool(re.fullmatch(r"\([^()]{1,15}\)", text))  # "(ALT)" under its name
    continues = abbreviation or row.name.endswith(("-", "(", ",")) or (
        text[:1].islower() and match_score(row.name) < 1)
    if better or continues:
        row.name = joined.replace("- ", "-") if row.name.endswith("-") else joined
        row.doubts.append(("name", "the name was printed over two lines"))
        return True
    return False


def _finish(candidates: list[RowCandidate]) -> list[dict]:
    catalogue = load_catalogue()
    results = []
    for row in candidates:
        match = _match(catalogue, row)
        code = normalise_unit(row.unit) if row.unit else None
        # "Neutrophils" printed twice, in % and in 10*9/L: the unit says which one this is.
        analyte = catalogue.for_unit(match.analyte, code) if match else None
        own_unit = row.unit and not row.unit_from_title
        if analyte is None and not (own_unit or row.range or _qualitative(row)):
            continue  # a line with a number but nothing else that says it is a result
        doubts = list(row.doubts)
        low = row.range.low if row.range else None
        high = row.range.high if row.range else None
        flag = decide_flag(row.value, row.value_text, low, high, row.printed_flag,
                           row.out_of_range_column, doubts)
        doubts.extend(plausibility_doubts(analyte, row.value, row.unit))
        results.append({
            "loinc": analyte.loinc_for(code) if analyte else None,
            "analyte": analyte.key if analyte else None,
            "name": row.name,
            "value": row.value,
            "value_text": row.value_text,
            "unit": code or row.unit,  # UCUM when Carebook knows the spelling
            "ref_low": low,
            "ref_high": high,
            "ref_text": row.range.text if row.range else None,
            "flag": flag,
            "page": row.page,
            "_matched": match.score if match else 0.0,
            "_doubts": doubts,
        })
    friedewald_doubt(results, _converter(catalogue))
    for result in results:
        doubts = result.pop("_doubts")
        matched = result.pop("_matched") > 0
        result["confidence"] = confidence(matched, doubts)
        if not matched:
            doubts.append(("analyte", "the name is not one Carebook recognises"))
        result["doubts"] = [{"field": where, "text": why} for where, why in doubts]
    return results


def _match(catalogue, row: RowCandidate):
    found = catalogue.match(row.name, specimen=row.specimen)
    if found is None and " / " in row.name:
        # "Glycémie à jeun / Fasting glucose": a bilingual report names it twice.
        halves = [catalogue.match(half, specimen=row.specimen) for half in row.name.split(" / ")]
        found = max((m for m in halves if m), key=lambda m: m.score, default=None)
    return found


def _qualitative(row: RowCandidate) -> bool:
    # Words as the result: known result words anywhere; under a "Result" header also short
    # free text ("RBC Morphology : Microcytosis"), but not a sentence or a table's title row.
    if row.value is not None:
        return False
    if QUALITATIVE.match(row.value_text):
        return True
    return (row.in_table and len(row.name) <= 40 and not row.name.isupper()
            and ":" not in row.name
            and not any(doubt[0] == "name" for doubt in row.doubts)
            and bool(_FREE_TEXT_RESULT.match(row.value_text)))


_FREE_TEXT_RESULT = re.compile(r"^[A-Z][^():\d]{1,59}$")  # words, not an id or a date


def _converter(catalogue):
    def convert(key: str, value: float, unit: str | None, target: str) -> float | None:
        analyte = catalogue.get(key)
        code = normalise_unit(unit) if unit else None
        if analyte is None or code is None:
            return None
        return value if code == target else analyte.convert(value, code, target)
    return convert
