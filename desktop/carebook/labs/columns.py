"""Cells of a laid-out line, and the table columns a header line announces.

A header line ("Test  Result  Previous  Unit  Reference range") tells which horizontal band
holds the current value and which holds an old one. Without it a row with two numbers is
ambiguous, so the columns are remembered until the next header, across pages too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from carebook.domain.text import fold
from carebook.knowledge import normalise_unit

_GAP = re.compile(r"\S+(?: \S+)*")  # cells are separated by two or more spaces


@dataclass(frozen=True)
class Cell:
    """Text printed in one column of a line, with its character span."""

    text: str
    start: int
    end: int

    @property
    def middle(self) -> float:
        """Horizontal centre, in character columns."""
        return (self.start + self.end) / 2


def split_cells(line: str) -> list[Cell]:
    """The cells of a laid-out line; a lone ":" between label and value is dropped."""
    cells = [Cell(m.group(), m.start(), m.end()) for m in _GAP.finditer(line)]
    return [cell for cell in cells if cell.text not in (":", "-:", ":-")]


# Checked in order: "out of range" must win over "range", "previous result" over "result",
# "Current result and flag" is the result column.
_HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("comment", ("comment", "notes", "remark", "kommentar", "bemerkung", "commentaire",
                 "comentario", "observacion")),
    ("out_of_range", ("out of range", "outside range", "abnormal", "hors norme", "anormal",
                      "ausserhalb", "auserhalb", "pathologisch", "fuera de rango")),
    ("in_range", ("in range", "within range", "normal result", "dans les normes",
                  "im normbereich", "dentro de rango", "dentro del rango")),
    ("previous", ("previous", "prior", "last result", "earlier", "anterior", "antériorit",
                  "anteriorit", "precedent", "précédent", "vorwert", "vorbefund", "fruher",
                  "früher", "previo", "historique", "ultimo", "último", "anterieur")),
    ("range", ("reference", "ref.", "ref ", "range", "interval", "normal values", "normes",
               "valores de", "valeurs de", "valeurs ref", "werte", "referencia", "valeursde",
               "valoresde",
               "valeurs de ref", "valeurs normales", "valeurs usuelles", "referenz", "norm",
               "valores de referencia", "valor de referencia", "rango", "intervalo",
               "limits", "expected")),
    ("unit", ("unit", "unité", "unite", "einheit", "einh.", "unidad", "units", "uds", "uom",
              "unid.")),
    ("flag", ("bewertung", "beurteilung", "kennzeichen", "interpretation",  # "wert" inside
              "markierung", "marca", "indicateur", "signal", "abn")),
    ("result", ("result", "résultat", "resultat", "ergebnis", "befund", "resultado", "value",
                "valeur", "wert", "current", "actuel", "valor", "aktuell", "actual")),
    ("flag", ("flag", "indicator", "h/l", "kennung", "indicador", "alert")),
    ("name", ("test", "analyte", "component", "determination", "examination", "parameter",
              "parametro", "analisis", "libelle",
              "paramètre", "parametre", "investigation",
              "examen", "analyse", "untersuchung", "analyt", "prueba", "determinacion",
              "determinación", "estudio", "description", "descripcion", "exam")),
)


@dataclass(frozen=True)
class Column:
    """One header column: what it holds, where it sits, and a unit its title names."""

    kind: str
    start: int
    end: int
    unit: str | None = None  # "Result (mmol/L)": every value below is in mmol/L

    @property
    def middle(self) -> float:
        """Horizontal centre, in character columns."""
        return (self.start + self.end) / 2


# Separate columns for the two ends of the range: "Low | High", "Mín. | Máx.".
_BOUND_WORDS = {
    "range_low": re.compile(r"^(?:ref\.?\s*)?(?:low|lower(?: limit)?|min\.?|minimum|"
                            r"untergrenze|inf\.?|limite inf\w*)$"),
    "range_high": re.compile(r"^(?:ref\.?\s*)?(?:high|upper(?: limit)?|max\.?|maximum|"
                             r"obergrenze|sup\.?|limite sup\w*)$"),
}


_DATE_IN_TITLE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


@lru_cache(maxsize=8192)  # every line is tried as a header
def header_kind(text: str) -> str | None:
    """What a header cell announces ("result", "previous", "range", ...), or None."""
    folded = _DATE_IN_TITLE.sub("", fold(text))  # "Last result 2024-11-01" names a column
    if re.search(r"\d[.,]\d|\d\s*-\s*\d", folded):  # a header never holds a range or value
        return None
    for kind, pattern in _BOUND_WORDS.items():
        if pattern.match(folded.strip()):
            return kind
    for kind, words in _FOLDED_HEADER_WORDS:
        if any(word in folded for word in words):
            return kind
    return None


def read_header(cells: list[Cell]) -> list[Column] | None:
    """The columns of a header line, or None when the line is not a table header."""
    if len(cells) < 2:
        return None
    columns = []
    unknown = 0
    for cell in cells:
        kind = header_kind(cell.text)
        if kind is None and _is_date(cell.text):
            kind = "dated"  # a cumulative report's column, named by its collection date
        elif kind is None and len(cell.text) > 3:
            unknown += 1  # "Status", "Lab": columns Carebook has no use for
        if kind:
            columns.append(Column(kind, cell.start, cell.end, _unit_in_title(cell.text)))
    kinds = {column.kind for column in columns}
    if len(kinds) < 2 or not kinds & {"result", "range", "unit", "out_of_range", "previous",
                                      "range_low", "range_high"}:
        return None
    if "dated" in kinds and not kinds & {"name", "unit", "range"}:
        return None  # a line of dates is not a header by itself
    if unknown * 2 >= len(columns) and len(kinds) < 3:
        return None  # mostly other words: a sentence, not a header
    if "name" not in kinds:
        # No title over the names (or one Carebook doesn't know): they sit before the first
        # column that holds values, after a flag column printed at the far left.
        first = next(i for i, column in enumerate(columns) if column.kind != "flag")
        start = columns[first - 1].end + 1 if first else 0
        columns.insert(first, Column("name", start, max(start, columns[first].start - 1)))
    return columns


def read_subheader(cells: list[Cell], columns: list[Column]) -> list[Column] | None:
    """Columns completed by a second header line ("Intervalo de referencia" over "Mín.  Máx."),
    or None when the line is not one."""
    bounds = [Column(kind, cell.start, cell.end) for cell in cells
              if (kind := header_kind(cell.text)) in ("range_low", "range_high")]
    if not columns or not bounds or len(bounds) != len(cells):
        return None
    kept = [column for column in columns
            if not any(min(b.end, column.end) > max(b.start, column.start) - 4 for b in bounds)
            or column.kind not in ("range", "unit")]
    return sorted(kept + bounds, key=lambda column: column.start)


def _unit_in_title(text: str) -> str | None:
    found = re.search(r"\(([^()]{1,20})\)\s*$", text)
    return normalise_unit(found[1]) if found else None


def column_of(cell: Cell, columns: list[Column]) -> Column | None:
    """The column a cell sits under: the one it overlaps most, else the best aligned."""
    if not columns:
        return None
    overlaps = [(min(cell.end, col.end) - max(cell.start, col.start), col) for col in columns]
    best_overlap, best = max(overlaps, key=lambda pair: pair[0])
    if best_overlap > 0:
        return best
    # Left-aligned cells line up with their title's start, right-aligned numbers with its end,
    # centred ones with its middle: the nearest of the three alignments decides.
    return min(columns, key=lambda col: min(abs(col.start - cell.start), abs(col.end - cell.end),
                                            abs(col.middle - cell.middle)))


_FOLDED_HEADER_WORDS = tuple((kind, tuple(fold(word) for word in words))
                             for kind, words in _HEADER_WORDS)


def _is_date(text: str) -> bool:
    return bool(re.fullmatch(r"\(?[\d/.\- ]{6,12}\)?", text))
