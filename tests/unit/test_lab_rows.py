"""The general parser on laid-out text: each case a lab layout can throw at it, one at a time.

These work on text as pypdf's layout mode gives it, so each rule is tested without a PDF;
tests/integration/test_labs_parse.py runs the same parser on real generated PDFs.
"""

from __future__ import annotations

from carebook.labs.report import parse_pages


def _rows(*lines: str) -> list[dict]:
    return parse_pages(["\n".join(lines)])["results"]


def _one(rows: list[dict], name: str) -> dict:
    found = [row for row in rows if row["name"] == name]
    assert len(found) == 1, [row["name"] for row in rows]
    return found[0]


def test_the_previous_result_column_is_never_the_value():
    rows = _rows(
        "Test            Previous (12/03/2025)   Result    Unit      Reference range",
        "Glucose         131                     98        mg/dL     70 - 99",
        "Sodium                                  141       mmol/L    136 - 145",
    )
    glucose = _one(rows, "Glucose")
    assert (glucose["value"], glucose["flag"], glucose["analyte"]) == (98.0, "N", "glucose")
    assert _one(rows, "Sodium")["value"] == 141.0


def test_a_value_in_the_out_of_range_column_is_flagged_by_the_range():
    rows = _rows(
        "Analyse           In range     Out of range    Unit       Reference",
        "Potassium                      5.9             mmol/L     3.5 - 5.1",
        "Chloride          101                          mmol/L     98 - 107",
    )
    assert _one(rows, "Potassium")["flag"] == "H"
    assert _one(rows, "Chloride")["flag"] == "N"


def test_units_inside_the_range_and_range_forms():
    rows = _rows(
        "Total cholesterol      231      <200 mg/dL",
        "HDL cholesterol        52       > OR = 40 mg/dL",
        "eGFR                   88       >59 mL/min/1.73m2",
        "Leucocytes             4 500    (4 000 à 10 000) /mm3",
        "Sodium                 139      [133 - 146] mmol/L",
    )
    cholesterol = _one(rows, "Total cholesterol")
    assert (cholesterol["ref_low"], cholesterol["ref_high"], cholesterol["flag"]) == \
        (None, 200.0, "H")
    assert cholesterol["unit"] == "mg/dL"
    assert _one(rows, "HDL cholesterol")["ref_low"] == 40.0
    assert _one(rows, "eGFR")["ref_low"] == 59.0
    leucocytes = _one(rows, "Leucocytes")
    assert (leucocytes["value"], leucocytes["ref_low"], leucocytes["ref_high"]) == \
        (4500.0, 4000.0, 10000.0)
    assert _one(rows, "Sodium")["ref_high"] == 146.0


def test_decimal_commas_flags_and_a_second_unit_line():
    rows = _rows(
        "Glycémie à jeun         1,12 g/L    H     0,70 - 1,05",
        "   soit 6,22 mmol/L",
        "Créatinine              8,1  mg/L   *     6,0 - 11,0",
        "Hémoglobine             11,2 g/dL   L     12,0 - 16,0",
    )
    assert len(rows) == 3  # the "soit" line is the same value again, not a result
    glucose = _one(rows, "Glycémie à jeun")
    assert (glucose["value"], glucose["unit"], glucose["flag"]) == (1.12, "g/L", "H")
    # "*" marks it abnormal, but the value sits inside its range: kept, and doubted.
    creatinine = _one(rows, "Créatinine")
    assert creatinine["flag"] == "A" and creatinine["confidence"] < 1
    assert _one(rows, "Hémoglobine")["flag"] == "L"


def test_a_printed_flag_that_contradicts_the_range_lowers_confidence():
    rows = _rows("Potassium      4.2    H    mmol/L    3.5 - 5.1")
    potassium = _one(rows, "Potassium")
    assert potassium["flag"] == "H"
    assert potassium["confidence"] < 1
    assert any(doubt["field"] == "flag" for doubt in potassium["doubts"])


def test_names_wrapped_over_two_lines_are_joined():
    rows = _rows(
        "Test                          Result      Unit     Reference",
        "Gamma-glutamyl",
        "transferase                   45          U/L      < 55",
        "Alanine aminotransferase      22          U/L      7 - 40",
        "(ALT)",
    )
    assert _one(rows, "Gamma-glutamyl transferase")["analyte"] == "ggt"
    assert _one(rows, "Alanine aminotransferase (ALT)")["value"] == 22.0


def test_two_tables_side_by_side_and_glued_tokens():
    rows = _rows(
        "Hemoglobina    12,1   g/dL    [12,0 - 16,0]        Glucosa104   mg/dL   [74 - 100]",
        "Sodium         140mmol/L      136 - 145            TSH3,61      µUI/mL  [0,35 - 4,94]",
    )
    assert _one(rows, "Glucosa")["value"] == 104.0
    assert _one(rows, "Glucosa")["flag"] == "H"
    assert _one(rows, "Sodium")["unit"] == "mmol/L"
    assert _one(rows, "TSH")["value"] == 3.61


def test_tiered_ranges_over_several_lines_take_the_healthy_tier():
    rows = _rows(
        "Test                       Result     Unit     Biological Ref. Range",
        "VITAMIN D Total (25-OH)  : 21.96      ng/mL    Deficiency : < 20",
        "                                               Insufficiency: 21-30",
        "                                               Sufficient : 31-100",
        "HbA1C                    : 5.30       %        Normal: <5.7 ; Prediabetic: 5.7-6.4",
    )
    vitamin_d = _one(rows, "VITAMIN D Total (25-OH)")
    assert (vitamin_d["ref_low"], vitamin_d["ref_high"], vitamin_d["flag"]) == (31.0, 100.0, "L")
    assert _one(rows, "HbA1C")["ref_high"] == 5.7
    assert len(rows) == 2  # the range's other lines are not results


def test_qualitative_results_and_dipstick_grades():
    rows = _rows(
        "Test                Result        Reference",
        "Protein             Negative      Negative",
        "Nitrite             Positive      Negative",
        "Occult blood        1+            Negative",
        "Pus cells           2-4 /hpf      0 - 5",
    )
    assert _one(rows, "Protein")["flag"] == "N"
    assert _one(rows, "Nitrite")["flag"] == "A"
    blood = _one(rows, "Occult blood")
    assert (blood["value"], blood["value_text"], blood["flag"]) == (None, "1+", "A")
    assert _one(rows, "Pus cells")["flag"] == "N"


def test_lines_that_look_like_results_but_are_not():
    rows = _rows(
        "Age/Sex        : 54 Yrs. / F",
        "Method: enzymatic   2021",
        "Page 1/3",
        "Fasting: yes",
        "Glucose        92      mg/dL     70 - 99",
    )
    assert [row["name"] for row in rows] == ["Glucose"]


def test_dot_leaders_and_a_unit_with_a_note():
    rows = _rows(
        "HAEMOGLOBIN ...............   128 g/L   (130-170) L",
        "LDL-Cholesterol   133   H   mg/dL (calc)   <100",
    )
    assert _one(rows, "HAEMOGLOBIN")["flag"] == "L"
    ldl = _one(rows, "LDL-Cholesterol")
    assert (ldl["unit"], ldl["ref_high"], ldl["flag"]) == ("mg/dL", 100.0, "H")


def test_ldl_that_disagrees_with_friedewald_is_doubted():
    rows = _rows(
        "Total cholesterol   200   mg/dL   < 200",
        "HDL cholesterol     50    mg/dL   > 40",
        "Triglycerides       100   mg/dL   < 150",
        "LDL cholesterol     160   mg/dL   < 130",
    )
    assert _one(rows, "LDL cholesterol")["confidence"] < 1
    assert _one(rows, "HDL cholesterol")["confidence"] == 1


def test_impossible_values_are_doubted():
    rows = _rows("Sodium     1400    mmol/L    136 - 145")
    assert _one(rows, "Sodium")["confidence"] < 1


def test_a_header_without_a_name_title_and_a_flag_at_the_far_left():
    rows = _rows(
        "Flag     Component                   Value      Units      Ref Range",
        "HIGH     White Blood Cell Count      11,250     cells/uL   3,800-10,800",
        "         Lipase                      48         U/L        13 - 60",
        "         % Saturation                10         %          15 - 55",
    )
    wbc = _one(rows, "White Blood Cell Count")
    assert (wbc["value"], wbc["flag"], wbc["ref_high"]) == (11250.0, "H", 10800.0)
    assert _one(rows, "Lipase")["value"] == 48.0  # a name the catalogue need not know
    assert _one(rows, "% Saturation")["flag"] == "L"


def test_footnote_marks_and_a_name_ending_in_a_comma():
    rows = _rows(
        "Test                    Result    Units    Reference",
        "Glucose¹                98        mg/dL    70 - 99",
        "Sodium (a)              140       mmol/L   136 - 145",
        "Creatine Kinase,",
        "Total (CK)              1,874     U/L      39 - 308",
    )
    assert _one(rows, "Glucose")["analyte"] == "glucose"
    assert _one(rows, "Sodium")["analyte"] == "sodium"
    assert _one(rows, "Creatine Kinase, Total (CK)")["value"] == 1874.0


def test_points_group_thousands_where_decimals_take_a_comma():
    rows = _rows(
        "Untersuchung    Befund        Einheit    Normbereich",
        "Hämoglobin      13,9          g/dl       12,0 - 16,0",
        "NT-proBNP       2.140   ++    pg/ml      < 486",
    )
    probnp = _one(rows, "NT-proBNP")
    assert (probnp["value"], probnp["flag"]) == (2140.0, "H")


def test_the_report_family_decides_an_ambiguous_date():
    us = parse_pages(["Specimen ID: 0001      Collected: 03/02/2026\n"
                      "Tests       Result     Units     Reference Interval\n"
                      "Glucose     92         mg/dL     65-99"])
    uk = parse_pages(["Hospital No: 0001      MRN 55      Collected: 03/02/2026\n"
                      "Investigation       Result         Reference interval\n"
                      "Haemoglobin         131 g/L        120 - 150\n"
                      "Creatinine          71 umol/L      45 - 90"])
    assert (us["family"], us["collected_at"]) == ("US laboratory report", "2026-03-02")
    assert uk["family"] == "UK or Commonwealth laboratory report"
    assert uk["collected_at"] == "2026-02-03"
    # A date that can be read only one way outranks the family.
    assert parse_pages(["Specimen ID: 1   Acct 2   Collected: 23/02/2026"])["collected_at"] \
        == "2026-02-23"


def test_a_value_that_fits_another_unit_is_doubted():
    rows = _rows("Glucose      5.5     mg/dL     70 - 99")
    glucose = _one(rows, "Glucose")
    assert glucose["confidence"] < 1
    assert any("mmol/L" in doubt["text"] for doubt in glucose["doubts"])


def test_separate_low_and_high_columns_make_the_range():
    rows = _rows(
        " Test                Result   Flag      Low    High    Units",
        " Glucose              112.0     H       70.0    99.0   mg/dL",
        " AST                   22.0                     32.0   U/L",
        " HDL Cholesterol       58.0             40.0           mg/dL",
    )
    glucose = _one(rows, "Glucose")
    assert (glucose["ref_low"], glucose["ref_high"], glucose["flag"]) == (70.0, 99.0, "H")
    assert (_one(rows, "AST")["ref_high"], _one(rows, "AST")["flag"]) == (32.0, "N")
    assert _one(rows, "HDL Cholesterol")["ref_low"] == 40.0


def test_units_named_in_a_column_title_or_a_section_title():
    rows = _rows(
        "Test        Result (mmol/L)     Reference (mmol/L)",
        "Sodium      139                 135 - 145",
        "LIVER ENZYMES (U/L)",
        "ALT         31                  7 - 56",
        "GGT         40     IU/L         8 - 61",
    )
    assert _one(rows, "Sodium")["unit"] == "mmol/L"
    assert _one(rows, "ALT")["unit"] == "U/L"
    assert _one(rows, "GGT")["unit"] == "[IU]/L"  # the row's own unit wins


def test_a_compact_line_and_a_less_or_equal_value():
    rows = _rows(
        "TSH 1.86 mIU/L (0.40 — 4.00)",
        "hs-CRP      ≤0.20    mg/L    0.00 — 3.00",
    )
    tsh = _one(rows, "TSH")
    assert (tsh["value"], tsh["ref_low"], tsh["ref_high"]) == (1.86, 0.40, 4.00)
    assert _one(rows, "hs-CRP")["value"] == 0.20


def test_two_digit_years_after_a_month_name():
    assert parse_pages(["Specimen Collected: 12-Nov-26 09:40   Received: 12-Nov-26"])[
        "collected_at"] == "2026-11-12"


def test_a_page_in_two_columns_is_read_left_then_right():
    left = ["Investigation        Result  Unit   Reference",
            "Fibrinogen (Clauss)     4.6  g/L    1.5 - 4.0",
            "Prothrombin time       11.8  s      10.0 - 13.5",
            "Serum ferritin            6  ug/L   15 - 150",
            "Transferrin saturation    9  %      20 - 50",
            "Sodium                  139  mmol/L 135 - 145",
            "Potassium               4.1  mmol/L 3.5 - 5.1"]
    right = ["Investigation        Result  Unit   Reference",
             "Serum folate            3.1  ug/L   > 3.9",
             "Specific gravity      1.015         1.005 - 1.030",
             "Protein               Trace         Negative",
             "Nitrite            Negative         Negative",
             "Chloride               101   mmol/L 98 - 107",
             ""]
    page = "\n".join(f"{a:<52}        {b}" for a, b in zip(left, right, strict=False))
    rows = parse_pages([page])["results"]
    assert _one(rows, "Serum ferritin")["value"] == 6.0
    assert _one(rows, "Serum folate")["flag"] == "L"
    assert _one(rows, "Protein")["flag"] == "A"
    assert len(rows) == 11


def test_tabs_and_ligatures_from_some_producers():
    from carebook.labs.pdf_text import normalise_page_text

    page = normalise_page_text("Estimated\tglomerular\tﬁltration\trate   35   >\t60   mL/min")
    assert "filtration rate" in page
    row = _one(parse_pages([page])["results"], "Estimated glomerular filtration rate")
    assert (row["value"], row["ref_low"], row["flag"]) == (35.0, 60.0, "L")


def test_a_cumulative_report_takes_the_column_of_the_collection_date():
    lines = ["Entnahme: 12.03.2026",
             "Untersuchung   Einheit   Referenzbereich   14.10.2025   09.01.2026   12.03.2026",
             "Leukozyten     /nl       3,9 - 10,5              6,1          7,4       11,8 +",
             "Hämoglobin     g/dl      12,0 - 15,4            13,1         12,6       11,7 -"]
    rows = _rows(*lines)
    assert _one(rows, "Leukozyten")["value"] == 11.8
    assert _one(rows, "Hämoglobin")["flag"] == "L"
    # The same table with the newest column first.
    flipped = ["Collected: 03/12/2026",
               "Test          12/03/2026       09/01/2026       14/10/2025   Units   Reference",
               "TSH                 2.31                -             2.05   mU/L    0.27 - 4.20",
               "Vitamin B12            -              312                -   ng/L    187 - 883"]
    rows = _rows(*flipped)
    assert (_one(rows, "TSH")["value"], _one(rows, "TSH")["flag"]) == (2.31, "N")
    assert all(row["name"] != "Vitamin B12" for row in rows)  # not measured this time


def test_results_printed_as_blocks():
    rows = _rows("Glucose", "97 mg/dL", "Reference: 70-99",
                 "Hemoglobin A1c", "6.3 %                        High", "Reference: <5.7")
    glucose = _one(rows, "Glucose")
    assert (glucose["value"], glucose["ref_high"], glucose["flag"]) == (97.0, 99.0, "N")
    assert _one(rows, "Hemoglobin A1c")["flag"] == "H"


def test_code_columns_legends_and_bilingual_names():
    rows = _rows(
        "Código    Prueba            Resultado   Unidades   Valores de referencia",
        "2345-7    Glucosa                 118   mg/dL      74 - 106",
        "410       Hemoglobina            11,4   g/dL       12,0 - 15,6",
        "H = Élevé / High   L = Bas / Low",
    )
    assert _one(rows, "Glucosa")["flag"] == "H"
    assert _one(rows, "Hemoglobina")["flag"] == "L"
    assert len(rows) == 2
    both = _rows("Créatinine / Creatinine     71    µmol/L    45 - 90")
    assert _one(both, "Créatinine / Creatinine")["analyte"] == "creatinine"


def test_page_numbers_addresses_and_notes_are_not_results():
    rows = _rows(
        "Riverside Pathology Services",
        "220 Elm Street, Suite 4, Springfield",
        "Libellé          Unité     Résultat antérieur     Normes          Résultats",
        "Hématies         10^12/L               6,88      4,20 - 5,40          5,29",
        "    Objetivo en pacientes diabéticos: inferior a 7,0 %.",
        "VILLALBA OTERO, Hugo                                        Página 1 de 2",
    )
    assert [row["name"] for row in rows] == ["Hématies"]
    assert rows[0]["value"] == 5.29  # "antérieur" is the previous result


def test_result_cards_a_comments_column_and_not_detected():
    cards = _rows("  Glucose",
                  "  Your value                       Standard range                   Flag",
                  "  104 mg/dL                        70 - 99 mg/dL                    High")
    glucose = _one(cards, "Glucose")
    assert (glucose["value"], glucose["ref_high"], glucose["flag"]) == (104.0, 99.0, "H")
    commented = _rows(
        " Component        Value    Standard Range    Comments",
        " Triglycerides      148    <150 mg/dL        Fasting 9-12 hours is recommended",
    )
    triglycerides = _one(commented, "Triglycerides")
    assert (triglycerides["ref_high"], triglycerides["flag"]) == (150.0, "N")
    urine = _rows("Parameter   Ergebnis   Referenzbereich", "Nitrit      n.n.       n.n.")
    assert _one(urine, "Nitrit")["flag"] == "N"


def test_a_percentage_and_a_count_on_one_line_are_two_results():
    rows = _rows("Polynucléaires neutrophiles     72,5  %     8,56  G/L     (1,80 - 7,50 G/L)")
    by_analyte = {row["analyte"]: row for row in rows}
    assert by_analyte["neutrophils_pct"]["value"] == 72.5
    count = by_analyte["neutrophils_abs"]
    assert (count["value"], count["ref_high"], count["flag"]) == (8.56, 7.5, "H")
