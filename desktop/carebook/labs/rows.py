"""One result row from one laid-out line: which cell is the name, the value, the unit, the range.

The line is first cut into cells (two or more spaces apart). Each cell is read as a range, a
value, a unit or a flag; when a header announced the columns, a cell's column decides (so a
number under "Previous" is never the value, and one under "Out of range" is). A name cell that
swallowed its value because the spacing was tight is split where the name ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from carebook.domain.values import format_number
from carebook.knowledge import load_catalogue, normalise_unit
from carebook.labs.columns import Cell, Column, column_of
from carebook.labs.paired import split_percent_and_count
from carebook.labs.tokens import PrintedRange, PrintedValue, read_flag, read_range, read_value

# Words that qualitative results use; a row whose value is one of these needs no number.
QUALITATIVE = re.compile(
    r"^(?:negati(?:ve|f|v|vo)|n[ée]gati(?:f|ve)|positi(?:ve|f|v|vo)|nil|absent|present|"
    r"pr[ée]sent|traces?|trazas|spuren|normal|normale|clear|clair|klar|turbid|trouble|"
    r"cloudy|pale yellow|yellow|jaune(?: p[aâ]le)?|gelb|amarillo|straw|amber|"
    r"limpide|limpio|not detected|detected|non d[ée]tect[ée]|reactive|non[- ]reactive|"
    r"n\.\s?n\.|nicht nachweisbar|no detectado|"
    r"\+{1,4}|1\+|2\+|3\+|4\+)$", re.IGNORECASE)

_ALTERNATE_UNIT_LINE = re.compile(r"^(?:soit|i\.?e\.?|equivalent|équivalent|entspricht|"
                                  r"o sea|=|\(\s*[\d.,]+\s*[^\d\s.,-])", re.IGNORECASE)
_NAME_START = re.compile(r"^[^\W\d_]|^%\s?[^\W\d_]|^\d{1,2}[-,]\s?\d{0,2}[-\s(]*[^\W\d_]|^\(")


@dataclass
class RowCandidate:
    """What one line says about one result, before matching and checks."""

    name: str
    value: float | None
    value_text: str
    unit: str | None
    range: PrintedRange | None
    printed_flag: str | None
    page: int
    line_no: int
    name_start: int
    out_of_range_column: bool = False
    doubts: list[tuple[str, str]] = field(default_factory=list)  # (field, why)
    range_lines: list[str] = field(default_factory=list)  # a range printed over more lines
    in_table: bool = False  # read under a table header, so its columns were known
    specimen: str | None = None  # "urine" when printed in a urine section
    unit_from_title: bool = False  # the unit came from the column title, not the row


def starts_with_value(cells: list[Cell], decimal_comma: bool | None) -> bool:
    """True for a line that begins with a result value ("97 mg/dL", "6.3 %   High"), not
    with a number among words ("220 Elm Street")."""
    first, _, rest = (cells[0].text if cells else "").partition(" ")
    if read_value(first, decimal_comma) is None or _DATE_LIKE.match(first):
        return False
    return not rest or _kind(rest, decimal_comma) != "text" or \
        _kind(rest.split(" ")[0], decimal_comma) in ("unit", "flag")


_DATE_LIKE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}$")


def is_alternate_unit_line(cells: list[Cell]) -> bool:
    """True for a "soit 5,50 mmol/L" line: the previous value again in another unit."""
    return bool(cells) and bool(_ALTERNATE_UNIT_LINE.match(cells[0].text))


def read_row(cells: list[Cell], columns: list[Column], page: int, line_no: int,
             decimal_comma: bool | None) -> list[RowCandidate]:
    """The results one line holds: usually one, two when tables sit side by side."""
    # A header that names each column once announces one table per line; a repeated
    # "Unit" or "Range" announces two tables side by side.
    kinds = [column.kind for column in columns]
    one_table = bool(kinds) and len(kinds) == len(set(kinds))
    groups = [cells] if one_table else _split_side_by_side(cells, decimal_comma)
    rows = []
    for group in groups:
        row = _read_group(group, columns if len(groups) == 1 else [], page, line_no,
                          decimal_comma)
        if row is not None:
            rows.extend(split_percent_and_count(row, group[1:], decimal_comma))
    return rows


def _split_side_by_side(cells: list[Cell], decimal_comma) -> list[list[Cell]]:
    # A second name cell after a value starts a second result on the same line.
    groups: list[list[Cell]] = []
    seen_value = False
    for cell in cells:
        starts_name = not cell.text.startswith("(") and _looks_like_name(cell.text, decimal_comma)
        if starts_name and seen_value and groups:
            groups.append([cell])
            seen_value = False
            continue
        if not groups:
            groups.append([])
        groups[-1].append(cell)
        seen_value = seen_value or _kind(cell.text, decimal_comma) in ("value", "range")
    return groups


_CODE = re.compile(r"^(?:\d{2,6}(?:-\d)?|[A-Z]{1,3}\d{2,5})$")  # LOINC-like or lab codes
_NOT_A_NAME = re.compile(r"^(?:method|m[ée]thode?|m[ée]todo|note|nota|notes|comment|"
                        r"commentaire|kommentar|bemerkung|remarks?|interpretation|technique|"
                        r"specimen|sample|page|printed|report|age|sex|dob|please|patient|"
                        r"ordering|physician|doctor|phone|address|account|acct|clinical|edad|"
                        r"sexo|alter|geschlecht|[âa]ge|sexe|petici[óo]n|demande|auftrag|"
                        r"valid[ée]?|validado|electronically|signed|approved|authori[sz]ed|"
                        r"verified|v[ée]rifi[ée]|freigegeben)\b"
                        r"|^ref[:.]",
                        re.IGNORECASE)


def could_start_name(text: str) -> bool:
    """True for a line that may be a name's first half ("Gamma-glutamyl"), not a label
    ("Method:-", "Note:") or a sentence."""
    return (bool(_NAME_START.match(text)) and not _NOT_A_NAME.match(text)
            and not text.rstrip().endswith((":", ":-")) and len(text) <= 50)


@lru_cache(maxsize=8192)  # pure, and the same texts recur on every page of a long report
def _looks_like_name(text: str, decimal_comma, first: bool = False) -> bool:
    if not _NAME_START.match(text) or QUALITATIVE.match(text) or len(text) > 70:
        return False
    if _NOT_A_NAME.match(text) or " = " in text:  # "H = High": a legend
        return False
    if first and (_known_name(text) or re.match(r"%\s?[^\W\d_]{3,}", text)):
        # "pH", "INR" and "% Saturation" read as units too; first on a line they are names.
        return True
    if read_flag(text) or normalise_unit(_without_note(text)) or read_range(text, decimal_comma):
        return False
    return len(re.sub(r"[^A-Za-zÀ-ÿ]", "", text)) >= 2


def _known_name(text: str) -> bool:
    return match_score(text) >= 1


@lru_cache(maxsize=16384)
def _kind(text: str, decimal_comma) -> str:
    if read_range(text, decimal_comma) and not _bare_comparison(text):
        return "range"
    if read_value(text, decimal_comma):
        return "value"
    if normalise_unit(_without_note(text)):
        return "unit"
    if read_flag(text):
        return "flag"
    return "text"


_FOOTNOTE = re.compile(r"(?:\s*[¹²³⁴⁵⁶⁷⁸⁹⁰†‡§]+|\s+\([a-z]\))+$")


def _without_footnote(text: str) -> str:
    # "Glucose¹", "Sodium (a)", "Lactate †": a mark pointing at a note below the table.
    return _FOOTNOTE.sub("", text) or text


def _rejoin_gaps(cells: list[Cell], decimal_comma) -> list[Cell]:
    # An OCR text layer places each word on its own, so a wide gap can fall inside a name
    # ("Blood  urea  nitrogen") or a range ("59  - 104"): join what only reads whole.
    cells = list(cells)
    while len(cells) > 2 and _kind(cells[1].text, decimal_comma) == "text" \
            and _looks_like_name(cells[1].text, decimal_comma) \
            and match_score(f"{cells[0].text} {cells[1].text}") > match_score(cells[0].text):
        cells[:2] = [_joined(cells[0], cells[1])]
    index = 1
    while index + 1 < len(cells):
        left, right = cells[index], cells[index + 1]
        if _kind(left.text, decimal_comma) == "value" and re.match(r"^[-–—]\s*\d", right.text) \
                and read_range(f"{left.text} {right.text}", decimal_comma):
            cells[index:index + 2] = [_joined(left, right)]
        index += 1
    return cells


def _joined(left: Cell, right: Cell) -> Cell:
    return Cell(f"{left.text} {right.text}", left.start, right.end)


@lru_cache(maxsize=8192)  # the same names are weighed again and again while joining lines
def match_score(text: str) -> float:
    """How well a printed name matches the catalogue: 1.0 exactly, 0.0 not at all."""
    found = load_catalogue().match(text)
    return found.score if found else 0.0


def _without_group_label(cells: list[Cell], columns: list[Column], decimal_comma) -> list[Cell]:
    # "Chemistry   Glucose   104 ...": a group column ("Panel") printed on a group's first row;
    # the name is the text under the name header, not the label before it.
    names = [column for column in columns if column.kind == "name"]
    if len(cells) < 3 or len(names) != 1 or not _looks_like_name(cells[1].text, decimal_comma):
        return cells
    name = names[0]
    if cells[0].end <= name.start and column_of(cells[1], columns) is name:
        return cells[1:]
    return cells


def _range_from_bounds(bounds: dict[str, float]) -> PrintedRange:
    low, high = bounds.get("range_low"), bounds.get("range_high")
    if low is not None and high is not None:
        text = f"{format_number(low)} - {format_number(high)}"
    else:
        text = f"> {format_number(low)}" if low is not None else f"< {format_number(high)}"
    return PrintedRange(low, high, text)


def _without_note(text: str) -> str:
    # "mg/dL (calc)": a unit with a note about how the value was obtained.
    return re.sub(r"\s*\([^()]*\)$", "", text) or text


def _bare_comparison(text: str) -> bool:
    # "<0.5" or "≤0.20" may be a value or a range; the row decides (see _read_group).
    return bool(re.fullmatch(r"[<>≤≥]=?\s*[\d.,]+", text.strip()))


def _read_group(cells: list[Cell], columns: list[Column], page: int, line_no: int,
                decimal_comma) -> RowCandidate | None:
    if len(cells) > 2 and _CODE.match(cells[0].text) and _looks_like_name(cells[1].text, None):
        cells = cells[1:]  # "2345-7  Glucosa  118 ...": a code column before the name
    leading_flag = None
    if len(cells) > 2 and read_flag(cells[0].text) and not _known_name(cells[0].text):
        leading_flag, cells = read_flag(cells[0].text), cells[1:]  # "HIGH  WBC  11,250 ..."
    if not cells or not _looks_like_name(cells[0].text, decimal_comma, first=True):
        return None
    name_column = column_of(cells[0], columns)
    if name_column is not None and name_column.kind not in ("name", "flag") \
            and not _known_name(_split_name(cells[0].text, decimal_comma, alone=False)[0]):
        return None  # text under the range column: a range's second line, not a result
    cells = _rejoin_gaps(_without_group_label(cells, columns, decimal_comma), decimal_comma)
    name_cell, rest = cells[0], list(cells[1:])
    name, spill = _split_name(_without_footnote(name_cell.text), decimal_comma, alone=not rest)
    if spill:
        offset = name_cell.start + len(name) + 1
        rest = [Cell(part, offset, offset + len(part)) for part in spill] + rest
    values: list[tuple[PrintedValue, Column | None]] = []
    comparisons: list[tuple[str, Column | None]] = []
    ranges: list[tuple[PrintedRange, Column | None]] = []
    units: list[str] = []
    flags: list[str] = []
    texts: list[tuple[str, Column | None]] = []
    bounds: dict[str, float] = {}
    for cell in _expand(rest, decimal_comma):
        column = column_of(cell, columns)
        kind = column.kind if column else None
        text = cell.text
        if kind == "comment":
            continue  # free text ("Fasting 9-12 hours is recommended") is never the range
        if kind == "previous":
            if not units and _kind(text, decimal_comma) == "unit":
                units.append(_without_note(text))  # a unit column Carebook has no title for
            continue
        if kind in ("result", "out_of_range", "in_range") and text in ("-", "--", "—", "–"):
            continue  # an empty cell printed as a dash, not a "low" flag
        if kind in ("range_low", "range_high"):
            bound = read_value(text, decimal_comma)
            if bound is not None and bound.number is not None:
                bounds[kind] = bound.number
                continue
        if _bare_comparison(text):
            if kind == "range":
                ranges.append((read_range(text, decimal_comma), column))
            else:
                comparisons.append((text, column))
            continue
        found_kind = _kind(text, decimal_comma)
        if found_kind == "range" and kind not in ("result", "out_of_range", "in_range"):
            ranges.append((read_range(text, decimal_comma), column))
        elif found_kind == "value":
            values.append((read_value(text, decimal_comma), column))
        elif found_kind == "range":
            # A count like "1-2" or "2-4 /hpf" printed as the result.
            counted = read_range(text, decimal_comma)
            if counted.unit and " " in text:
                units.append(counted.unit)
                text = text.rsplit(" ", 1)[0]
            texts.append((text, column))
        elif found_kind == "unit":
            units.append(_without_note(text))
        elif found_kind == "flag" and (kind in (None, "flag") or len(text) <= 3):
            flags.append(read_flag(text))
            if re.fullmatch(r"\+{1,4}", text):
                texts.append((text, column))  # "++" is a flag after a number, else a grade
        else:
            texts.append((text, column))
    if leading_flag:
        flags.insert(0, leading_flag)
    if bounds and not ranges:
        ranges.append((_range_from_bounds(bounds), None))
    titled = None
    if not units:
        # "Result (mmol/L)": a unit named once in the column title.
        titled = next((column.unit for column in columns
                       if column.unit and column.kind in ("result", "range", "out_of_range")),
                      None)
    row = _assemble(name, values, comparisons, ranges, units, flags, texts, page, line_no,
                    name_cell.start, bool(columns), decimal_comma)
    if row is not None and row.unit is None and titled:
        row.unit, row.unit_from_title = titled, True
    return row


def _assemble(name, values, comparisons, ranges, units, flags, texts, page, line_no,
              name_start, columns_known, decimal_comma) -> RowCandidate | None:
    value_columns = ("result", "out_of_range", "in_range", None)
    # A short right-aligned number can end past its narrow header and look like it sits under
    # "Unit" or "Flag", and a compact line ("TSH 1.86 mIU/L (0.40-4.00)") ignores the columns:
    # with nothing under "Result", the first number is the result.
    values = ([(v, c) for v, c in values if v and (c is None or c.kind in value_columns)]
              or [(v, c) for v, c in values if v and c.kind in ("unit", "flag", "name")][:1])
    if not values and comparisons:
        text, column = comparisons.pop(0)
        values.append((read_value(text, decimal_comma), column))
    ranges.extend((read_range(text, decimal_comma), column) for text, column in comparisons)
    doubts = []
    if values:
        value, column = values[0]
        if len(values) > 1 and not columns_known:
            doubts.append(("value", "several numbers on the line; the first was taken"))
        number, value_text = value.number, value.text
        out_of_range = column is not None and column.kind == "out_of_range"
    else:
        # Result words under the result column first; never the reference column's words.
        in_result = [(t, c) for t, c in texts
                     if c is not None and c.kind in ("result", "out_of_range", "in_range")]
        qualitative = [(t, c) for t, c in in_result if QUALITATIVE.match(t)] or [
            (t, c) for t, c in texts
            if QUALITATIVE.match(t) and (c is None or c.kind != "range")] or [
            (t, c) for t, c in texts if c is not None and c.kind == "unit"] or in_result
        if not qualitative:
            return None
        value, column = None, qualitative[0][1]
        number, value_text = None, qualitative[0][0]
        out_of_range = column is not None and column.kind == "out_of_range"
    # The range under the "Range" header, else the last one on the line.
    in_column = [r for r, c in ranges if c is not None and c.kind == "range"]
    printed_range = in_column[0] if in_column else (ranges[-1][0] if ranges else None)
    if values and not units:
        # A unit Carebook does not know ("ml/min"), printed under the "Unit" header.
        units = [t for t, c in texts if c is not None and c.kind == "unit"
                 and re.fullmatch(r"[^\s\d()][^\s()]{0,11}", t)
                 and not QUALITATIVE.match(t)][:1]
        texts = [(t, c) for t, c in texts if t not in units]
    units_or_range = units or printed_range or (value and value.unit)
    if values and not units_or_range and any(not QUALITATIVE.match(t) for t, _c in texts):
        return None  # "Age : 54 Yrs." — a number among words, not a result
    unit = (value.unit if value else None) or (units[0] if units else None) \
        or (printed_range.unit if printed_range else None)
    flag = (value.flag if value else None) or (flags[0] if flags else None)
    return RowCandidate(name, number, value_text, unit, printed_range, flag, page, line_no,
                        name_start, out_of_range, doubts, in_table=columns_known)


def _expand(cells: list[Cell], decimal_comma) -> list[Cell]:
    # A cell that is none of the known kinds may be two run together with one space
    # ("0.52 ng/mL", "13.5 H"): read it piece by piece.
    expanded = []
    for cell in cells:
        if _kind(cell.text, decimal_comma) != "text" or " " not in cell.text \
                or QUALITATIVE.match(cell.text):
            expanded.append(cell)
            continue
        expanded.extend(_pieces(cell, decimal_comma))
    return expanded


def _pieces(cell: Cell, decimal_comma) -> list[Cell]:
    words = cell.text.split(" ")
    pieces: list[Cell] = []
    position = cell.start
    index = 0
    while index < len(words):
        # Take the longest run of words that reads as one thing (a range with a unit...).
        for stop in range(len(words), index, -1):
            text = " ".join(words[index:stop])
            if stop == index + 1 or _kind(text, decimal_comma) != "text":
                break
        pieces.append(Cell(text, position, position + len(text)))
        position += len(text) + 1
        index = stop
    if all(_kind(piece.text, decimal_comma) == "text" for piece in pieces):
        return [cell]  # plain words ("Within normal limit"): one result text, not pieces
    return pieces


_LEADER_DOTS = re.compile(r"\s*(?:\.\s?){2,}$")  # "HAEMOGLOBIN ........"


def _split_glued(text: str) -> tuple[str, list[str]] | None:
    # "Glucosa104", "TSH3,61", "Hemoglobina A1c5,6": the name ends where the longest run of
    # digits after it still leaves a name the catalogue knows.
    for cut in range(len(text) - 1, 0, -1):
        name, value = text[:cut], text[cut:]
        if re.fullmatch(r"\d[\d.,]*", value) and name[-1:].isalpha() and _known_name(name):
            return name, [value]
    return None


def _split_name(text: str, decimal_comma, alone: bool) -> tuple[str, list[str]]:
    # "Glucose 98 mg/dL" printed with single spaces: the name ends before the first word that
    # is a value, range, unit or flag and is followed only by such words. A single trailing
    # number is split off only when nothing else follows the cell: "eGFR CKD-EPI 2021" is a name.
    text = _LEADER_DOTS.sub("", text)
    if text[-1:].isdigit() and not _known_name(text):
        glued = _split_glued(text)
        if glued:
            return glued
    words = text.split(" ")
    for index in range(1, len(words)):
        tail = [piece.text for piece in _pieces(Cell(" ".join(words[index:]), 0, 0),
                                                 decimal_comma)]
        if (alone or len(tail) > 1) and \
                all(_kind(piece, decimal_comma) != "text" for piece in tail) and \
                _kind(tail[0], decimal_comma) in ("value", "range"):
            return " ".join(words[:index]), tail
    return text, []
