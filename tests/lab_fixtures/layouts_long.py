"""A long multi-page report (many panels, allergen IgE, amino acids) for scale and page tests."""

from __future__ import annotations

import random

from .pdf_canvas import Fmt, Row, Sheet, two_pass
from .tables import Col, Note, PageBreak, Section, Table

# (name, unit, low, high, decimals, loinc); None bounds are one-sided ranges.
PANELS: list[tuple[str, list[tuple[str, str, float | None, float | None, int, str | None]]]] = [
    ("Full blood count", [
        ("Haemoglobin", "g/L", 120, 160, 0, "718-7"), ("White cell count", "x10^9/L", 4, 11, 1,
        "6690-2"), ("Platelets", "x10^9/L", 150, 400, 0, "777-3"),
        ("Red cell count", "x10^12/L", 3.8, 5.8, 2, "789-8"), ("Haematocrit", "L/L", 0.36, 0.48,
        2, "4544-3"), ("MCV", "fL", 80, 100, 1, "787-2"), ("MCH", "pg", 27, 33, 1, "785-6"),
        ("MCHC", "g/L", 320, 360, 0, "786-4"), ("RDW", "%", 11.5, 14.5, 1, "788-0"),
        ("Neutrophils", "x10^9/L", 2.0, 7.5, 2, "751-8"), ("Lymphocytes", "x10^9/L", 1.0, 4.0, 2,
        "731-0"), ("Monocytes", "x10^9/L", 0.2, 1.0, 2, "742-7"),
        ("Eosinophils", "x10^9/L", 0.0, 0.5, 2, "711-2"), ("Basophils", "x10^9/L", 0.0, 0.1, 2,
        "704-7")]),
    ("Renal and electrolytes", [
        ("Sodium", "mmol/L", 135, 145, 0, "2951-2"), ("Potassium", "mmol/L", 3.5, 5.2, 1,
        "2823-3"), ("Chloride", "mmol/L", 95, 110, 0, "2075-0"), ("Bicarbonate", "mmol/L", 22,
        32, 0, "2028-9"), ("Urea", "mmol/L", 2.5, 7.8, 1, "22664-7"), ("Creatinine", "umol/L",
        45, 90, 0, "14682-9"), ("Uric acid", "mmol/L", 0.14, 0.36, 2, None),
        ("Calcium", "mmol/L", 2.10, 2.60, 2, "2000-8"), ("Magnesium", "mmol/L", 0.70, 1.10, 2,
        None), ("Phosphate", "mmol/L", 0.75, 1.50, 2, None)]),
    ("Liver function", [
        ("Bilirubin", "umol/L", None, 20, 0, "14631-6"), ("ALT", "U/L", None, 35, 0, "1742-6"),
        ("AST", "U/L", None, 35, 0, "1920-8"), ("ALP", "U/L", 30, 110, 0, "6768-6"),
        ("GGT", "U/L", None, 38, 0, "2324-2"), ("Albumin", "g/L", 35, 50, 0, "1751-7"),
        ("Total protein", "g/L", 60, 80, 0, "2885-2")]),
    ("Lipids and glucose", [
        ("Cholesterol", "mmol/L", None, 5.5, 1, "14647-2"), ("Triglycerides", "mmol/L", None,
        2.0, 1, "14927-8"), ("HDL cholesterol", "mmol/L", 1.0, None, 1, "14646-4"),
        ("LDL cholesterol", "mmol/L", None, 3.5, 1, "22748-8"), ("Glucose", "mmol/L", 3.6, 7.7,
        1, "14749-6"), ("HbA1c", "mmol/mol", 20, 41, 0, "59261-8")]),
    ("Endocrine and haematinics", [
        ("TSH", "mIU/L", 0.4, 4.0, 2, "3016-3"), ("Free T4", "pmol/L", 9, 19, 1, "3024-7"),
        ("Free T3", "pmol/L", 2.6, 6.0, 1, "3051-0"), ("Ferritin", "ug/L", 30, 300, 0,
        "2276-4"), ("Iron", "umol/L", 10, 30, 0, "14798-3"), ("Vitamin B12", "pmol/L", 150,
        700, 0, None), ("Folate", "nmol/L", 7.0, None, 1, None), ("25-OH vitamin D", "nmol/L",
        50, 150, 0, None), ("CRP", "mg/L", None, 5, 1, "1988-5")]),
]

ALLERGENS = [
    "House dust mite (d1)", "Cat dander (e1)", "Dog dander (e5)", "Timothy grass (g6)",
    "Birch pollen (t3)", "Mugwort (w6)", "Egg white (f1)", "Cow's milk (f2)", "Peanut (f13)",
    "Hazelnut (f17)", "Wheat (f4)", "Soybean (f14)", "Codfish (f3)", "Shrimp (f24)",
    "Alternaria (m6)", "Cladosporium (m2)", "Aspergillus (m3)", "Horse dander (e3)",
    "Olive pollen (t9)", "Ragweed (w1)", "Plantain (w9)", "Oak pollen (t7)", "Almond (f20)",
    "Sesame (f10)", "Walnut (f256)", "Cashew (f202)", "Kiwi (f84)", "Apple (f49)",
    "Celery (f85)", "Latex (k82)", "Honey bee venom (i1)", "Wasp venom (i3)",
    "Cockroach (i6)", "Feather mix (ex71)", "Rabbit epithelium (e82)", "Guinea pig (e6)",
]
AMINO_ACIDS = [
    ("Alanine", 200, 480), ("Arginine", 40, 120), ("Asparagine", 35, 75), ("Citrulline", 15, 50),
    ("Glutamine", 420, 720), ("Glycine", 150, 380), ("Histidine", 65, 110), ("Isoleucine", 40,
    100), ("Leucine", 80, 170), ("Lysine", 110, 250), ("Methionine", 15, 40), ("Ornithine", 35,
    110), ("Phenylalanine", 40, 80), ("Proline", 100, 330), ("Serine", 70, 170), ("Taurine", 30,
    110), ("Threonine", 80, 200), ("Tyrosine", 35, 90), ("Valine", 150, 300),
]


def _pool() -> list[tuple[str, list[tuple]]]:
    """Every section the long report can draw, in order."""
    pool = list(PANELS)
    ige = [(f"Specific IgE {a}", "kU/L", None, 0.35, 2, None) for a in ALLERGENS]
    pool += [("Specific IgE (allergen panel)", ige[i:i + 12]) for i in range(0, len(ige), 12)]
    aa = [(n, "umol/L", lo, hi, 0, None) for n, lo, hi in AMINO_ACIDS]
    pool.append(("Plasma amino acids", aa))
    return pool


def _value(rng: random.Random, lo: float | None, hi: float | None, dec: int) -> float:
    """A plausible value, mostly inside the range, never exactly on a one-sided bound."""
    ref_lo = lo if lo is not None else (hi or 1) * 0.2
    ref_hi = hi if hi is not None else (lo or 1) * 3
    span = ref_hi - ref_lo
    v = round(rng.uniform(ref_lo - 0.15 * span, ref_hi + 0.15 * span), dec)
    v = max(v, 0.0)
    if (lo is None) != (hi is None) and v in (lo, hi):
        v = round(v + 10 ** -dec, dec)
    return v


def long_items(pages: int, seed: int = 7) -> list:
    """Rows for `pages` pages: 20-25 results per page, section titles and notes between."""
    rng = random.Random(seed)
    queue: list[tuple[str, tuple]] = []
    items: list = []
    refills = 0
    for page in range(pages):
        if page:
            items.append(PageBreak())
        want = rng.randint(20, 25)
        last = None
        for _ in range(want):
            if not queue:
                suffix = f" - repeat sample {refills}" if refills else ""
                refills += 1
                for title, rows in _pool():
                    queue += [(title + suffix, r) for r in rows]
            title, (name, unit, lo, hi, dec, loinc) = queue.pop(0)
            if title != last:
                items.append(Section(title))
                last = title
            items.append(Row(name, _value(rng, lo, hi, dec), unit, lo, hi, dec, loinc))
        items.append(Note(f"Note: results on page {page + 1} checked twice. Method: automated."))
    return items


def long_report(pages: int = 15) -> tuple[bytes, dict]:
    """A realistic long report; headers and footers repeat on every page."""
    fmt = Fmt(between="{lo} - {hi}", lt="< {hi}", gt="> {lo}", flags={"H": "H", "L": "L"})
    cols = [Col("name", 40), Col("value", 300, "right"), Col("flag", 308), Col("unit", 330),
            Col("range", 430)]
    items = long_items(pages)

    def decorate(s: Sheet) -> float:
        s.text(40, 805, "Synthetic Regional Laboratory Service", font="Helvetica-Bold", size=12)
        s.text(555, 805, "TEST PATIENT K", font="Helvetica-Bold", size=10, align="right")
        s.text(555, 793, "ID LRS-5521-0087   DOB 1963-09-30", size=8, align="right")
        s.text(40, 793, "Date of collection: 2026-05-12 07:50   Reported: 2026-05-15", size=8)
        s.rule(40, 784, 555)
        for col, t in zip(cols, ("Test", "Result", "", "Units", "Reference range"), strict=True):
            s.text(col.x, 770, t, font="Helvetica-Bold", align=col.align)
        s.rule(40, 765, 555)
        s.text(40, 40, "Synthetic Regional Laboratory Service, 9 Example Way, Sampletown", size=7)
        s.text(555, 40, f"Page {s.page}/{s.total}", size=8, align="right")
        return 748

    def draw(total: int) -> Sheet:
        s = Sheet("long_report", "2026-05-12", decorate, total=total)
        Table(s, fmt, cols, line=16).draw(items, s.start(), bottom=64)
        return s

    return two_pass(draw)
