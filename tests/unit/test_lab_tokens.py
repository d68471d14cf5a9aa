"""Numbers, ranges, flags and dates as labs print them."""

import pytest

from carebook.labs.columns import read_header, split_cells
from carebook.labs.dates import day_first_for, detect_language, find_collected_date
from carebook.labs.tokens import parse_printed_number, read_flag, read_range, read_value


@pytest.mark.parametrize(("text", "decimal_comma", "expected"), [
    ("5.2", None, 5.2), ("5,2", None, 5.2), ("4 000", None, 4000.0), ("12,5", True, 12.5),
    ("1,250", False, 1250.0), ("1,250", True, 1.25), ("2,50,000", None, 250000.0),
    ("1.234,5", None, 1234.5), ("1,234.5", None, 1234.5), ("0,52", False, 0.52),
    ("abc", None, None),
])
def test_printed_numbers(text, decimal_comma, expected):
    assert parse_printed_number(text, decimal_comma) == expected


@pytest.mark.parametrize(("text", "low", "high"), [
    ("0.69 - 2.15", 0.69, 2.15), ("<200", None, 200.0), ("> OR = 40", 40.0, None),
    (">59", 59.0, None), ("0-99", 0.0, 99.0), ("(4 000 à 10 000)", 4000.0, 10000.0),
    ("[133 - 146]", 133.0, 146.0), ("< 1,2", None, 1.2), ("3,9 – 6,1", 3.9, 6.1),
    ("Up to 40", None, 40.0), ("≤ 5.0", None, 5.0), ("135 to 145", 135.0, 145.0),
])
def test_printed_ranges(text, low, high):
    printed = read_range(text)
    assert printed is not None, text
    assert (printed.low, printed.high) == (low, high)


def test_a_range_can_carry_its_unit():
    printed = read_range("3.5 - 5.1 mmol/L")
    assert (printed.low, printed.high, printed.unit) == (3.5, 5.1, "mmol/L")


@pytest.mark.parametrize("text", ["Glucose", "12", "5 - 2", "T3 - Triiodothyronine", ""])
def test_things_that_are_not_ranges(text):
    assert read_range(text) is None


@pytest.mark.parametrize(("text", "flag"), [
    ("H", "H"), ("High", "H"), ("HIGH", "H"), ("+", "H"), ("↑", "H"), ("L", "L"), ("Low", "L"),
    ("-", "L"), ("*", "A"), ("bas", "L"), ("hoch", "H"), ("Glucose", None)])
def test_printed_flags(text, flag):
    assert read_flag(text) == flag


def test_values_with_what_is_glued_to_them():
    assert read_value("12,5 H").number == 12.5
    assert read_value("12,5 H").flag == "H"
    assert read_value("140mmol/L").unit == "mmol/L"
    assert read_value("<0.5").text == "<0.5"
    assert read_value("Negative") is None
    assert read_value("1/3") is None


def test_cells_and_a_header_with_a_previous_column():
    line = "Test            Result    Previous (12/03/2025)   Unit     Reference range"
    columns = read_header(split_cells(line))
    assert [column.kind for column in columns] == ["name", "result", "previous", "unit", "range"]
    assert read_header(split_cells("Hemoglobin      13.5      12.9      g/dL    12 - 16")) is None


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Collected: 09/18/2026  Received: 09/19/2026  DOB: 01/02/1960", "en", "2026-09-18"),
    ("Né le 04/05/1950   Prélevé le 11/03/2026 à 08:10", "fr", "2026-03-11"),
    ("Geb.: 01.02.1961   Entnahme: 05.06.2026   Druck: 07.06.2026", "de", "2026-06-05"),
    ("Date of collection: 21-Jan-2026   Printed 23-Jan-2026", "en", "2026-01-21"),
    ("Fecha de toma: 2026-07-09  Fecha de nacimiento: 1970-03-03", "es", "2026-07-09"),
    ("Printed 23-Jan-2026", "en", None),
])
def test_the_collected_date_is_the_labelled_one(text, language, expected):
    assert find_collected_date(text, day_first_for(text, language)) == expected


def test_language_detection():
    assert detect_language("Résultat  Unités  Valeurs de référence  Hématologie") == "fr"
    assert detect_language("Untersuchung Ergebnis Einheit Referenzbereich") == "de"
    assert detect_language("Prueba Resultado Unidad Valores de referencia") == "es"
    assert detect_language("Test Result Unit Reference range") == "en"
