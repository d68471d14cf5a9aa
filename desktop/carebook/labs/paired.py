"""One line, two results: a differential count printed as a percentage and as a count.

French and Spanish blood counts print "Polynucléaires neutrophiles  72,5 %  8,56 G/L
(1,80 - 7,50 G/L)": the same cells twice, in % and in 10*9/L, with the range of the count.
Each becomes its own result; the catalogue tells the % analyte from the absolute one.
"""

from __future__ import annotations

from dataclasses import replace

from carebook.knowledge import normalise_unit
from carebook.labs.columns import Cell
from carebook.labs.tokens import read_value


def split_percent_and_count(row, cells: list[Cell], decimal_comma) -> list:
    """[row] as it is, or the row as two: its percentage and its count."""
    pairs = _values_with_units(cells, decimal_comma)
    if len(pairs) != 2:
        return [row]
    codes = {normalise_unit(unit or "") for _value, unit in pairs}
    if "%" not in codes or None in codes or len(codes) != 2:
        return [row]
    range_unit = normalise_unit(row.range.unit) if row.range and row.range.unit else None
    rows = []
    for value, unit in pairs:
        code = normalise_unit(unit)
        own_range = row.range if range_unit in (None, code) and (range_unit or code != "%") \
            else None
        rows.append(replace(row, value=value.number, value_text=value.text, unit=unit,
                            range=own_range, printed_flag=value.flag, doubts=list(row.doubts)))
    return rows


def _values_with_units(cells: list[Cell], decimal_comma) -> list[tuple]:
    pairs = []
    for index, cell in enumerate(cells):
        value = read_value(cell.text, decimal_comma)
        if value is None or value.number is None:
            continue
        unit = value.unit
        if unit is None and index + 1 < len(cells) and normalise_unit(cells[index + 1].text):
            unit = cells[index + 1].text
        pairs.append((value, unit))
    return pairs
