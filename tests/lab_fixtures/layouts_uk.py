"""UK-style synthetic reports: previous column on the left, units in ranges, three pages."""

from __future__ import annotations

from .pdf_canvas import Fmt, Row, Sheet, two_pass
from .tables import Col, Note, PageBreak, Section, Table


def uk_gp() -> tuple[bytes, dict]:
    """Monospaced hospital print-out; the previous result sits LEFT of the current one."""
    fmt = Fmt(between="{lo} - {hi}", gt=">{lo}", flags={"H": "HIGH", "L": "LOW"})
    items = [
        Section("FULL BLOOD COUNT", font="Courier-Bold"),
        Row("Haemoglobin", 128, "g/L", 130, 170, 0, "718-7", prev=136),
        Row("White cell count", 11.8, "x10^9/L", 4.0, 11.0, 1, "6690-2", prev=7.9),
        Row("Platelet count", 310, "x10^9/L", 150, 400, 0, "777-3", prev=287),
        Row("Red cell count", 4.32, "x10^12/L", 4.50, 5.90, 2, "789-8", prev=4.61),
        Row("Haematocrit", 0.39, "L/L", 0.40, 0.52, 2, "4544-3", prev=0.42),
        Row("Mean cell volume", 90.3, "fL", 80, 100, 1, "787-2", rdec=0, prev=91.0),
        Row("Mean cell haemoglobin", 29.6, "pg", 27, 32, 1, "785-6", rdec=0, prev=29.5),
        Row("Neutrophils", 8.9, "x10^9/L", 2.0, 7.5, 1, "751-8", prev=4.6),
        Row("Lymphocytes", 2.1, "x10^9/L", 1.5, 4.0, 1, "731-0", prev=2.4),
        Row("Monocytes", 0.6, "x10^9/L", 0.2, 0.8, 1, "742-7", prev=0.5),
        Row("Eosinophils", 0.15, "x10^9/L", 0.0, 0.4, 2, "711-2", rdec=1, prev=0.2),
        Row("Basophils", 0.05, "x10^9/L", 0.0, 0.1, 2, "704-7", rdec=1, prev=0.04),
        Note("Film comment: neutrophilia, ? infection. Suggest repeat in 2-3 weeks.",
             font="Courier-Oblique"),
        Section("UREA AND ELECTROLYTES", font="Courier-Bold"),
        Row("Sodium", 131, "mmol/L", 133, 146, 0, "2951-2", prev=138),
        Row("Potassium", 4.6, "mmol/L", 3.5, 5.3, 1, "2823-3", prev=4.2),
        Note("Sample slightly haemolysed - potassium may be falsely raised.",
             font="Courier-Oblique"),
        Row("Urea", 7.9, "mmol/L", 2.5, 7.8, 1, "22664-7", prev=6.1),
        Row("Creatinine", 72, "umol/L", 59, 104, 0, "14682-9", prev=80),
        Row("eGFR", 90, "mL/min/1.73m2", 60, None, 0, None, text=">90", prev=">90"),
        Section("DIABETES / LIPIDS", font="Courier-Bold"),
        Row("HbA1c (IFCC)", 48, "mmol/mol", 20, 41, 0, "59261-8", prev=44),
        Note("HbA1c 42-47 mmol/mol: increased risk of diabetes.", font="Courier-Oblique"),
        Row("Total cholesterol", 5.8, "mmol/L", loinc="14647-2", prev=6.1),
        Row("HDL cholesterol", 1.3, "mmol/L", loinc="14646-4", prev=1.2),
        Row("Cholesterol/HDL ratio", 4.5, None, loinc=None, prev=5.1),
        Note("Fasting: no", font="Courier-Oblique"),
    ]
    cols = [Col("name", 40), Col("prev", 200), Col("value", 282), Col("unit", 340),
            Col("range", 430), Col("flag", 518)]

    def decorate(s: Sheet) -> float:
        b = "Courier-Bold"
        s.text(40, 800, "NORTHFIELD GENERAL HOSPITAL - BLOOD SCIENCES", font=b, size=11)
        s.text(40, 787, "Pathology Department, 1 Infirmary Lane, Northfield NF0 0AA", size=8)
        lines = [
            ("Patient : TEST, Patient C", "Hospital No : NF4419023"),
            ("DOB     : 03-Mar-1958", "NHS No      : 999 000 1234"),
            ("Sex     : M", "Location    : Example Surgery"),
            ("Date of collection : 21-Jan-2026 09:12", "Lab No : 26L004417"),
            ("Date received      : 21-Jan-2026 13:40", "Requested by : Dr A Example"),
            ("Report authorised  : 23-Jan-2026 10:05", "Specimen : Blood"),
        ]
        for i, (a, b2) in enumerate(lines):
            s.text(40, 762 - 12 * i, a)
            s.text(330, 762 - 12 * i, b2)
        s.rule(40, 684, 555)
        for col, title in zip(cols, ("Test", "Previous", "Result", "Units", "Ref. range",
                                     "Flag"), strict=True):
            s.text(col.x, 670, title, font=b)
        s.text(200, 659, "12-Nov-2025", size=8)
        s.text(282, 659, "21-Jan-2026", size=8)
        s.rule(40, 654, 555)
        s.text(40, 40, f"TEST, Patient C   NF4419023   Page {s.page} of {s.total}", size=8)
        return 638

    def draw(total: int) -> Sheet:
        s = Sheet("uk_gp", "2026-01-21", decorate, total=total, font="Courier", size=9)
        Table(s, fmt, cols, line=12).draw(items, s.start())
        return s

    return two_pass(draw)


def en_units_in_range() -> tuple[bytes, dict]:
    """No unit column (units only in the range text), no flags printed, embedded TrueType font."""
    fmt = Fmt(between="{lo} - {hi}", lt="< {hi}", gt="> {lo}", unit_in_range=True)
    items = [
        Section("IRON STUDIES", font="Vera-Bold"),
        Row("Iron", 9, "umol/L", 10, 30, 0, "14798-3"),
        Row("Transferrin", 3.4, "g/L", 2.0, 3.6, 1, None),
        Row("Transferrin Saturation", 11, "%", 15, 45, 0, "2502-3"),
        Row("Ferritin", 14, "ug/L", 30, 300, 0, "2276-4"),
        Note("Method: immunoturbidimetric", font="Vera"),
        Section("VITAMINS", font="Vera-Bold"),
        Row("Vitamin B12", 310, "pmol/L", 150, 700, 0, None),
        Row("Serum Folate", 21.4, "nmol/L", 7.0, None, 1, None),
        Row("25-OH Vitamin D", 48, "nmol/L", 50, 150, 0, None),
        Note("Note: values checked twice.", font="Vera"),
        Section("THYROID FUNCTION", font="Vera-Bold"),
        Row("TSH", 1.9, "mIU/L", 0.5, 4.0, 1, "3016-3"),
        Row("Free T4", 14, "pmol/L", 9, 19, 0, None),
        Row("Free T3", 4.8, "pmol/L", 2.6, 6.0, 1, None),
        Section("LIVER FUNCTION TESTS", font="Vera-Bold"),
        Row("Bilirubin", 12, "umol/L", None, 20, 0, "14631-6"),
        Row("ALT", 55, "U/L", None, 35, 0, "1742-6"),
        Row("ALP", 88, "U/L", 30, 110, 0, "6768-6"),
        Row("GGT", 62, "U/L", None, 38, 0, "2324-2"),
        Row("Albumin", 41, "g/L", 35, 50, 0, "1751-7"),
        Section("INFLAMMATORY MARKERS", font="Vera-Bold"),
        Row("C-Reactive Protein", 1, "mg/L", None, 5, 0, "1988-5", text="<1"),
        Row("ESR", 22, "mm/h", 1, 20, 0, "4537-7"),
        Note("Patient age 54 years. Fasting: yes", font="Vera"),
    ]
    cols = [Col("name", 56), Col("value", 290, "right"), Col("range", 330)]

    def decorate(s: Sheet) -> float:
        s.text(56, 790, "Synthetic Pathology Services", font="Vera-Bold", size=16)
        s.text(56, 774, "Accredited laboratory  |  22 Sample Street, Example City 0000", size=8)
        info = [
            ("Patient:", "TEST PATIENT D", "Lab no.:", "SPS-26-118204"),
            ("DOB:", "1990-12-05", "Requested:", "2026-04-20"),
            ("Sex:", "F", "Collected:", "2026-04-27 08:30"),
            ("Doctor:", "Dr Example Clinic", "Reported:", "2026-04-28 16:02"),
        ]
        for i, (a, b, c2, d) in enumerate(info):
            y = 744 - 13 * i
            s.text(56, y, a, font="Vera-Bold")
            s.text(116, y, b)
            s.text(330, y, c2, font="Vera-Bold")
            s.text(400, y, d)
        s.c.setFillGray(0.9)
        s.c.rect(50, 670, 495, 16, stroke=0, fill=1)
        s.c.setFillGray(0)
        s.text(56, 675, "Test", font="Vera-Bold")
        s.text(290, 675, "Result", font="Vera-Bold", align="right")
        s.text(330, 675, "Reference interval", font="Vera-Bold")
        s.text(297, 40, "End of report section - TEST PATIENT D - SPS-26-118204", size=7,
               align="centre")
        return 650

    def draw(total: int) -> Sheet:
        s = Sheet("en_units_in_range", "2026-04-27", decorate, total=total, font="Vera", size=9)
        Table(s, fmt, cols, line=14).draw(items, s.start())
        return s

    return two_pass(draw)


def _hospital_items() -> list:
    """Three pages of a hospital report: wrapped names, qualitative urine results."""
    q = {"normal": "Negative", "rtext": "Negative"}
    return [
        Section("HAEMATOLOGY"),
        Row("Haemoglobin", 11.2, "g/dL", 12.0, 15.5, 1, "718-7"),
        Row("White blood cells", 6.3, "x10^9/L", 4.0, 11.0, 1, "6690-2"),
        Row("Red blood cells", 3.98, "x10^12/L", 3.80, 5.20, 2, "789-8"),
        Row("Haematocrit", 34.1, "%", 36.0, 46.0, 1, "4544-3"),
        Row("MCV", 85.7, "fL", 80.0, 100.0, 1, "787-2"),
        Row("MCH", 28.1, "pg", 27.0, 33.0, 1, "785-6"),
        Row("MCHC", 32.8, "g/dL", 32.0, 36.0, 1, "786-4"),
        Row("Red cell distribution width (RDW-CV)", 14.9, "%", 11.5, 14.5, 1, "788-0",
            wrap=("Red cell distribution", "width (RDW-CV)"), vline=1),
        Row("Platelets", 265, "x10^9/L", 150, 400, 0, "777-3"),
        Row("Mean platelet volume", 10.1, "fL", 7.5, 11.5, 1, "32623-1"),
        Row("Neutrophils %", 58.0, "%", 40.0, 75.0, 1, "770-8"),
        Row("Lymphocytes %", 31.0, "%", 20.0, 45.0, 1, "736-9"),
        Row("Monocytes %", 7.5, "%", 2.0, 10.0, 1, "5905-5"),
        Row("Eosinophils %", 3.0, "%", 1.0, 6.0, 1, "713-8"),
        Row("Basophils %", 0.5, "%", 0.0, 1.0, 1, "706-2"),
        Note("Method: flow cytometry (automated analyser)"),
        Section("COAGULATION"),
        Row("Prothrombin time", 12.8, "s", 10.0, 13.5, 1, "5902-2"),
        Row("INR", 1.1, None, 0.8, 1.2, 1, "6301-6"),
        Row("Activated partial thromboplastin time (APTT)", 41.2, "s", 25.0, 37.0, 1, "3173-2",
            wrap=("Activated partial", "thromboplastin time (APTT)"), vline=1),
        PageBreak(),
        Section("CLINICAL CHEMISTRY"),
        Row("Sodium", 136, "mmol/L", 135, 145, 0, "2951-2"),
        Row("Potassium", 3.3, "mmol/L", 3.5, 5.1, 1, "2823-3"),
        Row("Chloride", 99, "mmol/L", 98, 107, 0, "2075-0"),
        Row("Urea", 5.1, "mmol/L", 2.5, 7.8, 1, "22664-7"),
        Row("Creatinine", 88, "umol/L", 45, 90, 0, "14682-9"),
        Row("Glucose (fasting)", 6.4, "mmol/L", 3.9, 5.8, 1, "14749-6"),
        Note("Fasting: yes. Age 54 years."),
        Row("Alanine aminotransferase (ALT)", 22, "U/L", 7, 40, 0, "1742-6",
            wrap=("Alanine aminotransferase", "(ALT)"), vline=1),
        Row("Aspartate aminotransferase (AST)", 19, "U/L", 8, 35, 0, "1920-8",
            wrap=("Aspartate aminotransferase", "(AST)"), vline=0),
        Row("Gamma-glutamyl transferase (GGT)", 95, "U/L", 5, 40, 0, "2324-2",
            wrap=("Gamma-glutamyl transferase", "(GGT)"), vline=1),
        Row("Alkaline phosphatase", 101, "U/L", 30, 130, 0, "6768-6"),
        Row("Total bilirubin", 14, "umol/L", 3, 21, 0, "14631-6"),
        Row("Albumin", 38, "g/L", 35, 50, 0, "1751-7"),
        Row("Total protein", 70, "g/L", 60, 80, 0, "2885-2"),
        Row("Adjusted calcium", 2.31, "mmol/L", 2.20, 2.60, 2, None),
        Row("Magnesium", 0.64, "mmol/L", 0.70, 1.00, 2, None),
        Row("Phosphate", 1.05, "mmol/L", 0.80, 1.50, 2, None),
        Note("Note: values checked twice."),
        Row("C-reactive protein", 38, "mg/L", None, 5, 0, "1988-5"),
        Row("N-terminal pro B-type natriuretic peptide (NT-proBNP)", 412, "ng/L", None, 125,
            0, "33762-6", wrap=("N-terminal pro B-type", "natriuretic peptide (NT-proBNP)"),
            vline=1),
        Row("Troponin I (high sensitivity)", 4, "ng/L", None, 16, 0, None),
        PageBreak(),
        Section("ENDOCRINOLOGY / HAEMATINICS"),
        Row("TSH", 5.9, "mIU/L", 0.27, 4.20, 2, "3016-3", rdec=2),
        Row("Free T4", 11.3, "pmol/L", 12.0, 22.0, 1, "3024-7"),
        Row("Ferritin", 9, "ug/L", 13, 150, 0, "2276-4"),
        Row("Vitamin B12", 265, "ng/L", 197, 771, 0, "2132-9"),
        Row("Folate", 3.1, "ug/L", 3.9, 26.8, 1, "2284-8"),
        Row("25-hydroxy vitamin D", 38, "nmol/L", 50, 175, 0, None),
        Section("URINALYSIS (dipstick)"),
        Row("pH", 6.0, None, 5.0, 8.0, 1, "5803-2"),
        Row("Specific gravity", 1.015, None, 1.005, 1.030, 3, "5811-5"),
        Row("Protein", None, None, loinc="5804-0", text="Negative", **q),
        Row("Glucose", None, None, loinc="5792-7", text="Positive", **q),
        Row("Ketones", None, None, loinc="5797-6", text="Negative", **q),
        Row("Blood", None, None, loinc="5794-3", text="Negative", **q),
        Row("Nitrite", None, None, loinc="5802-4", text="Negative", **q),
        Row("Leucocyte esterase", None, None, loinc="5799-2", text="Positive", **q),
        Note("Comment: glycosuria and leucocytes - please correlate clinically."),
    ]


def en_hospital() -> tuple[bytes, dict]:
    """Three pages, headers/footers repeated; value and unit glued; wrapped names; H/L/* flags."""
    fmt = Fmt(between="{lo} - {hi}", lt="< {hi}", flags={"H": "H", "L": "L", "A": "*"})
    cols = [Col("name", 40), Col("flag", 228), Col("value_unit", 250), Col("range", 380)]
    items = _hospital_items()

    def decorate(s: Sheet) -> float:
        s.text(40, 805, "Riverside Synthetic Hospital", font="Helvetica-Bold", size=13)
        s.text(40, 792, "Department of Laboratory Medicine - Cumulative-free final report", size=8)
        s.text(555, 805, "TEST PATIENT H", font="Helvetica-Bold", size=10, align="right")
        s.text(555, 792, "MRN RS-0091-4471   DOB 02-Jun-1949   Sex F", size=8, align="right")
        s.text(40, 770, "Collected: 14-Feb-2026 08:05", size=8.5)
        s.text(220, 770, "Received: 14-Feb-2026 09:30", size=8.5)
        s.text(400, 770, "Printed: 16-Feb-2026 11:47", size=8.5)
        s.rule(40, 760, 555, 1)
        for col, title in zip(cols, ("Investigation", "Flag", "Result", "Reference interval"),
                              strict=True):
            s.text(col.x, 746, title, font="Helvetica-Bold")
        s.rule(40, 741, 555)
        s.rule(40, 62, 555)
        s.text(40, 50, "Riverside Synthetic Hospital Laboratory, 4 Example Road, Testville TV1 0ZZ",
               size=7)
        s.text(40, 40, "TEST PATIENT H - MRN RS-0091-4471", size=7)
        s.text(555, 40, f"Page {s.page}/{s.total}", size=8, align="right")
        return 726

    def draw(total: int) -> Sheet:
        s = Sheet("en_hospital", "2026-02-14", decorate, total=total)
        Table(s, fmt, cols, line=12.5).draw(items, s.start(), bottom=72)
        return s

    return two_pass(draw)
