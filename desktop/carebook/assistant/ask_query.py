"""Understanding a free-text question: which tests, which kinds of record, which dates.

Everything here is plain look-up, no model: the catalogue's names and synonyms in all its
languages, a small table of everyday words, and date phrases in English (plus common French,
German and Spanish ones). What could not be placed is kept as words for a text search.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from carebook.domain.text import fold
from carebook.knowledge.catalogue import Catalogue
from carebook.knowledge.names import normalise_name

# --- what the words mean ------------------------------------------------------------------
# Everyday words for a group of tests: the numbers a clinician looks at for that question.
# "cholesterol" means the cholesterol numbers (total, LDL, HDL), not the whole lipid panel;
# "blood sugar" means glucose and HbA1c (and home glucose readings); "kidney" means creatinine,
# eGFR (any formula) and the urine albumin/creatinine ratio. These win over the catalogue's
# own synonyms (where "cholesterol" alone names total cholesterol only).
_CHOLESTEROL = ("total_cholesterol", "ldl_cholesterol", "ldl_cholesterol_direct",
                "hdl_cholesterol")
_EGFR = ("egfr", "egfr_ckd_epi_2021", "egfr_ckd_epi_cr_cys", "egfr_cystatin_c", "egfr_mdrd")
_EVERYDAY: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("cholesterol|cholesterin|colesterol|chol|cholestrol", _CHOLESTEROL, ()),
    ("good cholesterol|bon cholesterol|gutes cholesterin|colesterol bueno",
     ("hdl_cholesterol",), ()),
    ("bad cholesterol|mauvais cholesterol|schlechtes cholesterin|colesterol malo|ldl",
     ("ldl_cholesterol", "ldl_cholesterol_direct"), ()),
    ("lipids|lipid|lipid panel|lipid profile|blood fats|bilan lipidique|lipides|blutfette|"
     "blutfettwerte|lipidos|perfil lipidico",
     (*_CHOLESTEROL, "non_hdl_cholesterol", "triglycerides"), ()),
    ("sugar|sugars|blood sugar|blood sugars|glycemie|glycaemia|glycemia|sucre|taux de sucre|"
     "blutzucker|zucker|azucar|glucemia|glicemia", ("glucose", "hba1c"), ("blood_glucose",)),
    ("kidney|kidneys|kidney function|renal|renal function|rein|reins|fonction renale|niere|"
     "nieren|nierenfunktion|nierenwerte|rinon|rinones|funcion renal",
     ("creatinine", *_EGFR, "urine_albumin_creatinine_ratio"), ()),
    ("egfr|gfr|dfg|filtration rate", _EGFR, ()),
    ("liver|liver function|foie|bilan hepatique|leber|leberwerte|higado|funcion hepatica",
     ("alt", "ast", "alp", "ggt", "bilirubin_total"), ()),
    ("thyroid|thyroide|schilddruse|schilddrusenwerte|tiroides", ("tsh", "free_t4"), ()),
    ("iron|fer|eisen|hierro|iron stores", ("ferritin", "iron"), ()),
    ("blood count|full blood count|complete blood count|cbc|fbc|nfs|hemogramme|blutbild|"
     "hemograma", ("hemoglobin", "wbc", "platelets"), ()),
    ("blood pressure|bp|tension|tension arterielle|blutdruck|presion arterial", (),
     ("blood_pressure",)),
    ("pulse|heart rate|heartbeat|pouls|frequence cardiaque|puls|herzfrequenz|"
     "frecuencia cardiaca|pulso", (), ("heart_rate",)),
    ("weight|weigh|body weight|poids|gewicht|peso", (), ("weight",)),
    ("height|how tall|taille|korpergrosse|altura|estatura", (), ("height",)),
    ("temperature|temperatur|temperatura", (), ("temperature",)),
    ("oxygen|oxygen saturation|spo2|sats|sauerstoff|sauerstoffsattigung|oxigeno|saturacion",
     (), ("oxygen_saturation",)),
    ("breathing rate|respiratory rate|frequence respiratoire|atemfrequenz|"
     "frecuencia respiratoria", (), ("respiratory_rate",)),
    ("peak flow|peak expiratory flow|debit de pointe", (), ("peak_flow",)),
    ("home glucose|glucose meter|glucometer|finger prick", (), ("blood_glucose",)),
)

# Words that ask for a kind of record.
_TYPE_WORDS = {
    "medication": "medicine|medicines|medication|medications|meds|drug|drugs|pill|pills|tablet|"
                  "tablets|prescription|prescriptions|prescribed|treatment|treatments|take|"
                  "taking|refill|refills|medicament|medicaments|traitement|traitements|"
                  "ordonnance|medikament|medikamente|arznei|arzneimittel|tabletten|"
                  "medicamento|medicamentos|medicina|medicinas|pastillas|tratamiento",
    "allergy": "allergy|allergies|allergic|allergique|allergiques|allergie|allergien|"
               "allergisch|alergia|alergias|alergico|alergica",
    "condition": "condition|conditions|diagnosis|diagnoses|diagnosed|illness|illnesses|disease|"
                 "diseases|problems|health problems|medical history|maladie|maladies|"
                 "diagnostic|krankheit|krankheiten|erkrankung|erkrankungen|diagnose|diagnosen|"
                 "vorerkrankungen|enfermedad|enfermedades|diagnostico",
    "immunization": "vaccine|vaccines|vaccination|vaccinations|vaccinated|immunization|"
                    "immunizations|immunisation|immunisations|shot|shots|jab|jabs|booster|"
                    "boosters|vaccin|vaccins|rappel|impfung|impfungen|geimpft|impfstoff|"
                    "auffrischung|vacuna|vacunas|vacunacion|vacunado|vacunada",
    "visit": "visit|visits|appointment|appointments|consultation|consultations|check up|"
             "checkup|doctor|doctors|rendez vous|rdv|medecin|termin|termine|arzttermin|arzt|"
             "besuch|cita|citas|consulta|medico",
    "lab_result": "lab|labs|lab results|lab tests|test|tests|blood test|blood tests|bloodwork|"
                  "blood work|results|test results|analyses|bilan sanguin|prise de sang|"
                  "laborwerte|blutwerte|blutuntersuchung|laborergebnisse|analisis|analitica",
    "vital": "vitals|vital signs|signes vitaux|vitalwerte|vitalzeichen|signos vitales",
}

# Words that ask how something moved. Never read as a judgement: code says how it moved.
_CHANGE_WORDS = (
    "improved|improve|improving|improvement|better|worse|worsened|getting worse|changed|change|"
    "changes|changing|trend|trends|evolved|evolution|progress|progressed|gone up|go up|went up|"
    "gone down|go down|went down|risen|rise|rising|rose|fallen|falling|fell|dropped|dropping|"
    "increased|increasing|decreased|decreasing|compare|compared|comparison|over time|history|"
    "ameliore|amelioree|amelioration|evolue|evoluee|baisse|augmente|monte|diminue|empire|"
    "verbessert|verschlechtert|verandert|entwickelt|entwicklung|gestiegen|gesunken|verlauf|"
    "mejorado|mejorar|mejoria|empeorado|cambiado|cambio|evolucion|subido|bajado|aumentado|"
    "disminuido|tendencia")

# Catalogue synonyms that are also everyday words or units in one of the four languages
# ("K", "Na", "mg", "blood", "reaction", "got", "ist", "quick"...): never read from a question.
_AMBIGUOUS_WORDS = frozenset((
    "k", "na", "ca", "cl", "mg", "ag", "ap", "ld", "pt", "sg", "gr", "gb", "ht", "vs", "ves",
    "got", "ist", "sun", "ace", "pcr", "quick", "t p", "s g", "v s", "l h", "blood", "blut",
    "sang", "sangre", "reaction", "reaccion", "color", "colour", "couleur", "farbe", "aspect",
    "aspecto", "appearance", "aussehen", "clarity", "claridad", "klarheit", "transparency",
    "transparencia", "limpidite", "turbidity", "turbidez", "trubung", "turbidite", "densite",
    "densidad", "dichte", "cast", "casts", "crystal", "crystals"))



def _word_list(text: str) -> list[str]:
    return text.split()


_URINE_WORDS = frozenset(("urine", "urines", "urinary", "urinaire", "urin", "harn", "orina"))

# Words that carry no subject: question words, pronouns, family words, fillers (EN/FR/DE/ES).
_STOPWORDS = frozenset(_word_list("""
a an the i me my mine myself we our us you your he him his she her they them their it its
is are was were be been being am do does did done doing have has had having what whats which
who whom whose when where why how of to in on at by for with about from as and or but not no
yes any all some there here this that these those than then so if can could should would will
shall may might must please tell show give list let know see get got much many more most less
level levels value values number numbers reading readings measure measured measurement ever
still now currently current last latest recent most newest first time times date dates again
going look looks like okay ok normal high low good bad fine dad daddy father mum mummy mom
mommy mother son daughter child kid grandpa grandma wife husband papa maman fille fils pere
mere vater mutter tochter sohn padre madre hija hijo just also too really very already since
today heute hoy aujourd hui hello hi hey thanks thank bonjour salut merci hallo danke hola gracias
le la les l un une des de du d au aux et ou mon ma mes ton ta tes son sa ses notre nos votre
vos leur leurs je j moi tu il elle nous vous ils elles est sont etait ete ai avait quel quelle
quels quelles que qu quoi qui quand comment pourquoi combien ce cet cette ces y en dans sur pour
par avec sans ne pas plus moins tres taux resultat resultats valeur valeurs
der die das den dem des ein eine einen einem einer mein meine meinen meinem meiner dein ich
mich mir dich sich uns du er sie es wir ist sind war waren hat habe haben hatte wie was wer wann
wo warum welche welcher welches und oder nicht kein keine mit von zu zum zur im am an auf fur
bei noch schon wert werte ergebnis ergebnisse
el los lo una unos unas del al mi mis tus su sus yo nos se te son era fue ha he han tengo tiene
cual cuales quien cuando como donde por para con sin mas menos muy valor resultado nivel
niveles
"""))


@dataclass(frozen=True)
class Meaning:
    """What a phrase of the question names."""

    analytes: tuple[str, ...] = ()
    record_types: tuple[str, ...] = ()
    vital_kinds: tuple[str, ...] = ()
    change: bool = False
    specimen: str | None = None  # for a catalogue name: the analyte's specimen


@dataclass(frozen=True)
class Query:
    """What the question was understood to ask."""

    analytes: tuple[str, ...] = ()  # catalogue keys
    record_types: tuple[str, ...] = ()  # record type keys ("medication", "vital", ...)
    since: date | None = None
    until: date | None = None
    wants_change: bool = False
    words: tuple[str, ...] = ()  # leftover content words, for a plain text search
    vital_kinds: tuple[str, ...] = ()  # "blood_pressure", "weight", ...
    phrases: tuple[str, ...] = ()  # the question's words that named tests or vital signs

    @property
    def empty(self) -> bool:
        """True when nothing in the question could be looked for."""
        return not (self.analytes or self.record_types or self.words)


def understand(question: str, catalogue: Catalogue, today: date,
               names: Iterable[str] = ()) -> Query:
    """Read a question: tests, record kinds, dates and leftover words. `names` are the
    person's own names, which say who, not what."""
    text = fold(question).replace("’", "'").replace("`", "'")
    since, until, change, text = read_dates(text, today)
    skip = {token for name in names for token in normalise_name(name).split()}
    tokens = [t for t in normalise_name(text).split() if t not in skip]
    urine = any(token in _URINE_WORDS for token in tokens)
    vocabulary, longest = _vocabulary(catalogue)
    found: list[Meaning] = []
    phrases, leftover = [], []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            candidates = vocabulary.get(tuple(tokens[i:i + size]))
            if candidates:
                meaning = _pick(candidates, urine)
                found.append(meaning)
                if meaning.analytes or meaning.vital_kinds:
                    phrases.append(" ".join(tokens[i:i + size]))
                i += size
                break
        else:
            leftover.append(tokens[i])
            i += 1
    kinds = _unique(k for m in found for k in m.vital_kinds)
    types = _unique([*(t for m in found for t in m.record_types), *(["vital"] if kinds else [])])
    return Query(
        analytes=_unique(a for m in found for a in m.analytes), record_types=types,
        since=since, until=until, wants_change=change or any(m.change for m in found),
        words=_unique(w for w in leftover if _content_word(w)), vital_kinds=kinds,
        phrases=_unique(phrases))


def _content_word(word: str) -> bool:
    return len(word) >= 2 and not word.isdigit() and word not in _STOPWORDS and word.isalnum()


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _pick(candidates: list[Meaning], urine: bool) -> Meaning:
    # One name can mean a blood test and a urine test ("glucose"): blood unless urine is said.
    wanted = "urine" if urine else "blood"
    return next((m for m in candidates if m.specimen == wanted), candidates[0])


@lru_cache(maxsize=4)
def _vocabulary(catalogue: Catalogue) -> tuple[dict[tuple[str, ...], list[Meaning]], int]:
    vocabulary: dict[tuple[str, ...], list[Meaning]] = {}
    for analyte in catalogue.analytes():
        for name in (analyte.name, *analyte.all_synonyms()):
            norm = normalise_name(name)
            if not norm or norm in _AMBIGUOUS_WORDS:
                continue
            held = vocabulary.setdefault(tuple(norm.split()), [])
            if all(m.analytes != (analyte.key,) for m in held):
                held.append(Meaning(analytes=(analyte.key,), specimen=analyte.specimen))

    def own(phrases: str, meaning: Meaning) -> None:
        for phrase in phrases.split("|"):
            vocabulary[tuple(phrase.split())] = [meaning]

    for phrases, analytes, kinds in _EVERYDAY:
        known = tuple(key for key in analytes if catalogue.get(key) is not None)
        own(phrases, Meaning(analytes=known, vital_kinds=kinds))
    for type_key, phrases in _TYPE_WORDS.items():
        own(phrases, Meaning(record_types=(type_key,)))
    own(_CHANGE_WORDS, Meaning(change=True))
    return vocabulary, min(8, max(len(key) for key in vocabulary))


# --- dates --------------------------------------------------------------------------------
_MONTHS = {
    name: number for number, names in enumerate((
        "january|jan|janvier|januar|enero", "february|feb|fevrier|februar|febrero",
        "march|mar|mars|marz|marzo", "april|apr|avril|abril", "may|mai|mayo",
        "june|jun|juin|juni|junio", "july|jul|juillet|juli|julio",
        "august|aug|aout|agosto", "september|sep|sept|septembre|septiembre",
        "october|oct|octobre|oktober|octubre", "november|nov|novembre|noviembre",
        "december|dec|decembre|dezember|diciembre"), start=1)
    for name in names.split("|")}
_NUMBERS = {"one": 1, "a": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "deux": 2, "trois": 3, "douze": 12, "zwei": 2, "drei": 3, "sechs": 6, "zwolf": 12,
            "dos": 2, "tres": 3, "seis": 6, "doce": 12}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM = r"\d{1,3}|" + "|".join(_NUMBERS)
_UNIT = (r"days?|weeks?|months?|years?|jours|semaines|mois|ans|annees|tagen?|wochen?|"
         r"monaten?|jahren?|dias|semanas|meses|anos")
_SINCE = r"(?:since|from|depuis|des|a partir d[eu]|seit|ab|desde)"
_AFTER = r"(?:after|apres|nach|despues de)"
_BEFORE = r"(?:before|avant|vor|antes de)"
_UNTIL = r"(?:until|till|up to|jusqu'(?:a|au|en)|bis|hasta)"
_IN = r"(?:in|during|en|im|durante|au cours de)"
_LAST_YEAR = (r"(?:the |le |dem |el )?(?:last|previous) year|l'an (?:dernier|passe)|"
              r"l'annee (?:derniere|passee)|letzte[mns]? jahr|vorjahr|el ano pasado")


def _period(name: str, months_need_year: bool = False) -> str:
    month = (rf"(?:{_MONTH})\s+(?:de\s+)?\d{{4}}" if months_need_year
             else rf"(?:{_MONTH})(?:\s+(?:de\s+)?\d{{4}})?")
    return (rf"(?P<{name}>\d{{4}}-\d{{2}}-\d{{2}}|{month}|(?:19|20)\d{{2}})"
            r"(?![\w-])")


def _span(text: str, today: date) -> tuple[date, date]:
    """First and last day of a matched period: an ISO date, a year, a month (of a year)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return day, day
    if text.isdigit():
        return date(int(text), 1, 1), date(int(text), 12, 31)
    words = text.split()
    month = _MONTHS[words[0]]
    year = int(words[-1]) if words[-1].isdigit() else (
        today.year if month <= today.month else today.year - 1)
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def months_before(day: date, count: int) -> date:
    """The same day `count` months earlier (the month's last day when it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - count
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def _back(today: date, count: int, unit: str) -> date:
    if unit.startswith(("day", "jour", "tag", "dia")):
        return today - timedelta(days=count)
    if unit.startswith(("week", "semaine", "woche", "semana")):
        return today - timedelta(weeks=count)
    months = count if unit.startswith(("month", "mois", "monat", "mes")) else count * 12
    return months_before(today, months)


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBERS[text]


def _last_month(today: date) -> tuple[date | None, date | None]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _last_week(today: date) -> tuple[date | None, date | None]:
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


Window = tuple[date | None, date | None]
# (pattern, how it turns a match into a window, whether it asks about a change "since").
_RULES: tuple[tuple[str, object, bool], ...] = (
    (rf"\b(?:between|entre|zwischen|from|de|du|von|desde)\s+{_period('a')}\s+"
     rf"(?:and|to|et|au|a|und|bis|y|hasta)\s+{_period('b')}",
     lambda m, t: (_span(m["a"], t)[0], _span(m["b"], t)[1]), False),
    (rf"\b(?:(?:in|over|during|within|for)\s+)?(?:the\s+)?(?:last|past|previous)\s+"
     rf"(?P<n>{_NUM})\s+(?P<u>{_UNIT})\b", lambda m, t: (_back(t, _count(m["n"]), m["u"]), None),
     False),
    (rf"\b(?:(?:les|ces|au cours des|dans les|sur les)\s+)?(?P<n>{_NUM})\s+derni(?:er|ere)s\s+"
     rf"(?P<u>{_UNIT})\b", lambda m, t: (_back(t, _count(m["n"]), m["u"]), None), False),
    (rf"\b(?:(?:les|ces|au cours des|dans les)\s+)?derni(?:er|ere)s\s+(?P<n>{_NUM})\s+"
     rf"(?P<u>{_UNIT})\b", lambda m, t: (_back(t, _count(m["n"]), m["u"]), None), False),
    (rf"\b(?:(?:in|seit) den\s+)?letzten\s+(?P<n>{_NUM})\s+(?P<u>{_UNIT})\b",
     lambda m, t: (_back(t, _count(m["n"]), m["u"]), None), False),
    (rf"\b(?:en\s+)?(?:los|las)\s+ultim(?:os|as)\s+(?P<n>{_NUM})\s+(?P<u>{_UNIT})\b",
     lambda m, t: (_back(t, _count(m["n"]), m["u"]), None), False),
    (rf"\b{_SINCE}\s+(?:{_LAST_YEAR})\b", lambda m, t: (date(t.year - 1, 1, 1), None), True),
    (r"\b(?:in|over|during|within)\s+the\s+(?:last|past)\s+(?P<u>year|month|week)\b|"
     r"\b(?:the\s+)?past\s+(?P<v>year|month|week)\b",
     lambda m, t: (_back(t, 1, m["u"] or m["v"]), None), False),
    (rf"\b(?:{_LAST_YEAR})\b", lambda m, t: (date(t.year - 1, 1, 1), date(t.year - 1, 12, 31)),
     False),
    (r"\b(?:this year|cette annee|dieses jahr|diesem jahr|este ano)\b",
     lambda m, t: (date(t.year, 1, 1), None), False),
    (r"\b(?:last month|le mois dernier|letzten monat|letzter monat|el mes pasado)\b",
     lambda m, t: _last_month(t), False),
    (r"\b(?:this month|ce mois(?:-ci| ci)?|diesen monat|este mes)\b",
     lambda m, t: (t.replace(day=1), None), False),
    (r"\b(?:last week|la semaine derniere|letzte woche|la semana pasada)\b",
     lambda m, t: _last_week(t), False),
    (r"\b(?:recently|lately|recemment|dernierement|kurzlich|neulich|in letzter zeit|"
     r"recientemente|ultimamente)\b", lambda m, t: (t - timedelta(days=90), None), False),
    (r"\b(?:next|upcoming|coming|prochaine?s?|nachste[nmrs]?|proxim[oa]s?|future)\b",
     lambda m, t: (t, None), False),
    (rf"\b{_SINCE}\s+(?:the\s+|le\s+|el\s+)?{_period('a')}",
     lambda m, t: (_span(m["a"], t)[0], None), True),
    (rf"\b{_AFTER}\s+{_period('a')}",
     lambda m, t: (_span(m["a"], t)[1] + timedelta(days=1), None), False),
    (rf"\b{_BEFORE}\s+{_period('a')}",
     lambda m, t: (None, _span(m["a"], t)[0] - timedelta(days=1)), False),
    (rf"\b{_UNTIL}\s+{_period('a')}", lambda m, t: (None, _span(m["a"], t)[1]), False),
    (rf"\b{_IN}\s+(?:(?:the year|l'annee|jahr|el ano|ano)\s+)?{_period('a')}",
     lambda m, t: _span(m["a"], t), False),
    (rf"\b{_period('a', months_need_year=True)}", lambda m, t: _span(m["a"], t), False),
)
_COMPILED = tuple((re.compile(pattern), window, change) for pattern, window, change in _RULES)


def read_dates(text: str, today: date) -> tuple[date | None, date | None, bool, str]:
    """The window a folded question names (since, until; either may be None), whether it
    said "since", and the text with the date phrases blanked out."""
    since: date | None = None
    until: date | None = None
    change = False
    for pattern, window, says_since in _COMPILED:
        for match in pattern.finditer(text):
            try:
                start, end = window(match, today)
            except (ValueError, KeyError):
                continue  # "2024-02-31" or a year 0: not a date after all
            since = start if since is None or (start and start > since) else since
            until = end if until is None or (end and end < until) else until
            change = change or says_since
            text = text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]
    return since, until, change, text
