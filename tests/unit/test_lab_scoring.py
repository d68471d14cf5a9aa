"""The lab-parser scoring: pairing rows, counting what was right, pooling reports."""

from __future__ import annotations

import copy

import pytest

from tests.lab_fixtures.scoring import combine, name_similarity, same_unit, score_report


def _row(name, value, unit="mg/dL", low=None, high=None, flag=None, page=1, loinc=None,
         text=None):
    return {"name": name, "loinc": loinc, "value": value,
            "value_text": text if text is not None else str(value), "unit": unit,
            "ref_low": low, "ref_high": high, "flag": flag, "page": page}


def _truth():
    return {"file": "synthetic.pdf", "collected_at": "2024-03-05", "results": [
        _row("Glucose, fasting", 92, "mg/dL", 70, 99, "N", loinc="1558-6"),
        _row("Creatinine", 1.3, "mg/dL", 0.6, 1.2, "H"),
        _row("Basophils", 0, "%", 0, 1, "N"),
        _row("Basophils absolute count", 0.0, "/uL", 0, 100, "N", text="0.00"),
        _row("HDL Cholesterol", 48, "mg/dL", 60, None, "L", page=2),
        _row("Urine protein", None, None, flag="N", page=2, text="Negative"),
    ]}


def _parsed(truth):
    """A prediction that equals the truth, in the `labs parse` shape."""
    return {"source": {"pages": 2}, "collected_at": truth["collected_at"],
            "results": copy.deepcopy(truth["results"])}


def test_a_perfect_parse_scores_one_everywhere():
    truth = _truth()
    score = score_report(_parsed(truth), truth)
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.matched == score.truth_rows == score.predicted_rows == 6
    assert score.range_correct == score.flag_correct == score.unit_correct == 6
    assert score.date_correct
    assert score.misses == [] and score.false_positives == [] and score.wrong_fields == []


def test_a_missing_row_lowers_recall_only_and_is_listed():
    truth = _truth()
    parsed = _parsed(truth)
    del parsed["results"][1]
    score = score_report(parsed, truth)
    assert score.precision == 1.0
    assert score.recall == pytest.approx(5 / 6)
    assert score.misses == [{"name": "Creatinine", "value": "1.3", "page": 1}]


def test_taking_the_previous_result_lowers_precision_and_recall():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][1].update(value=1.1, value_text="1.1", flag="N")  # last visit's column
    score = score_report(parsed, truth)
    assert score.precision == pytest.approx(5 / 6)
    assert score.recall == pytest.approx(5 / 6)
    assert score.false_positives == [{"name": "Creatinine", "value": "1.1", "page": 1}]
    assert [m["name"] for m in score.misses] == ["Creatinine"]


def test_a_wrong_range_lowers_range_accuracy_but_still_counts_as_found():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][4]["ref_low"] = 40  # took the "moderate risk" tier
    score = score_report(parsed, truth)
    assert score.recall == 1.0
    assert score.range_correct == 5
    assert score.to_dict()["range_accuracy"] == pytest.approx(5 / 6)
    assert score.wrong_fields[0]["wrong"] == ["range"]


def test_a_missing_bound_is_not_the_same_as_zero():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][4]["ref_high"] = 0
    assert score_report(parsed, truth).range_correct == 5


def test_wrong_flag_and_wrong_unit_are_counted_separately():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][1]["flag"] = "N"
    parsed["results"][0]["unit"] = "mmol/L"
    score = score_report(parsed, truth)
    assert (score.flag_correct, score.unit_correct, score.range_correct) == (5, 5, 6)


def test_an_equivalent_unit_spelling_counts_as_the_same_unit():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][0]["unit"] = "mg/dl"
    parsed["results"][3]["unit"] = "/ uL"
    score = score_report(parsed, truth)
    assert score.unit_correct == 6
    assert same_unit("µmol/L", "umol/L")
    assert same_unit(None, "  ") and not same_unit("mg/dL", None)
    assert not same_unit("mg/dL", "g/dL")


def test_numbers_match_within_a_relative_tolerance_only():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][0]["value"] = 92.00000001
    assert score_report(parsed, truth).matched == 6
    parsed["results"][0]["value"] = 92.01
    assert score_report(parsed, truth).matched == 5


def test_qualitative_results_compare_text_ignoring_case_and_spacing():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][5]["value_text"] = "  NEGATIVE "
    assert score_report(parsed, truth).matched == 6
    parsed["results"][5]["value_text"] = "Positive"
    assert score_report(parsed, truth).matched == 5


def test_a_row_on_another_page_is_not_a_match():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][4]["page"] = 1
    score = score_report(parsed, truth)
    assert score.matched == 5
    assert score.false_positives[0]["name"] == "HDL Cholesterol"


def test_same_value_under_an_unrelated_name_is_not_a_match():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][1]["name"] = "Uric acid"
    assert score_report(parsed, truth).matched == 5


def test_the_same_loinc_or_an_agreeing_name_pairs_rows():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"][0]["name"] = "FBS"  # no word in common, but the same LOINC
    assert score_report(parsed, truth).matched == 6
    # A general code where the truth has a method-specific one: the name still agrees.
    parsed["results"][0].update(name="Glucose, fasting", loinc="2345-7")
    assert score_report(parsed, truth).matched == 6
    parsed["results"][0].update(name="FBS", loinc="2345-7")
    assert score_report(parsed, truth).matched == 5


def test_shared_values_pair_by_the_best_fitting_name():
    truth = _truth()
    parsed = _parsed(truth)
    # Listed in the other order: both rows are worth 0 and either name contains "basophils".
    parsed["results"][2], parsed["results"][3] = parsed["results"][3], parsed["results"][2]
    score = score_report(parsed, truth)
    assert score.matched == 6
    assert score.unit_correct == 6 and score.range_correct == 6


def test_each_truth_row_is_matched_at_most_once():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["results"].append(copy.deepcopy(parsed["results"][1]))
    score = score_report(parsed, truth)
    assert score.matched == 6 and len(score.false_positives) == 1
    assert score.precision == pytest.approx(6 / 7)


def test_a_wrong_or_missing_date_is_reported():
    truth = _truth()
    parsed = _parsed(truth)
    parsed["collected_at"] = "2024-05-03"
    assert not score_report(parsed, truth).date_correct
    parsed["collected_at"] = None
    assert not score_report(parsed, truth).date_correct


def test_name_similarity_accepts_containment_and_overlap():
    assert name_similarity("TSH", "TSH (ultra)") >= 0.9
    assert name_similarity("Bilirubin (Total)", "Total bilirubin") == 1.0
    assert name_similarity("Sodium", "Potassium") == 0.0


def test_combine_pools_rows_across_reports():
    truth = _truth()
    perfect = score_report(_parsed(truth), truth)
    empty = score_report({"collected_at": None, "results": []}, truth)
    pooled = combine([perfect, empty])
    assert pooled["reports"] == 2
    assert pooled["truth_rows"] == 12 and pooled["matched"] == 6
    assert pooled["precision"] == 1.0
    assert pooled["recall"] == pytest.approx(0.5)
    assert pooled["f1"] == pytest.approx(2 / 3)
    assert pooled["date_accuracy"] == pytest.approx(0.5)
    assert pooled["range_accuracy"] == 1.0
    assert empty.f1 == 0.0
