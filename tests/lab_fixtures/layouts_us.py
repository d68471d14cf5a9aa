"""US-style synthetic reports: an in-range/out-of-range layout and a previous-result layout."""

from __future__ import annotations

from reportlab.lib.pagesizes import LETTER

from .pdf_canvas import Fmt, Row, Sheet, two_pass
from .tables import Col, Note, PageBreak, Section, Table


def us_quest() -> tuple[bytes, dict]:
    """In Range / Out Of Range columns, units only inside the range, H/L after the value."""
    fmt = Fmt(between="{lo}-{hi}", lt="<{hi}", ge="> OR = {lo}", unit_in_range=True,
              flags={"H": "H", "L": "L"})
    items = [
        Section("LIPID PANEL, STANDARD"),
        Row("CHOLESTEROL, TOTAL", 212, "mg/dL", None, 200, 0, "2093-3"),
        Row("HDL CHOLESTEROL", 46, "mg/dL", 50, None, 0, "2085-9", incl=True),
        Row("TRIGLYCERIDES", 138, "mg/dL", None, 150, 0, "2571-8"),
        Row("LDL-CHOLESTEROL", 139, "mg/dL", None, 100, 0, "13457-7"),
        Note("Desirable range <100 mg/dL for primary prevention; <70 mg/dL for patients"),
        Note("with CHD or diabetic patients with > or = 2 CHD risk factors."),
        Row("NON HDL CHOLESTEROL", 166, "mg/dL", None, 130, 0, "43396-1"),
        Section("COMPREHENSIVE METABOLIC PANEL"),
        Row("GLUCOSE", 92, "mg/dL", 65, 99, 0, "2345-7"),
        Note("Fasting reference interval"),
        Row("UREA NITROGEN (BUN)", 18, "mg/dL", 7, 25, 0, "3094-0"),
        Row("CREATININE", 0.84, "mg/dL", 0.50, 1.05, 2, "2160-0"),
        Row("EGFR", 79, "mL/min/1.73m2", 60, None, 0, "98979-8", incl=True),
        Row("SODIUM", 141, "mmol/L", 135, 146, 0, "2951-2"),
        Row("POTASSIUM", 5.4, "mmol/L", 3.5, 5.3, 1, "2823-3"),
        Row("CHLORIDE", 103, "mmol/L", 98, 110, 0, "2075-0"),
        Row("CARBON DIOXIDE", 27, "mmol/L", 20, 32, 0, "2028-9"),
        Row("CALCIUM", 9.6, "mg/dL", 8.6, 10.4, 1, "17861-6"),
        PageBreak(),
        Row("PROTEIN, TOTAL", 7.1, "g/dL", 6.1, 8.1, 1, "2885-2"),
        Row("ALBUMIN", 4.4, "g/dL", 3.6, 5.1, 1, "1751-7"),
        Row("BILIRUBIN, TOTAL", 0.6, "mg/dL", 0.2, 1.2, 1, "1975-2"),
        Row("ALKALINE PHOSPHATASE", 72, "U/L", 37, 153, 0, "6768-6"),
        Row("AST", 24, "U/L", 10, 35, 0, "1920-8"),
        Row("ALT", 41, "U/L", 6, 29, 0, "1742-6"),
        Section("HEMOGLOBIN A1c"),
        Row("HEMOGLOBIN A1c", 6.1, "% of total Hgb", None, 5.7, 1, "4548-4"),
        Note("For someone without known diabetes, a hemoglobin A1c value between 5.7% and"),
        Note("6.4% is consistent with prediabetes and should be confirmed with a follow-up test."),
        Section("TSH"),
        Row("TSH", 2.14, "mIU/L", 0.40, 4.50, 2, "3016-3"),
        Section("VITAMIN D,25-OH,TOTAL,IA"),
        Row("VITAMIN D,25-OH,TOTAL,IA", 24, "ng/mL", 30, 100, 0, "62292-8"),
        Note("Vitamin D Status        25-OH Vitamin D:"),
        Note("Deficiency:             <20 ng/mL"),
        Note("Insufficiency:          20 - 29 ng/mL"),
        Note("Optimal:                > or = 30 ng/mL"),
        Note("Note: values checked twice. Fasting: YES"),
    ]
    cols = [Col("name", 40), Col("in", 250), Col("out", 318), Col("range", 396)]

    def decorate(s: Sheet) -> float:
        c = s.c
        s.text(40, 752, "Synthetic Diagnostics", font="Helvetica-Bold", size=15)
        s.text(572, 752, "Patient Report", font="Helvetica-Bold", size=11, align="right")
        c.setLineWidth(1)
        c.rect(36, 628, 540, 110)
        s.text(44, 726, "Patient Information", font="Helvetica-Bold", size=8)
        s.text(240, 726, "Specimen Information", font="Helvetica-Bold", size=8)
        s.text(432, 726, "Client Information", font="Helvetica-Bold", size=8)
        left = ["TEST PATIENT A", "DOB: 04/11/1962     AGE: 64", "Gender: F",
                "Patient ID: TPA-48213-Q", "Phone: 555-0142"]
        mid = ["Specimen: QX907712S", "Requisition: 0048213",
               "Collected: 09/18/2026 / 07:45 EDT", "Received: 09/18/2026 / 10:02 EDT",
               "Reported: 09/20/2026 / 14:31 EDT"]
        right = ["Client #: 73310042", "EXAMPLE FAMILY PRACTICE", "100 SAMPLE ST",
                 "ANYTOWN, ZZ 00000"]
        for x, lines in ((44, left), (240, mid), (432, right)):
            for i, t in enumerate(lines):
                s.text(x, 712 - 13 * i, t, size=8.5)
        y = 606
        for col, title in zip(cols, ("Test Name", "In Range", "Out Of Range", "Reference Range"),
                              strict=True):
            s.text(col.x, y, title, font="Helvetica-Bold")
        s.rule(36, y - 4, 576)
        s.text(40, 50, "TEST PATIENT A  -  QX907712S", size=7.5)
        s.text(306, 50, f"Page {s.page} of {s.total}", size=7.5, align="centre")
        s.text(572, 50, "Synthetic Diagnostics, 1200 Example Parkway, Springfield ZZ 00000",
               size=6.5, align="right")
        return y - 18

    def draw(total: int) -> Sheet:
        s = Sheet("us_quest", "2026-09-18", decorate, total=total, pagesize=LETTER)
        Table(s, fmt, cols, line=13).draw(items, s.start(), bottom=72)
        return s

    return two_pass(draw)


def us_labcorp() -> tuple[bytes, dict]:
    """Current result and flag, then a previous result with its date; High/Low; wrapped names."""
    fmt = Fmt(between="{lo}-{hi}", gt=">{lo}", flags={"H": "High", "L": "Low"})
    old = "01/15/2025"

    def p(v: str) -> str:
        return f"{v}    {old}"

    items = [
        Section("CBC With Differential/Platelet"),
        Row("WBC", 7.2, "x10E3/uL", 3.4, 10.8, 1, "6690-2", prev=p("6.8")),
        Row("RBC", 4.61, "x10E6/uL", 4.14, 5.80, 2, "789-8", prev=p("4.70")),
        Row("Hemoglobin", 13.9, "g/dL", 13.0, 17.7, 1, "718-7", prev=p("14.4")),
        Row("Hematocrit", 41.8, "%", 37.5, 51.0, 1, "4544-3", prev=p("43.0")),
        Row("MCV", 91, "fL", 79, 97, 0, "787-2", prev=p("90")),
        Row("MCH", 30.2, "pg", 26.6, 33.0, 1, "785-6"),
        Row("MCHC", 33.3, "g/dL", 31.5, 35.7, 1, "786-4"),
        Row("RDW", 15.9, "%", 11.6, 15.4, 1, "788-0", prev=p("14.8")),
        Row("Platelets", 142, "x10E3/uL", 150, 450, 0, "777-3", prev=p("161")),
        Row("Neutrophils", 61, "%", dec=0, loinc="770-8", rtext="Not Estab."),
        Row("Lymphs", 29, "%", dec=0, loinc="736-9", rtext="Not Estab."),
        Row("Monocytes", 7, "%", dec=0, loinc="5905-5", rtext="Not Estab."),
        Row("Eos", 2, "%", dec=0, loinc="713-8", rtext="Not Estab."),
        Row("Basos", 1, "%", dec=0, loinc="706-2", rtext="Not Estab."),
        Row("Neutrophils (Absolute)", 4.4, "x10E3/uL", 1.4, 7.0, 1, "751-8"),
        Row("Lymphs (Absolute)", 2.1, "x10E3/uL", 0.7, 3.1, 1, "731-0"),
        Section("Comp. Metabolic Panel (14)"),
        Row("Glucose", 101, "mg/dL", 70, 99, 0, "2345-7", prev=p("94")),
        Row("BUN", 14, "mg/dL", 6, 24, 0, "3094-0"),
        Row("Creatinine", 1.02, "mg/dL", 0.76, 1.27, 2, "2160-0", prev=p("0.98")),
        Row("Glomerular Filtration Rate, Estimated (CKD-EPI 2021)", 88, "mL/min/1.73", 59, None,
            0, "98979-8", wrap=("Glomerular Filtration Rate,", "Estimated (CKD-EPI 2021)")),
        Row("Sodium", 139, "mmol/L", 134, 144, 0, "2951-2"),
        Row("Potassium", 4.3, "mmol/L", 3.5, 5.2, 1, "2823-3"),
        Row("Chloride", 102, "mmol/L", 96, 106, 0, "2075-0"),
        Row("Carbon Dioxide, Total", 24, "mmol/L", 20, 29, 0, "2028-9"),
        Row("Calcium", 9.4, "mg/dL", 8.7, 10.2, 1, "17861-6"),
        Section("Lipid Panel"),
        Row("Cholesterol, Total", 231, "mg/dL", 100, 199, 0, "2093-3", prev=p("214")),
        Row("Triglycerides", 96, "mg/dL", 0, 149, 0, "2571-8"),
        Row("HDL Cholesterol", 52, "mg/dL", 39, None, 0, "2085-9"),
        Row("VLDL Cholesterol Cal", 19, "mg/dL", 5, 40, 0, None),
        Row("LDL Chol Calc (NIH)", 160, "mg/dL", 0, 99, 0, "13457-7", prev=p("141")),
        Section("Hemoglobin A1c"),
        Row("Hemoglobin A1c", 5.5, "%", 4.8, 5.6, 1, "4548-4", prev=p("5.4")),
        Note("Please Note:   Prediabetes: 5.7 - 6.4   Diabetes: >6.4"),
        Note("Glycemic control for adults with diabetes: <7.0"),
        Row("Prostate Specific Antigen, Total", 1.3, "ng/mL", 0.0, 4.0, 1, "2857-1",
            wrap=("Prostate Specific", "Antigen, Total"), vline=1),
        Note("Roche ECLIA methodology. Values obtained with different assay methods"),
        Note("or kits cannot be used interchangeably."),
        Row("C-Reactive Protein, Cardiac", 0.61, "mg/L", 0.00, 3.00, 2, "30522-7"),
    ]
    cols = [Col("name", 40), Col("value_flag", 200), Col("prev", 300), Col("unit", 412),
            Col("range", 488)]

    def decorate(s: Sheet) -> float:
        s.text(40, 754, "Synthetic Reference Laboratories", font="Times-Bold", size=14)
        s.text(572, 754, "Patient Report", font="Times-Bold", size=12, align="right")
        rows = [
            ("Patient ID: 77-413-902", "Specimen ID: 061-482-7731-0", "Acct #: 90011273"),
            ("TEST PATIENT B", "Date collected: 03/02/2026 0812 Local",
             "Ordering: EXAMPLE, DOC MD"),
            ("DOB: 11/30/1979", "Date received: 03/02/2026", "Phone: (555) 010-0199"),
            ("Age: 46    Sex: Male", "Date reported: 03/04/2026 0543 Local", "Fasting: Yes"),
        ]
        for i, row in enumerate(rows):
            for x, t in zip((40, 220, 420), row, strict=True):
                s.text(x, 730 - 13 * i, t, font="Times-Bold" if i == 1 and x == 40 else None)
        s.rule(36, 672, 576, 1)
        heads = ("Tests", "Current Result and Flag", "Previous Result and Date", "Units",
                 "Reference Interval")
        for col, title in zip(cols, heads, strict=True):
            s.text(col.x, 656, title, font="Times-Bold", size=8.5)
        s.rule(36, 651, 576)
        s.text(40, 40, "TEST PATIENT B   DOB: 11/30/1979   Patient Report", size=7.5)
        s.text(572, 40, f"Page {s.page} of {s.total}", size=7.5, align="right")
        s.text(40, 30, "Synthetic Reference Laboratories - 55 Sample Drive, Exampleton ZZ 00000",
               size=6.5)
        return 636

    def draw(total: int) -> Sheet:
        s = Sheet("us_labcorp", "2026-03-02", decorate, total=total, pagesize=LETTER,
                  font="Times-Roman", size=9.5)
        Table(s, fmt, cols, line=12.5).draw(items, s.start(), bottom=64)
        return s

    return two_pass(draw)
