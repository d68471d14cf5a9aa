"""German and Spanish synthetic reports: column-by-column drawing, wrapped names, two tables."""

from __future__ import annotations

from .pdf_canvas import Fmt, Row, Sheet, two_pass
from .tables import Col, Note, Section, Table, plan


def de_labor() -> tuple[bytes, dict]:
    """German lab whose content stream draws column by column; "+" / "-" flags."""
    fmt = Fmt(comma=True, between="{lo} - {hi}", lt="< {hi}", gt="> {lo}",
              flags={"H": "+", "L": "-"})
    items = [
        Section("Kleines Blutbild"),
        Row("Leukozyten", 11.4, "Tsd/µl", 3.9, 10.2, 1, "6690-2"),
        Row("Erythrozyten", 4.71, "Mio/µl", 4.30, 5.75, 2, "789-8"),
        Row("Hämoglobin", 14.6, "g/dl", 13.5, 17.2, 1, "718-7"),
        Row("Hämatokrit", 43.1, "%", 39.5, 50.5, 1, "4544-3"),
        Row("MCV", 91.5, "fl", 80, 99, 1, "787-2", rdec=0),
        Row("MCH", 31.0, "pg", 26, 34, 1, "785-6", rdec=0),
        Row("MCHC", 33.9, "g/dl", 31, 37, 1, "786-4", rdec=0),
        Row("Thrombozyten", 148, "Tsd/µl", 150, 370, 0, "777-3"),
        Section("Klinische Chemie"),
        Note("Nüchtern: ja"),
        Row("Glukose (nüchtern)", 96, "mg/dl", 74, 100, 0, "2345-7"),
        Row("Kreatinin", 0.9, "mg/dl", None, 1.2, 1, "2160-0"),
        Row("Harnsäure", 7.8, "mg/dl", 3.4, 7.0, 1, "3084-1"),
        Row("GOT (AST)", 31, "U/l", None, 50, 0, "1920-8"),
        Row("GPT (ALT)", 28, "U/l", None, 50, 0, "1742-6"),
        Row("Gamma-GT", 71, "U/l", None, 60, 0, "2324-2"),
        Note("Methode: enzymatisch-photometrisch (IFCC, 37 °C)"),
        Row("Cholesterin gesamt", 243, "mg/dl", None, 200, 0, "2093-3"),
        Row("HDL-Cholesterin", 44, "mg/dl", 40, None, 0, "2085-9"),
        Row("LDL-Cholesterin", 171, "mg/dl", None, 160, 0, "13457-7"),
        Row("Triglyceride", 139, "mg/dl", None, 150, 0, "2571-8"),
        Row("HbA1c", 5.4, "%", 4.0, 6.0, 1, "4548-4"),
        Row("TSH basal", 1.12, "µIU/ml", 0.27, 4.20, 2, "3016-3"),
        Row("CRP", 0.3, "mg/dl", None, 0.5, 1, "1988-5"),
        Note("Hinweis: Werte zweimal kontrolliert."),
    ]
    cols = [Col("name", 42), Col("value", 250, "right"), Col("flag", 258), Col("unit", 282),
            Col("range", 360)]

    def decorate(s: Sheet) -> float:
        s.text(42, 802, "Labor Dr. Beispiel & Kollegen MVZ", font="Helvetica-Bold", size=14)
        s.text(42, 789, "Musterstraße 1 · 00000 Beispielstadt · Tel. 0000 000000", size=8)
        s.rule(42, 780, 553, 1.2)
        info = [
            ("Patient:", "Testpatient G", "Auftragsnr.:", "2606050417"),
            ("Geb.-Datum:", "14.08.1959", "Entnahme:", "05.06.2026 07:30"),
            ("Geschlecht:", "männlich", "Eingang:", "05.06.2026 11:02"),
            ("Einsender:", "Praxis Dr. Muster", "Befunddatum:", "06.06.2026"),
        ]
        for i, (a, b, c2, d) in enumerate(info):
            y = 762 - 13 * i
            s.text(42, y, a, font="Helvetica-Bold")
            s.text(112, y, b)
            s.text(330, y, c2, font="Helvetica-Bold")
            s.text(410, y, d)
        s.text(42, 700, "Endbefund", font="Helvetica-Bold", size=11)
        for x, title, al in ((42, "Untersuchung", "left"), (250, "Ergebnis", "right"),
                             (282, "Einheit", "left"), (360, "Referenzbereich", "left")):
            s.text(x, 680, title, font="Helvetica-Bold", align=al)
        s.rule(42, 675, 553)
        s.text(42, 40, f"Testpatient G, geb. 14.08.1959 - Seite {s.page} von {s.total}", size=7.5)
        return 660

    def draw(total: int) -> Sheet:
        s = Sheet("de_labor", "2026-06-05", decorate, total=total, size=9)
        Table(s, fmt, cols, line=13).draw(items, s.start(), by_column=True)
        return s

    return two_pass(draw)


def de_wrapped() -> tuple[bytes, dict]:
    """Range column before the result, H/L after the value, long names over two lines."""
    fmt = Fmt(comma=True, between="{lo} - {hi}", lt="< {hi}", gt="> {lo}",
              flags={"H": "H", "L": "L", "A": "*"})
    neg = {"normal": "negativ", "rtext": "negativ"}
    vb = "Vera-Bold"
    items = [
        Section("Niere / Elektrolyte", font=vb),
        Row("Kreatinin", 1.31, "mg/dl", 0.50, 0.90, 2, "2160-0"),
        Row("Glomeruläre Filtrationsrate (CKD-EPI)", 48, "ml/min/1,73m²", 60, None, 0,
            "98979-8", wrap=("Glomeruläre Filtrationsrate", "(CKD-EPI)"), vline=1),
        Row("Harnstoff", 42, "mg/dl", 17, 43, 0, None),
        Row("Natrium", 141, "mmol/l", 136, 145, 0, "2951-2"),
        Row("Kalium", 4.9, "mmol/l", 3.5, 5.1, 1, "2823-3"),
        Row("Cystatin C", 1.21, "mg/l", 0.61, 0.95, 2, None),
        Row("Albumin/Kreatinin-Quotient im Urin", 41, "mg/g", None, 30, 0, None,
            wrap=("Albumin/Kreatinin-Quotient", "im Urin")),
        Section("Eisenstoffwechsel", font=vb),
        Row("Eisen", 48, "µg/dl", 59, 158, 0, "2498-4"),
        Row("Ferritin", 11, "ng/ml", 13, 150, 0, "2276-4"),
        Row("Transferrin", 3.9, "g/l", 2.0, 3.6, 1, None),
        Row("Transferrinsättigung", 8, "%", 16, 45, 0, "2502-3"),
        Section("Vitamine", font=vb),
        Row("25-OH-Vitamin D3", 14, "ng/ml", 30, 100, 0, None),
        Note("< 20 ng/ml: Mangel   20 - 30 ng/ml: Insuffizienz", font="Vera"),
        Row("Folsäure", 5.8, "ng/ml", 3.9, 26.8, 1, "2284-8"),
        Section("Schilddrüse", font=vb),
        Row("Freies Thyroxin (fT4)", 1.02, "ng/dl", 0.93, 1.70, 2, "3024-7"),
        Row("Freies Trijodthyronin (fT3)", 3.1, "pg/ml", 2.0, 4.4, 1, "3051-0"),
        Section("Urinstatus (Teststreifen)", font=vb),
        Row("Leukozyten im Urin", None, None, loinc="5799-2", text="negativ", **neg),
        Row("Nitrit", None, None, loinc="5802-4", text="positiv", **neg),
        Row("Eiweiß", None, None, loinc="5804-0", text="negativ", **neg),
        Row("Glukose im Urin", None, None, loinc="5792-7", text="negativ", **neg),
        Note("Alter: 55 Jahre. Material: Serum, Spontanurin", font="Vera"),
    ]
    cols = [Col("name", 40), Col("range", 215), Col("value_flag", 330), Col("unit", 385)]

    def decorate(s: Sheet) -> float:
        s.c.setFillGray(0.85)
        s.c.rect(0, 770, 595, 72, stroke=0, fill=1)
        s.c.setFillGray(0)
        s.text(40, 812, "MVZ Labor Synthetik", font=vb, size=16)
        s.text(40, 794, "Am Beispielpark 7 · 00000 Modellstadt", size=8)
        s.text(555, 812, "Laborbefund", font=vb, size=12, align="right")
        info = [
            ("Name:", "Testpatientin I", "Entnahmedatum:", "17.02.2026 08:40"),
            ("Geburtsdatum:", "22.01.1971", "Auftragseingang:", "17.02.2026"),
            ("Patienten-ID:", "MS-7730-2291", "Druckdatum:", "18.02.2026"),
        ]
        for i, (a, b, c2, d) in enumerate(info):
            y = 748 - 13 * i
            s.text(40, y, a, font=vb, size=8.5)
            s.text(125, y, b, size=8.5)
            s.text(320, y, c2, font=vb, size=8.5)
            s.text(420, y, d, size=8.5)
        for col, title in zip(cols, ("Parameter", "Referenzbereich", "Ergebnis", "Einheit"),
                              strict=True):
            s.text(col.x, 698, title, font=vb)
        s.rule(40, 692, 555)
        s.text(297, 36, f"Testpatientin I · MS-7730-2291 · Seite {s.page}/{s.total}", size=7,
               align="centre")
        return 676

    def draw(total: int) -> Sheet:
        s = Sheet("de_wrapped", "2026-02-17", decorate, total=total, font="Vera", size=8.5)
        Table(s, fmt, cols, line=12.5).draw(items, s.start())
        return s

    return two_pass(draw)


def _es_items() -> tuple[list, list, list]:
    """Left (haematology), right (chemistry) and urine tables of the Spanish report."""
    left = [
        Section("HEMATOLOGÍA"),
        Row("Hemoglobina", 12.1, "g/dL", 12.0, 16.0, 1, "718-7"),
        Row("Hematocrito", 36.2, "%", 36.0, 46.0, 1, "4544-3"),
        Row("Hematíes", 4.05, "x10^6/µL", 4.00, 5.20, 2, "789-8"),
        Row("VCM", 89.4, "fL", 80.0, 100.0, 1, "787-2"),
        Row("HCM", 29.9, "pg", 27.0, 33.0, 1, "785-6"),
        Row("Leucocitos", 9.8, "x10^3/µL", 4.0, 11.0, 1, "6690-2"),
        Row("Neutrófilos", 71.2, "%", 40.0, 75.0, 1, "770-8"),
        Row("Linfocitos", 19.5, "%", 20.0, 45.0, 1, "736-9"),
        Row("Monocitos", 6.8, "%", 2.0, 10.0, 1, "5905-5"),
        Row("Eosinófilos", 2.1, "%", 1.0, 6.0, 1, "713-8"),
        Row("Basófilos", 0.4, "%", 0.0, 1.0, 1, "706-2"),
        Row("Plaquetas", 287, "x10^3/µL", 150, 400, 0, "777-3"),
        Row("VSG", 28, "mm/h", 0, 20, 0, "4537-7"),
    ]
    right = [
        Section("BIOQUÍMICA"),
        Row("Glucosa", 104, "mg/dL", 74, 100, 0, "2345-7"),
        Row("Urea", 31, "mg/dL", 17, 43, 0, None),
        Row("Creatinina", 0.78, "mg/dL", 0.50, 0.90, 2, "2160-0"),
        Row("Ácido úrico", 5.2, "mg/dL", 2.4, 5.7, 1, "3084-1"),
        Row("Sodio", 139, "mmol/L", 133, 146, 0, "2951-2"),
        Row("Potasio", 4.4, "mmol/L", 3.5, 5.1, 1, "2823-3"),
        Row("Colesterol total", 198, "mg/dL", None, 200, 0, "2093-3"),
        Row("Colesterol HDL", 62, "mg/dL", 45, None, 0, "2085-9"),
        Row("Colesterol LDL", 118, "mg/dL", None, 130, 0, "13457-7"),
        Row("Triglicéridos", 92, "mg/dL", None, 150, 0, "2571-8"),
        Row("Hierro", 61, "µg/dL", 50, 170, 0, "2498-4"),
        Row("Ferritina", 22, "ng/mL", 15, 150, 0, "2276-4"),
        Row("TSH", 3.61, "µUI/mL", 0.35, 4.94, 2, "3016-3"),
        Row("Hemoglobina A1c", 5.6, "%", 4.0, 6.0, 1, "4548-4"),
    ]
    neg = {"normal": "Negativo", "rtext": "Negativo"}
    urine = [
        Section("ORINA - SISTEMÁTICO"),
        Row("Proteínas en orina", None, None, loinc="5804-0", text="Negativo", **neg),
        Row("Glucosa en orina", None, None, loinc="5792-7", text="Negativo", **neg),
        Row("Sangre en orina", None, None, loinc="5794-3", text="Positivo", **neg),
        Note("Comentario: se recomienda repetir el sistemático de orina. Ayunas: sí"),
    ]
    return left, right, urine


def es_side_by_side() -> tuple[bytes, dict]:
    """Two tables side by side drawn row-interleaved; name and value glued in the right one."""
    fmt = Fmt(comma=True, between="[{lo} - {hi}]", lt="[< {hi}]", gt="[> {lo}]",
              flags={"H": "*", "L": "*", "A": "*"})
    left, right, urine = _es_items()
    lcols = [Col("name", 36), Col("value", 168, "right"), Col("flag", 171), Col("unit", 180),
             Col("range", 228)]
    rcols = [Col("name_value", 306), Col("flag", 420), Col("unit", 430), Col("range", 482)]
    ucols = [Col("name", 36), Col("value", 200), Col("flag", 250), Col("range", 270)]

    def decorate(s: Sheet) -> float:
        s.text(36, 800, "Laboratorio Clínico Sintético", font="Helvetica-Bold", size=14)
        s.text(36, 787, "Avda. del Ejemplo 12, 00000 Ciudad Ficticia - Tel. 000 000 000", size=8)
        info = [
            ("Paciente: PACIENTE DE PRUEBA J", "Fecha de toma: 2026-07-09 08:10"),
            ("Fecha de nacimiento: 1975-10-30", "Fecha de recepción: 2026-07-09 09:45"),
            ("N.º historia: 00-7731-55   Sexo: Mujer", "Fecha de emisión: 2026-07-10"),
        ]
        for i, (a, b) in enumerate(info):
            s.text(36, 764 - 12 * i, a)
            s.text(330, 764 - 12 * i, b)
        s.rule(36, 722, 559, 1)
        for cols, heads in ((lcols, ("Prueba", "Resultado", "", "Unidades", "Valores ref.")),
                            (rcols, ("Prueba / Resultado", "", "Unidades", "Valores ref."))):
            for col, title in zip(cols, heads, strict=True):
                s.text(col.x, 708, title, font="Helvetica-Bold", size=7.5, align=col.align)
        s.rule(36, 703, 559)
        s.text(36, 40, f"PACIENTE DE PRUEBA J - Página {s.page}/{s.total}", size=7)
        return 688

    def draw(total: int) -> Sheet:
        s = Sheet("es_side_by_side", "2026-07-09", decorate, total=total, size=8)
        y0 = s.start()
        lt, rt = Table(s, fmt, lcols, line=12), Table(s, fmt, rcols, line=12)
        lp, rp = plan(left, y0, 12, 60), plan(right, y0, 12, 60)
        assert all(p == 0 for p, _, _ in lp + rp), "side-by-side tables must fit one page"
        # Interleave: left row i, then right row i, so plain text mixes the two tables.
        for i in range(max(len(lp), len(rp))):
            if i < len(lp):
                lt.draw_item(lp[i][1], lp[i][2])
            if i < len(rp):
                rt.draw_item(rp[i][1], rp[i][2])
        s.c.line(298, 700, 298, min(lp[-1][1], rp[-1][1]) - 4)
        y = min(lp[-1][1], rp[-1][1]) - 28
        Table(s, fmt, ucols, line=12).draw(urine, y)
        return s

    return two_pass(draw)
