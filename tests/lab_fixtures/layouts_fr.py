"""French synthetic reports: decimal commas, thousands spaces, "soit" lines, units in ranges."""

from __future__ import annotations

from .pdf_canvas import Fmt, Row, Sheet, two_pass
from .tables import Col, Note, PageBreak, Section, Table

NEG = {"normal": "Négatif", "rtext": "(Négatif)"}


def fr_biologie() -> tuple[bytes, dict]:
    """Classic French lab: "(4 000 à 10 000)", "*" flags, soit lines, Antériorités column."""
    fmt = Fmt(comma=True, thou=" ", between="({lo} à {hi})", lt="(< {hi})", gt="(> {lo})",
              flags={"H": "*", "L": "*", "A": "*"})
    b = "Times-Bold"
    items = [
        Section("HÉMATOLOGIE - NUMÉRATION GLOBULAIRE", font=b),
        Row("Hématies", 4.52, "T/L", 3.80, 5.20, 2, "789-8", prev=4.61),
        Row("Hémoglobine", 13.1, "g/dL", 11.5, 16.0, 1, "718-7", prev=13.4),
        Row("Hématocrite", 39.8, "%", 37.0, 47.0, 1, "4544-3", prev=40.6),
        Row("VGM", 88, "fL", 80, 100, 0, "787-2"),
        Row("TCMH", 29.0, "pg", 27.0, 32.0, 1, "785-6"),
        Row("CCMH", 32.9, "g/dL", 32.0, 36.0, 1, "786-4"),
        Row("Leucocytes", 6540, "/mm3", 4000, 10000, 0, "6690-2", prev=7120),
        Section("Formule leucocytaire", font=b),
        Row("Polynucléaires neutrophiles", 3806, "/mm3", 1800, 7500, 0, "751-8"),
        Row("Lymphocytes", 1988, "/mm3", 1000, 4000, 0, "731-0"),
        Row("Monocytes", 536, "/mm3", 200, 1000, 0, "742-7"),
        Row("Polynucléaires éosinophiles", 170, "/mm3", 0, 500, 0, "711-2"),
        Row("Plaquettes", 412000, "/mm3", 150000, 400000, 0, "777-3", prev=389000),
        Note("Technique : cytométrie en flux (Sysmex XN)", font="Times-Italic"),
        Section("BIOCHIMIE SANGUINE", font=b),
        Note("À jeun : oui", font="Times-Italic"),
        Row("Glycémie à jeun", 0.99, "g/L", 0.70, 1.10, 2, "2345-7", alt=(5.50, 2, "mmol/L"),
            prev=0.94),
        Note("Méthode : enzymatique (hexokinase)", font="Times-Italic"),
        Row("Créatinine", 8.2, "mg/L", 5.7, 11.1, 1, "2160-0", alt=(72.6, 1, "µmol/L"),
            prev=7.9),
        Row("DFG estimé (CKD-EPI)", 84, "mL/min/1,73m²", 60, None, 0, "98979-8"),
        Row("Urée", 0.32, "g/L", 0.15, 0.45, 2, None),
        Row("Protéine C réactive (CRP)", 3.1, "mg/L", None, 5.0, 1, "1988-5"),
        Section("BILAN LIPIDIQUE", font=b),
        Row("Cholestérol total", 2.31, "g/L", None, 2.00, 2, "2093-3",
            alt=(5.97, 2, "mmol/L"), prev=2.18),
        Row("Cholestérol HDL", 0.58, "g/L", 0.40, None, 2, "2085-9"),
        Row("Cholestérol LDL (calculé)", 1.52, "g/L", None, 1.60, 2, "13457-7"),
        Row("Triglycérides", 1.05, "g/L", None, 1.50, 2, "2571-8"),
        Row("Hémoglobine glyquée (HbA1c)", 5.9, "%", 4.0, 6.0, 1, "4548-4", prev=5.7),
        Section("EXAMEN DES URINES (bandelette réactive)", font=b),
        Row("Leucocytes urinaires", None, None, loinc="5799-2", text="Négatif", **NEG),
        Row("Nitrites", None, None, loinc="5802-4", text="Négatif", **NEG),
        Row("Protéines", None, None, loinc="5804-0", text="Traces", **NEG),
        Row("Glucose urinaire", None, None, loinc="5792-7", text="Négatif", **NEG),
        Row("Sang", None, None, loinc="5794-3", text="Négatif", **NEG),
        Note("Compte rendu validé par le biologiste. Résultats vérifiés deux fois.",
             font="Times-Italic"),
    ]
    cols = [Col("name", 40), Col("value_flag", 232, "right"), Col("unit", 242),
            Col("range", 322), Col("prev", 490, "right")]

    def decorate(s: Sheet) -> float:
        s.text(40, 800, "LABORATOIRE DE BIOLOGIE MÉDICALE SYNTHÈSE", font=b, size=13)
        s.text(40, 787, "Site de Villefictive - 12 rue de l'Exemple - 00000 VILLEFICTIVE",
               size=8.5)
        s.text(40, 776, "Tél. 00 00 00 00 00 - Biologistes : Dr A. Exemple, Dr B. Modèle",
               size=8.5)
        s.c.rect(330, 700, 225, 62)
        for i, t in enumerate(("Mme TEST PATIENTE E", "Née le 02/05/1968",
                               "Dossier n° 260311-0427", "Prescripteur : Dr EXEMPLE")):
            s.text(338, 748 - 13 * i, t, font=b if i == 0 else None)
        s.text(40, 748, "Prélevé le 11/03/2026 à 08h20", font=b)
        s.text(40, 735, "Enregistré le 11/03/2026 à 09h02")
        s.text(40, 722, "Edité le 13/03/2026")
        s.rule(40, 690, 555)
        for col, title in zip(cols, ("Analyse", "Résultat", "Unités", "Valeurs de référence",
                                     "Antériorités"), strict=True):
            s.text(col.x, 677, title, font=b, align=col.align)
        s.text(490, 666, "du 08/10/2025", size=8, align="right")
        s.rule(40, 661, 555)
        s.text(40, 40, f"Mme TEST PATIENTE E - Dossier n° 260311-0427 - Page {s.page}/{s.total}",
               size=8)
        return 644

    def draw(total: int) -> Sheet:
        s = Sheet("fr_biologie", "2026-03-11", decorate, total=total, font="Times-Roman",
                  size=10)
        Table(s, fmt, cols, line=13).draw(items, s.start())
        return s

    return two_pass(draw)


def fr_units_in_range() -> tuple[bytes, dict]:
    """Two pages, unit only in the reference text, no flags at all, names over two lines."""
    fmt = Fmt(comma=True, thou=" ", between="{lo} - {hi}", lt="< {hi}", gt="> {lo}",
              unit_in_range=True)
    items = [
        Section("IONOGRAMME SANGUIN"),
        Row("Sodium", 139, "mmol/L", 136, 145, 0, "2951-2"),
        Row("Potassium", 4.2, "mmol/L", 3.5, 5.1, 1, "2823-3"),
        Row("Chlorures", 101, "mmol/L", 98, 107, 0, "2075-0"),
        Row("Bicarbonates", 26, "mmol/L", 22, 29, 0, "2028-9"),
        Row("Calcium", 2.38, "mmol/L", 2.15, 2.55, 2, "2000-8"),
        Section("FONCTION RÉNALE"),
        Row("Créatinine", 68, "µmol/L", 45, 84, 0, "14682-9"),
        Row("Débit de filtration glomérulaire estimé (CKD-EPI)", 96, "mL/min/1,73m²", 90,
            None, 0, "98979-8", wrap=("Débit de filtration glomérulaire", "estimé (CKD-EPI)"),
            vline=1),
        Row("Urée", 5.1, "mmol/L", 2.8, 7.6, 1, "22664-7"),
        Section("BILAN HÉPATIQUE"),
        Row("Aspartate aminotransférase (ASAT/TGO)", 29, "UI/L", None, 32, 0, "1920-8",
            wrap=("Aspartate aminotransférase", "(ASAT/TGO)"), vline=1),
        Row("Alanine aminotransférase (ALAT/TGP)", 45, "UI/L", None, 33, 0, "1742-6",
            wrap=("Alanine aminotransférase", "(ALAT/TGP)")),
        Row("Gamma-glutamyl transférase (GGT)", 38, "UI/L", None, 40, 0, "2324-2",
            wrap=("Gamma-glutamyl transférase", "(GGT)"), vline=1),
        Row("Phosphatases alcalines", 82, "UI/L", 35, 104, 0, "6768-6"),
        Row("Bilirubine totale", 9, "µmol/L", None, 21, 0, "14631-6"),
        Note("Méthode : colorimétrique (diazo)"),
        PageBreak(),
        Section("BILAN MARTIAL"),
        Row("Fer sérique", 9.8, "µmol/L", 9.0, 30.4, 1, "14798-3"),
        Row("Ferritine", 18, "µg/L", 15, 150, 0, "2276-4"),
        Row("Coefficient de saturation de la transferrine", 14, "%", 20, 40, 0, "2502-3",
            wrap=("Coefficient de saturation", "de la transferrine"), vline=1),
        Section("THYROÏDE"),
        Row("TSH ultrasensible", 2.85, "mUI/L", 0.27, 4.20, 2, "3016-3"),
        Row("T4 libre", 15.2, "pmol/L", 12.0, 22.0, 1, "3024-7"),
        Section("VITAMINES"),
        Row("25-OH vitamine D (D2 + D3)", 18, "ng/mL", 30, 100, 0, "62292-8",
            alt=(45, 0, "nmol/L")),
        Note("Carence : < 10 ng/mL"),
        Note("Insuffisance : 10 à 30 ng/mL"),
        Note("Taux recommandés : 30 à 100 ng/mL"),
        Row("Vitamine B12", 412, "pg/mL", 197, 771, 0, "2132-9"),
        Row("Folates sériques", 6.1, "ng/mL", 3.9, 26.8, 1, "2284-8"),
        Section("INFLAMMATION"),
        Row("Protéine C réactive (CRP)", 0.8, "mg/L", None, 5.0, 1, "1988-5"),
        Note("Patient âgé de 40 ans. Prélèvement à jeun : oui"),
    ]
    cols = [Col("name", 45), Col("value", 300, "right"), Col("range", 340)]

    def decorate(s: Sheet) -> float:
        s.text(45, 800, "Laboratoire Synthèse Biologie - Site Exemple", font="Helvetica-Bold",
               size=12)
        s.text(45, 788, "3 avenue du Modèle, 00000 Ville-Exemple - Tél. 00 00 00 00 01", size=8)
        info = [
            ("Patient : M. TEST PATIENT F", "Date de prélèvement : 04/02/2026 07:55"),
            ("Date de naissance : 19/09/1985", "Date de réception : 04/02/2026 10:30"),
            ("N° de demande : 2602-04-1187", "Date d'édition : 05/02/2026 14:10"),
        ]
        for i, (a, c2) in enumerate(info):
            s.text(45, 762 - 13 * i, a)
            s.text(310, 762 - 13 * i, c2)
        s.rule(45, 718, 550, 1)
        s.text(45, 705, "Examen", font="Helvetica-Bold")
        s.text(300, 705, "Résultat", font="Helvetica-Bold", align="right")
        s.text(340, 705, "Valeurs de référence", font="Helvetica-Bold")
        s.rule(45, 699, 550)
        s.text(45, 44, "M. TEST PATIENT F - né le 19/09/1985", size=7.5)
        s.text(550, 44, f"Page {s.page}/{s.total}", size=7.5, align="right")
        s.text(45, 34, "Laboratoire Synthèse Biologie, 3 avenue du Modèle, 00000 Ville-Exemple",
               size=7)
        return 682

    def draw(total: int) -> Sheet:
        s = Sheet("fr_units_in_range", "2026-02-04", decorate, total=total, size=9.5)
        Table(s, fmt, cols, line=13.5).draw(items, s.start())
        return s

    return two_pass(draw)
