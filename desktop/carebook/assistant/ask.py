"""Ask: a free-text question answered only from one person's records and the catalogue.

No model here. Code finds the records the question names, converts units, works out how a
value moved, and writes short sentences that each cite their records. When nothing matches,
the answer says so and says what was looked for: it never guesses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from carebook.assistant.ask_query import Query, understand
from carebook.assistant.ask_records import (
    SEARCH_FIELDS,
    current_in_window,
    in_window,
    mentions,
    record_citation,
    record_sentence,
    sort_records,
    text_matches,
)
from carebook.assistant.facts import catalogue_citation
from carebook.assistant.grounding import Citation, Fact, Grounding, Subject
from carebook.domain.record_types import VITAL_KINDS
from carebook.domain.records import Record
from carebook.domain.text import fold
from carebook.domain.values import format_date, format_number, format_reading, spaced
from carebook.knowledge.catalogue import Catalogue
from carebook.knowledge.model import Analyte
from carebook.services.lab_results import (
    Trend,
    TrendValue,
    find_analyte,
    result_line,
    shown_unit,
    trend_from_records,
)

NOT_FOUND = "That is not in your records."
MAX_VALUES = 8  # values listed per test; the first one (the baseline) is always kept
MAX_ITEMS = 12  # records listed per kind

TYPE_LABELS = {"medication": "medicines", "allergy": "allergies", "condition": "conditions",
               "immunization": "vaccinations", "visit": "visits", "vital": "vital signs",
               "lab_result": "lab results"}
_KIND_LABELS = dict(VITAL_KINDS)
_FLAG_SIDE = {"H": "above", "L": "below"}


@dataclass(frozen=True)
class Answer:
    """What was found for a question, as cited facts, and how the question was understood."""

    found: bool
    grounding: Grounding
    query: Query
    looked_for: str = ""  # "I looked for: cholesterol results since 1 Jan 2025."

    @property
    def text(self) -> str:
        """The facts, one per line; when nothing was found, say so and what was looked for."""
        return self.grounding.text if self.found else f"{NOT_FOUND}\n{self.looked_for}"


def answer(question: str, records: list[Record], catalogue: Catalogue, today: date,
           sex: str | None = None, names: Iterable[str] = ()) -> Answer:
    """Answer a question from one person's records (all types) and the catalogue only.
    `names` are the person's own names, so "Is Léa allergic to…" searches no "Léa"."""
    query = understand(question, catalogue, today, names)
    writer = _Writer(catalogue, query, today, sex)
    labs = [r for r in records if r.type_key == "lab_result"]
    analytes, types = query.analytes, query.record_types
    if not (analytes or types) and query.words:
        analytes = _analytes_mentioning(labs, query.words, catalogue)
        types = tuple(t for t in SEARCH_FIELDS
                      if any(mentions(r, query.words) for r in records if r.type_key == t))
    # The kinds of record the question names come first; tests it names act as filters
    # there ("medicines for cholesterol") and are then shown themselves.
    for type_key in types:
        if type_key != "lab_result":
            writer.records(type_key, [r for r in records if r.type_key == type_key])
    for key in analytes:
        writer.lab(key, [r for r in labs if _key_of(r, catalogue) == key])
    if "lab_result" in types and not analytes:
        writer.latest_report(labs)
    grounding = writer.grounding
    return Answer(bool(grounding.record_ids), grounding, query, looked_for(query, catalogue))


def looked_for(query: Query, catalogue: Catalogue) -> str:
    """How the question was understood, in one line the person can check."""
    if query.empty:
        return "I could not tell what to look for. Try naming a test, a medicine or a date."
    parts = []
    if query.analytes:
        names = [_name(catalogue.get(key).name) for key in query.analytes]
        parts.append(f"{_and(names)} results")
    for type_key in query.record_types:
        if type_key == "vital" and query.vital_kinds:
            kinds = [_name(_KIND_LABELS[kind]) for kind in query.vital_kinds]
            parts.append(f"{_and(kinds)} readings")
        elif type_key != "lab_result" or not query.analytes:
            parts.append(TYPE_LABELS[type_key])
    subject = _and(parts) or "records"
    if query.words:
        subject += " mentioning " + _and([f'"{word}"' for word in query.words], "or")
    return f"I looked for: {subject}{_window_words(query)}."


def _window_words(query: Query) -> str:
    since, until = query.since, query.until
    if since and until:
        if since == until:
            return f" on {format_date(since.isoformat())}"
        return f" from {format_date(since.isoformat())} to {format_date(until.isoformat())}"
    if since:
        return f" since {format_date(since.isoformat())}"
    return f" up to {format_date(until.isoformat())}" if until else ""


class _Writer:
    """Collects cited facts for one question."""

    def __init__(self, catalogue: Catalogue, query: Query, today: date,
                 sex: str | None) -> None:
        self.catalogue, self.query, self.today, self.sex = catalogue, query, today, sex
        self.grounding = Grounding()

    def add(self, text: str, records: Iterable[Record] = (),
            extra: tuple[Citation, ...] = ()) -> None:
        """One fact, citing its records (and any catalogue entry)."""
        cited = list(records)
        self.grounding.facts.append(Fact(text, (*map(record_citation, cited), *extra)))
        for record in cited:
            if record.id is not None and record.id not in self.grounding.record_ids:
                self.grounding.record_ids.append(record.id)

    def in_window(self, day: str | None) -> bool:
        """True when an ISO date falls in the question's window (always, with no window)."""
        return in_window(day, self.query.since, self.query.until)

    # --- lab results ----------------------------------------------------------------------
    def lab(self, key: str, history: list[Record]) -> None:
        """One test's values in the window, and how it moved when the question asks."""
        history = sorted(history, key=lambda r: r.values["collected_at"])
        shown = self._lab_selection(history)
        if not shown:
            return
        query, windowed = self.query, bool(self.query.since or self.query.until)
        analyte = self.catalogue.get(key)
        trend = trend_from_records(shown, key, self.catalogue, self.sex)
        name = _name(analyte.name if analyte else trend.name)
        listed = trend.values
        if len(listed) > MAX_VALUES:
            listed = [listed[0], *listed[-(MAX_VALUES - 1):]]
        if query.wants_change:
            self._change(name, trend, listed)
        for value in listed:
            self._value(value, trend, analyte, name)
        for note in trend.notes():
            if not note.startswith("No report printed a range"):
                self.add(note, [v.record for v in trend.values if v.unit != trend.unit])
        if len(trend.values) > len(listed):
            self.add(f"{len(trend.values) - len(listed)} results in between are not shown.")
        earlier = [r for r in history if r.values["collected_at"] < shown[0].values[
            "collected_at"]]
        if not query.wants_change and not windowed and earlier:
            self.add(f"There are {len(earlier)} earlier results, the first on "
                     f"{format_date(earlier[0].values['collected_at'])}.", earlier[:1])
        if analyte is not None:
            self.add(_first_sentence(analyte.text.what), extra=(catalogue_citation(analyte),))

    def _lab_selection(self, history: list[Record]) -> list[Record]:
        """The results to show: those in the window; with no window and no change asked,
        the latest; a change asked with one result since then adds the one before."""
        query = self.query
        shown = [r for r in history if self.in_window(r.values["collected_at"])]
        if not shown:
            return []
        if query.wants_change and query.since and _numeric_count(shown) < 2:
            before = [r for r in history if r.values["collected_at"][:10]
                      < query.since.isoformat() and r.values.get("value") is not None]
            return before[-1:] + shown
        if not query.wants_change and not (query.since or query.until):
            return shown[-1:]
        return shown

    def _value(self, value: TrendValue, trend: Trend | None, analyte: Analyte | None,
               name: str) -> None:
        record, values = value.record, value.record.values
        printed = values.get("value_text") or format_number(values.get("value"))
        shown = spaced(printed, shown_unit(values.get("unit"), self.catalogue))
        if trend is not None and value.converted is not None and value.unit != trend.unit:
            shown += f" ({spaced(_in_trend_unit(value, trend), trend.unit_label)})"
        line = result_line(record, analyte, self.catalogue, self.sex)
        words = _flag_words(line.flag, line.range_text, line.typical)
        self.add(f"On {format_date(values['collected_at'])}, {name} was {shown}"
                 f"{', ' + words if words else ''}.", [record])
        self.grounding.subjects.append(Subject(
            name=analyte.name if analyte else values.get("name", name), value_text=printed,
            flag=value.flag, aliases=_aliases(analyte, values.get("name")),
            loinc=values.get("loinc"), key=analyte.key if analyte else None))

    def _change(self, name: str, trend: Trend, listed: list[TrendValue]) -> None:
        points = [v for v in listed if v.converted is not None]
        if len(points) < 2:
            if points:
                self.add(f"There is only one {name} result here, so there is nothing to "
                         "compare it with.", [points[0].record])
            return
        first, last = points[0], points[-1]
        start, end = _in_trend_unit(first, trend), _in_trend_unit(last, trend)
        when = (f"From {format_date(first.collected_at)} to {format_date(last.collected_at)}, "
                f"{name}")
        unit = trend.unit_label
        if start == end:
            text = f"{when} was {spaced(end, unit)} both times."
        else:
            up = last.converted > first.converted
            text = f"{when} went {'up' if up else 'down'} from {start} to {spaced(end, unit)}"
            if first.converted and unit != "%":  # "7.2 to 7.6%" needs no second percentage
                share = round(abs(last.converted - first.converted) / abs(first.converted) * 100)
                text += f" ({share or 'less than 1'} % {'higher' if up else 'lower'})"
            text += "."
        self.add(text, [first.record, last.record])
        moved = _range_move(_capital(name), first.flag, last.flag)
        if moved:
            self.add(moved, [first.record, last.record])

    def latest_report(self, labs: list[Record]) -> None:
        """Every result of the most recent collection day in the window, abnormal first."""
        days = [r.values["collected_at"][:10] for r in labs
                if self.in_window(r.values["collected_at"])]
        if not days:
            return
        day = max(days)
        results = [r for r in labs if r.values["collected_at"][:10] == day]
        results.sort(key=lambda r: (r.values.get("flag") not in ("H", "L", "A"),
                                    r.values["name"].casefold()))
        for record in results[:MAX_ITEMS]:
            analyte = find_analyte(record, self.catalogue)
            value = trend_from_records([record], _key_of(record, self.catalogue),
                                       self.catalogue, self.sex).values[0]
            self._value(value, None, analyte,
                        _name(analyte.name if analyte else record.values["name"]))
        if len(results) > MAX_ITEMS:
            self.add(f"{len(results) - MAX_ITEMS} more results that day are not shown.")

    # --- other records --------------------------------------------------------------------
    def records(self, type_key: str, records: list[Record]) -> None:
        """The records of one kind that the question names, each in one cited sentence."""
        query = self.query
        if type_key == "vital":
            if query.vital_kinds:
                records = [r for r in records if r.values.get("kind") in query.vital_kinds]
            elif "vital" not in query.record_types:  # found by a word search
                records = [r for r in records if mentions(r, query.words)]
            self._vitals(records)
            return
        terms = (*query.words, *query.phrases)
        if terms:
            records = [r for r in records if mentions(r, terms)]
        upcoming = query.since is not None and query.since >= self.today
        records = sort_records([r for r in records
                                if current_in_window(r, query.since, query.until)],
                               self.today, upcoming)
        for record in records[:MAX_ITEMS]:
            self.add(record_sentence(record, self.today), [record])
            if record.type_key == "visit" and record.values.get("notes"):
                self.add(f"Notes from that visit: {record.values['notes']}", [record])
        if len(records) > MAX_ITEMS:
            self.add(f"{len(records) - MAX_ITEMS} more {TYPE_LABELS[type_key]} are not shown.")

    def _vitals(self, records: list[Record]) -> None:
        for kind, label in VITAL_KINDS:
            series = sorted((r for r in records if r.values.get("kind") == kind
                             and self.in_window(r.values["measured_at"])),
                            key=lambda r: r.values["measured_at"])
            if series:
                self._vital_series(label, series)

    def _vital_series(self, label: str, series: list[Record]) -> None:
        """One kind of reading: the latest, or those in the window and how they moved."""
        query, windowed = self.query, bool(self.query.since or self.query.until)
        earlier = series[:-1] if not (query.wants_change or windowed) else []
        shown = series[-1:] if not (query.wants_change or windowed) else series
        if query.wants_change and len(shown) >= 2:
            first, last = shown[0], shown[-1]
            way = ""
            if first.values.get("value2") is None and first.values["value"] != last.values[
                    "value"]:
                way = " up" if last.values["value"] > first.values["value"] else " down"
            self.add(f"From {format_date(first.values['measured_at'])} to "
                     f"{format_date(last.values['measured_at'])}, {label.lower()} went{way} "
                     f"from {format_reading(first.values, False)} to "
                     f"{format_reading(last.values)}.", [first, last])
        if len(shown) > MAX_VALUES:
            self.add(f"{len(shown) - MAX_VALUES} earlier readings are not shown.")
        for record in shown[-MAX_VALUES:]:
            self.add(f"{label} on {format_date(record.values['measured_at'])}: "
                     f"{format_reading(record.values)}.", [record])
        if earlier:
            self.add(f"There are {len(earlier)} earlier {label.lower()} readings, the first on "
                     f"{format_date(earlier[0].values['measured_at'])}.", earlier[:1])


# --- sentences ----------------------------------------------------------------------------

def _flag_words(flag: str | None, range_text: str, typical: bool) -> str:
    if range_text and not typical:
        if flag in _FLAG_SIDE:
            return f"{_FLAG_SIDE[flag]} the range ({range_text})"
        if flag == "N":
            return f"within the range ({range_text})"
    return {"H": "marked high", "L": "marked low", "A": "marked abnormal"}.get(flag or "", "")


def _range_move(name: str, first: str | None, last: str | None) -> str | None:
    """Range membership, the only judgement code makes: never "better" or "worse"."""
    if first not in ("H", "L", "N") or last not in ("H", "L", "N"):
        return None
    if first == last == "N":
        return f"{name} stayed within the usual range."
    if first == "N":
        return f"{name} moved out of the usual range: it is now {_FLAG_SIDE[last]} it."
    if last == "N":
        return f"{name} moved into the usual range."
    if first == last:
        return f"{name} is still {_FLAG_SIDE[last]} the usual range."
    return f"{name} went from {_FLAG_SIDE[first]} to {_FLAG_SIDE[last]} the usual range."


# --- small helpers ------------------------------------------------------------------------

def _key_of(record: Record, catalogue: Catalogue) -> str:
    analyte = find_analyte(record, catalogue)
    if analyte is not None:
        return analyte.key
    return record.values.get("analyte") or "name:" + fold(record.values.get("name") or "")


def _analytes_mentioning(labs: list[Record], words: tuple[str, ...],
                         catalogue: Catalogue) -> tuple[str, ...]:
    found = [_key_of(r, catalogue) for r in labs if text_matches(r.values.get("name"), words)]
    return tuple(dict.fromkeys(found))


def _numeric_count(records: list[Record]) -> int:
    return sum(r.values.get("value") is not None for r in records)


def _in_trend_unit(value: TrendValue, trend: Trend) -> str:
    """The value in the trend's unit, as shown: as printed when no conversion was needed."""
    if value.unit == trend.unit and value.record.values.get("value") is not None:
        return format_number(value.record.values["value"])
    number = value.converted
    digits = 0 if abs(number) >= 100 else 1 if abs(number) >= 10 else 2 if abs(number) >= 1 \
        else 3
    return format_number(round(number, digits))


def _aliases(analyte: Analyte | None, printed: str | None) -> tuple[str, ...]:
    names = [printed] if printed and (analyte is None or printed != analyte.name) else []
    if analyte is not None:
        names += [n for n in analyte.synonyms.get("en", ()) if n != analyte.name and len(n) <= 30]
    return tuple(dict.fromkeys(names))


def _first_sentence(text: str) -> str:
    head = text.split(". ")[0].strip()
    return head if head.endswith(".") else head + "."


def _name(name: str) -> str:
    """A name as it reads inside a sentence: "Glucose" -> "glucose", "LDL cholesterol" kept."""
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
