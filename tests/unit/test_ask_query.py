"""Reading a free-text question: tests, kinds of record, dates and leftover words, with the
real analyte catalogue, in English and some French, German and Spanish."""

from __future__ import annotations

from datetime import date

import pytest

from carebook.assistant.ask_query import months_before, read_dates, understand
from carebook.knowledge import load_catalogue

TODAY = date(2026, 3, 14)  # a Saturday
LAST_YEAR = date(2025, 1, 1)
CHOLESTEROL = ("total_cholesterol", "ldl_cholesterol", "ldl_cholesterol_direct",
               "hdl_cholesterol")


@pytest.fixture(scope="module")
def catalogue():
    """The catalogue Carebook ships."""
    return load_catalogue()


def _ask(catalogue, question: str, names=()):
    return understand(question, catalogue, TODAY, names)


# (question, analytes expected exactly)
ANALYTE_CASES = [
    ("Has my cholesterol improved since last year?", CHOLESTEROL),
    ("What is my LDL?", ("ldl_cholesterol", "ldl_cholesterol_direct")),
    ("my good cholesterol", ("hdl_cholesterol",)),
    ("Total cholesterol please", ("total_cholesterol",)),
    ("How is my blood sugar?", ("glucose", "hba1c")),
    ("ma glycémie", ("glucose", "hba1c")),
    ("What was my HbA1c?", ("hba1c",)),
    ("a1c", ("hba1c",)),
    ("How are my kidneys?", ("creatinine", "egfr", "egfr_ckd_epi_2021", "egfr_ckd_epi_cr_cys",
                             "egfr_cystatin_c", "egfr_mdrd", "urine_albumin_creatinine_ratio")),
    ("my liver tests", ("alt", "ast", "alp", "ggt", "bilirubin_total")),
    ("What about my thyroid?", ("tsh", "free_t4")),
    ("Is my free T4 normal?", ("free_t4",)),
    ("iron", ("ferritin", "iron")),
    ("Vitamin D levels", ("vitamin_d_25oh",)),
    ("blood count", ("hemoglobin", "wbc", "platelets")),
    ("HÉMOGLOBINE", ("hemoglobin",)),
    ("Wie ist mein Kreatinin?", ("creatinine",)),
    ("Glucosa en ayunas", ("glucose",)),
    ("Plaquettes et leucocytes", ("platelets", "wbc")),
    ("urine glucose", ("urine_glucose",)),
    ("glucose in my urine", ("urine_glucose",)),
    ("potassium and sodium", ("potassium", "sodium")),
    ("IgE totales", ("ige_total",)),
]


@pytest.mark.parametrize(("question", "expected"), ANALYTE_CASES)
def test_tests_are_found_by_any_name_or_everyday_word(catalogue, question, expected):
    """Catalogue names and synonyms in any language, accent- and case-blind, or a word."""
    assert _ask(catalogue, question).analytes == expected


@pytest.mark.parametrize("question", [
    "What is my K?",  # potassium's symbol, but also a letter
    "I take 500 mg a day",  # "mg" is magnesium's symbol
    "Did I have an allergic reaction?",  # "reaction" is a urine pH synonym
    "What colour was it?",
    "Is my blood pressure OK?",  # not "blood" (urine dipstick)
    "I got a cast on my arm",  # "got" (AST) and "cast" (urine casts)
])
def test_everyday_words_that_are_also_test_names_name_no_test(catalogue, question):
    """Short symbols and common words a catalogue lists as synonyms are not read as tests."""
    assert _ask(catalogue, question).analytes == ()


# (question, record types, vital kinds)
TYPE_CASES = [
    ("What is Dad allergic to?", ("allergy",), ()),
    ("What medicines do I take?", ("medication",), ()),
    ("Quels médicaments je prends ?", ("medication",), ()),
    ("Welche Medikamente nehme ich?", ("medication",), ()),
    ("¿Qué medicamentos tomo?", ("medication",), ()),
    ("When was my last tetanus shot?", ("immunization",), ()),
    ("What conditions do I have?", ("condition",), ()),
    ("When is my next appointment?", ("visit",), ()),
    ("What was my blood pressure last month?", ("vital",), ("blood_pressure",)),
    ("my weight and pulse", ("vital",), ("weight", "heart_rate")),
    ("Blutdruck", ("vital",), ("blood_pressure",)),
    ("What were my last blood test results?", ("lab_result",), ()),
]


@pytest.mark.parametrize(("question", "types", "kinds"), TYPE_CASES)
def test_kinds_of_record_are_found(catalogue, question, types, kinds):
    """Words for medicines, allergies, vaccinations, visits and vital signs, in 4 languages."""
    query = _ask(catalogue, question)
    assert (query.record_types, query.vital_kinds) == (types, kinds)
    assert query.analytes == ()


def test_leftover_words_are_kept_for_a_text_search(catalogue):
    """What no table names is kept (without stop words or the person's names)."""
    assert _ask(catalogue, "When was my last tetanus shot?").words == ("tetanus",)
    assert _ask(catalogue, "What is my IQ?").words == ("iq",)
    assert _ask(catalogue, "Is Léa allergic to peanuts?", names=("Léa",)).words == ("peanuts",)
    assert _ask(catalogue, "Is Léa allergic to peanuts?").words == ("lea", "peanuts")
    assert _ask(catalogue, "What medicines do I take?").words == ()


def test_phrases_that_named_tests_are_kept_to_filter_other_records(catalogue):
    """"medicines for cholesterol": the medicines are filtered by the word that named tests."""
    query = _ask(catalogue, "What medicines do I take for my cholesterol?")
    assert query.record_types == ("medication",) and query.phrases == ("cholesterol",)
    assert query.analytes == CHOLESTEROL


@pytest.mark.parametrize(("question", "wants"), [
    ("Has my cholesterol improved since last year?", True),
    ("Is my HbA1c going up? Has it gone up?", True),
    ("How has my TSH changed?", True),
    ("Show my ferritin trend", True),
    ("Mi colesterol ha mejorado?", True),
    ("Hat sich mein Blutzucker verschlechtert?", True),
    ("ferritin since 2024", True),  # "since" asks how it moved
    ("What is my ferritin?", False),
    ("ferritin in 2024", False),
])
def test_change_is_asked_by_words_or_by_since(catalogue, question, wants):
    """"improved", "gone up", "trend", "since …" ask for a comparison, nothing else does."""
    assert _ask(catalogue, question).wants_change is wants


# (question, since, until)
DATE_CASES = [
    ("cholesterol since last year", LAST_YEAR, None),
    ("cholesterol last year", LAST_YEAR, date(2025, 12, 31)),
    ("HbA1c in 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("glucose 2023", date(2023, 1, 1), date(2023, 12, 31)),
    ("glucose between 2023 and 2025", date(2023, 1, 1), date(2025, 12, 31)),
    ("glucose from 2023-02-01 to 2023-06-30", date(2023, 2, 1), date(2023, 6, 30)),
    ("TSH since 2025-06-01", date(2025, 6, 1), None),
    ("TSH in the last 6 months", date(2025, 9, 14), None),
    ("TSH over the past two years", date(2024, 3, 14), None),
    ("weight last 3 weeks", date(2026, 2, 21), None),
    ("TSH in the past year", date(2025, 3, 14), None),
    ("TSH since March", date(2026, 3, 1), None),
    ("TSH in May", date(2025, 5, 1), date(2025, 5, 31)),  # May has not come yet this year
    ("TSH since May 2024", date(2024, 5, 1), None),
    ("TSH this year", date(2026, 1, 1), None),
    ("blood pressure last month", date(2026, 2, 1), date(2026, 2, 28)),
    ("weight last week", date(2026, 3, 2), date(2026, 3, 8)),
    ("vitamin D recently", date(2025, 12, 14), None),
    ("before 2024", None, date(2023, 12, 31)),
    ("after 2024", date(2025, 1, 1), None),
    ("next appointment", TODAY, None),
    ("cholestérol depuis l'an dernier", LAST_YEAR, None),
    ("ferritine depuis mars 2024", date(2024, 3, 1), None),
    ("les 6 derniers mois", date(2025, 9, 14), None),
    ("entre 2023 et 2024", date(2023, 1, 1), date(2024, 12, 31)),
    ("Cholesterin seit letztem Jahr", LAST_YEAR, None),
    ("Blutdruck in den letzten 3 Monaten", date(2025, 12, 14), None),
    ("colesterol desde el año pasado", LAST_YEAR, None),
    ("vitamina D en los últimos 12 meses", date(2025, 3, 14), None),
    ("May I see my ferritin?", None, None),  # a verb, not a month
    ("What is my ferritin?", None, None),
]


@pytest.mark.parametrize(("question", "since", "until"), DATE_CASES)
def test_dates_become_a_window(catalogue, question, since, until):
    """Date phrases in four languages turn into a first and last day (either may be open)."""
    query = _ask(catalogue, question)
    assert (query.since, query.until) == (since, until)


def test_date_phrases_leave_no_words_behind(catalogue):
    """"since last year" is a window, not words to search for."""
    assert _ask(catalogue, "Has my cholesterol improved since last year?").words == ()
    assert _ask(catalogue, "ferritine depuis mars 2024").words == ()


def test_an_impossible_date_is_not_a_window():
    """"2024-02-31" is no date: it is left as text rather than failing."""
    since, until, _change, text = read_dates("since 2024-02-31", TODAY)
    assert (since, until) == (None, None) and "2024-02-31" in text


def test_months_before_keeps_the_day_or_takes_the_month_end():
    """31 March minus one month is the last day of February (a leap year here)."""
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 2) == date(2025, 11, 15)
    assert months_before(date(2026, 3, 14), 12) == date(2025, 3, 14)


def test_a_question_with_nothing_to_look_for_is_empty(catalogue):
    """Greetings and filler give an empty query (the answer then says it could not tell)."""
    assert _ask(catalogue, "Hello, how are you?").empty
    assert not _ask(catalogue, "What is my IQ?").empty
