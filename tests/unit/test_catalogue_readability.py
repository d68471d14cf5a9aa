"""The catalogue's plain-language texts read at grade 8 or below: patients see them as facts."""

from __future__ import annotations

import json

import pytest

from carebook import paths
from carebook.assistant.readability import reading_grade
from carebook.knowledge import read_catalogue

MAX_GRADE = 8.0
FIELDS = ("what", "why", "high", "low")


def _keys_in_files() -> list[str]:
    """Analyte keys straight from the data files, so a catalogue that fails to load still
    yields one failing test per analyte instead of a collection error."""
    keys: list[str] = []
    for path in sorted(paths.resource("knowledge", "analytes").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        keys.extend(entry["key"] for entry in data["analytes"])
    return keys


KEYS = _keys_in_files()


@pytest.fixture(scope="module")
def fresh():
    # read_catalogue, not the cached load_catalogue(): this run must see the files as they are.
    return read_catalogue(paths.resource("knowledge"))


def test_catalogue_loads_fresh_with_every_key(fresh):
    """The data files pass every loader check, and each key found in them is in the catalogue."""
    assert len(KEYS) >= 100
    assert sorted(a.key for a in fresh.analytes()) == sorted(KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_texts_read_at_grade_8_or_below(fresh, key):
    """what / why / high / low each score <= 8.0 on Flesch-Kincaid."""
    text = fresh.get(key).text
    too_hard = {f: (round(reading_grade(getattr(text, f)), 1), getattr(text, f)) for f in FIELDS
                if reading_grade(getattr(text, f)) > MAX_GRADE}
    assert not too_hard, f"{key}: above grade {MAX_GRADE}: {too_hard}"


def test_the_measure_tells_hard_from_plain():
    """The check has teeth: a pre-rewrite sentence fails it and its rewrite passes."""
    before = ("A high level can be seen with ovarian cancer, but also with periods, pregnancy, "
              "endometriosis, fibroids, pelvic infection, liver disease, and other conditions "
              "that irritate the lining of the belly or chest.")
    after = ("A high level can be seen with ovarian cancer. But it can also be seen with "
             "periods, pregnancy or fibroids.")
    assert reading_grade(before) > MAX_GRADE >= reading_grade(after)
