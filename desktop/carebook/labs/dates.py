"""The date a sample was collected, found among the other dates a report prints.

A report carries several dates (birth, received, printed); only the one labelled as the
collection counts. Day-first or month-first is decided from the report itself: any date in it
that can only be read one way settles it, else its language does ("11/03/2026" is 11 March in a
French report and November 3 in an American one).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from carebook.domain.text import fold

_MONTHS = {
    "jan": 1, "janv": 1, "janvier": 1, "januar": 1, "enero": 1, "ene": 1, "january": 1,
    "feb": 2, "fev": 2, "fevr": 2, "fevrier": 2, "februar": 2, "febrero": 2, "february": 2,
    "mar": 3, "mars": 3, "marz": 3, "maerz": 3, "marzo": 3, "march": 3,
    "apr": 4, "avr": 4, "avril": 4, "april": 4, "abr": 4, "abril": 4,
    "may": 5, "mai": 5, "mayo": 5,
    "jun": 6, "juin": 6, "juni": 6, "junio": 6, "june": 6,
    "jul": 7, "juil": 7, "juillet": 7, "juli": 7, "julio": 7, "july": 7,
    "aug": 8, "aout": 8, "august": 8, "ago": 8, "agosto": 8,
    "sep": 9, "sept": 9, "septembre": 9, "september": 9, "septiembre": 9,
    "oct": 10, "okt": 10, "octobre": 10, "oktober": 10, "octubre": 10, "october": 10,
    "nov": 11, "novembre": 11, "november": 11, "noviembre": 11,
    "dec": 12, "dez": 12, "dic": 12, "decembre": 12, "dezember": 12, "diciembre": 12,
    "december": 12,
}

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-]*\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_NAMED = re.compile(r"(?<!\d)(\d{1,2})\.?(?:[ -]|\s*de\s*)([a-z]{3,10})\.?(?:[ -]|\s*de\s*)"
                    r"(\d{4}|\d{2})(?![\d:])", re.IGNORECASE)
_NAMED_US = re.compile(r"\b([a-z]{3,10})\.? (\d{1,2}),? (\d{4}|\d{2})(?![\d:])", re.IGNORECASE)

_COLLECTED = re.compile(
    r"collect|coll\.|drawn|taken|prelievo|sample date|specimen date|"
    r"date of (?:collection|sampling)|sampl(?:ed|ing)|"
    r"prel[eè]v|prelev|entnahme|abnahme|entnommen|probenahme|toma de (?:la )?muestra|"
    r"fecha de (?:toma|extraccion|obtencion|recoleccion)|extraccion|obtencion|recogida",
    re.IGNORECASE)
_OTHER_DATE = re.compile(
    r"birth|d\.?o\.?b|born|naissance|\bne\(?e?\)? le|geburt|geb\.|nacimiento|print|edit|"
    r"imprim|druck|impres|receiv|recept|reçu|recu|eingang|recepcion|report(?:ed)?\b|valid|"
    r"freigabe|befund(?:datum)?|emis|issued|compte rendu|authori[sz]|verified|approved|"
    r"signed|valid[ée]|next|recommended|due|follow", re.IGNORECASE)

_DANGLING_LABEL = re.compile(r"\b(?:fecha|date|datum|data)(?: (?:de|of|du|der|des))?\s*$")

_LANGUAGE_MARKERS = {
    "fr": ("résultat", "resultat", "unités", "valeurs", "prélev", "antériorit", "hémato",
           "naissance", "réception", "sexe", "libellé", "normes", "unité",
           "biochimie", "dossier", "soit", "créatinine", "leucocytes", "glycémie"),
    "de": ("ergebnis", "einheit", "referenz", "befund", "entnahme", "untersuchung", "blutbild",
           "kreatinin", "leukozyten", "normbereich", "vorwert"),
    "es": ("resultado", "unidad", "referencia", "fecha", "muestra", "hemograma", "glucosa",
           "leucocitos", "valores", "paciente"),
}


def detect_language(text: str) -> str:
    """"en", "fr", "de" or "es", by counting words only one of them uses."""
    lowered = text.casefold()
    counts = {lang: sum(lowered.count(word) for word in words)
              for lang, words in _LANGUAGE_MARKERS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 3 else "en"


def find_collected_date(text: str, day_first: bool) -> str | None:
    """The ISO collection date the report prints, or None when it prints none we can trust;
    `day_first` is the report's date order (see `day_first_for`)."""
    labelled = []
    unlabelled = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        plain = _fold(line)
        for position, iso in _dates_in(line, day_first):
            before = plain[max(0, position - 60):position]
            if _DANGLING_LABEL.search(before) and number + 1 < len(lines):
                # "Fecha de   05/08/2026" over "extracción:": the label wrapped.
                start = max(0, position - 40)
                before += " " + _fold(lines[number + 1][start:position + 10])
            if _COLLECTED.search(before) and not _OTHER_DATE.search(_after_last(before)):
                labelled.append(iso)
            elif not _OTHER_DATE.search(before[-40:]):
                unlabelled.append(iso)
    if labelled:
        return labelled[0]
    distinct = set(unlabelled)
    return unlabelled[0] if len(distinct) == 1 else None


def read_date(text: str, day_first: bool) -> str | None:
    """The first date in a short text (a column title such as "12.03.2026"), as ISO."""
    found = _dates_in(text, day_first)
    return found[0][1] if found else None


def _after_last(before: str) -> str:
    # Only the words after the collection label may disqualify it ("Collected / received").
    found = list(_COLLECTED.finditer(before))
    return before[found[-1].end():] if found else before


def _dates_in(line: str, day_first: bool) -> list[tuple[int, str]]:
    found = []
    for match in _ISO.finditer(line):
        found.append((match.start(), _make(match[1], match[2], match[3])))
    for match in _NUMERIC.finditer(line):
        first, second, year = int(match[1]), int(match[3]), _year(match[4])
        dot_date = match[2] == "."  # dotted dates are always day-first (German)
        if first > 12 or dot_date or (day_first and second <= 12):
            found.append((match.start(), _make(year, second, first)))
        else:
            found.append((match.start(), _make(year, first, second)))
    for match in _NAMED.finditer(_fold(line)):
        month = _MONTHS.get(match[2].casefold())
        if month:
            found.append((match.start(), _make(_year(match[3]), month, match[1])))
    for match in _NAMED_US.finditer(_fold(line)):
        month = _MONTHS.get(match[1].casefold())
        if month:
            found.append((match.start(), _make(_year(match[3]), month, match[2])))
    return sorted((pos, iso) for pos, iso in found if iso)


def day_first_for(text: str, language: str, family_day_first: bool | None = None) -> bool:
    """Whether the report writes dates day first: an unambiguous date in it settles it, else
    the date order of its family (when recognised), else its language."""
    votes = 0
    for match in _NUMERIC.finditer(text):
        if match[2] == ".":
            continue
        first, second = int(match[1]), int(match[3])
        votes += (first > 12 and second <= 12) - (second > 12 and first <= 12)
    if votes:
        return votes > 0  # a date that can only be read one way settles it
    if family_day_first is not None:
        return family_day_first
    return language != "en"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(year, month, day) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


# Asked again for every date on a line; pure, and run only in the isolated child.
_fold = lru_cache(maxsize=4096)(fold)
