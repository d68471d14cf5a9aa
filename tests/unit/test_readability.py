"""Reading grade: the English syllable counter, sentence splitting, and Flesch–Kincaid values
checked against grades worked out by hand from dictionary syllable counts."""

from __future__ import annotations

import pytest

from carebook.assistant.readability import counts, reading_grade, sentences, syllables

# Syllables as a dictionary gives them (CMU Pronouncing Dictionary, first pronunciation).
WORDS = [
    ("cat", 1), ("table", 2), ("make", 1), ("makes", 1), ("walked", 1), ("tested", 2),
    ("handled", 2), ("used", 1), ("boxes", 2), ("changes", 2), ("places", 2), ("likely", 2),
    ("every", 3), ("area", 3), ("being", 2), ("create", 2), ("created", 3), ("idea", 3),
    ("diabetes", 4), ("prediabetes", 5), ("anemia", 4), ("cholesterol", 4), ("hemoglobin", 4),
    ("triglycerides", 4), ("physician", 3), ("calcium", 3), ("potassium", 4), ("sodium", 3),
    ("ratio", 3), ("usual", 3), ("usually", 4), ("thyroid", 2), ("kidney", 2), ("platelets", 2),
    ("people", 2), ("doesn't", 2), ("isn't", 2), ("don't", 1), ("sometimes", 2),
    ("lifestyle", 2), ("carrying", 3), ("easier", 3), ("fatigue", 2), ("unique", 2),
    ("movement", 2), ("measurement", 3), ("reaction", 3), ("association", 5), ("diet", 2),
    ("experience", 4), ("you", 1), ("year", 1), ("blue", 1), ("value", 2), ("tissue", 2),
    ("inflammation", 4), ("infection", 3), ("medicine", 3), ("clinician", 3), ("guideline", 2),
    ("curvilinear", 5), ("oxygen", 3), ("carries", 2), ("insulin", 3), ("vitamin", 3),
]


@pytest.mark.parametrize(("word", "expected"), WORDS)
def test_syllables_match_the_dictionary(word, expected):
    assert syllables(word) == expected


def test_syllables_ignore_case_and_never_return_zero():
    assert syllables("HEMOGLOBIN") == syllables("hemoglobin") == 4
    assert syllables("mg") == 1  # no vowel: still one syllable
    assert syllables("") == 1


# Grades worked out by hand: 0.39 × words/sentences + 11.8 × syllables/words − 15.59, with
# the syllables a dictionary gives. The counter must land within half a grade of each.
REFERENCE = [
    ("The cat sat on the mat.", 1, 6, 6),
    ("Your blood sugar was high. Ask your doctor what it means.", 2, 11, 13),
    ("Hemoglobin carries oxygen in the blood.", 1, 6, 12),
    ("The quick brown fox jumps over the lazy dog.", 1, 9, 11),
    ("Glycated hemoglobin concentrations demonstrate a curvilinear association with "
     "cardiovascular morbidity.", 1, 10, 36),
    ("- Drink water.\n- Eat well\n- Sleep", 3, 5, 6),
]


@pytest.mark.parametrize(("text", "n_sentences", "n_words", "n_syllables"), REFERENCE)
def test_grade_matches_hand_computed_value(text, n_sentences, n_words, n_syllables):
    by_hand = 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59
    assert reading_grade(text) == pytest.approx(by_hand, abs=0.5)
    assert counts(text)[:2] == (n_sentences, n_words)


def test_the_cat_sat_on_the_mat_is_grade_minus_1_45():
    assert reading_grade("The cat sat on the mat.") == pytest.approx(-1.45, abs=0.01)


def test_plain_patient_text_reads_at_grade_8_or_under():
    assert reading_grade("Your blood sugar was high. Ask your doctor what it means.") <= 8
    assert reading_grade(
        "Your HbA1c is 6.4 %. That is higher than the usual range of 4.0 to 5.6 %. "
        "HbA1c shows your average blood sugar over the past 2 to 3 months. "
        "Ask your clinician what this means for you."
    ) <= 8


def test_dense_clinical_text_reads_above_grade_12():
    assert reading_grade(
        "Alanine aminotransferase and aspartate aminotransferase activities were moderately "
        "elevated, with a De Ritis ratio below unity, suggesting hepatocellular injury; "
        "differential considerations include nonalcoholic steatohepatitis, viral hepatitis, "
        "and medication-associated hepatotoxicity. Clinical correlation is recommended."
    ) > 12


# --- sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("Your HbA1c is 6.4 %. That is high.", ["Your HbA1c is 6.4 %.", "That is high."]),
    ("Foods, e.g. bread, raise it. Dr. Lee said so.",
     ["Foods, e.g. bread, raise it.", "Dr. Lee said so."]),
    ("It is low (approx. 5 mg/dL). Ask why.", ["It is low (approx. 5 mg/dL).", "Ask why."]),
    ("Glucose 5.4 mmol/L\n- HbA1c 6.4 %\n2) Ask this",
     ["Glucose 5.4 mmol/L", "HbA1c 6.4 %", "Ask this"]),
    ("You need vitamin D. It helps your bones.", ["You need vitamin D.", "It helps your bones."]),
    ("Is it high? Yes! It is.", ["Is it high?", "Yes!", "It is."]),
    ("The cat sat. The answer is no. Fine.", ["The cat sat.", "The answer is no.", "Fine."]),
    ("Wait... then ask.", ["Wait...", "then ask."]),
    ("\n\n  \n", []),
])
def test_sentence_splitting(text, expected):
    assert sentences(text) == expected


def test_a_bullet_list_is_read_as_short_sentences_not_one_long_one():
    bullets = "- Your HbA1c is 6.4 %\n- Your LDL is 4.1 mmol/L\n- Your TSH is 2.1"
    assert counts(bullets)[0] == 3
    assert reading_grade(bullets) < reading_grade(bullets.replace("\n", " "))


def test_a_number_is_one_word_of_one_syllable():
    assert counts("6.4") == (1, 1, 1)
    assert counts("1,200") == (1, 1, 1)
    assert counts("4.0-5.6") == (1, 2, 2)  # a range is two numbers
    # the value costs one syllable, not the five of "six point four percent"
    assert counts("It is 6.4 %.")[2] == counts("It is ten.")[2]


def test_codes_and_hyphenated_words_are_one_word():
    assert counts("HbA1c")[1] == 1
    assert counts("mg/dL")[1] == 1
    assert counts("thyroid-stimulating")[1:] == (1, 2 + 4)


def test_empty_text_has_grade_zero():
    assert reading_grade("") == 0.0
    assert reading_grade(" - \n * ") == 0.0
