"""The checks a model's text must pass before it is shown, each saying in plain words why not.

The model only rewrites facts that code computed, so its text is held to them: every number
(in digits or in words) must be one of the facts' numbers, every abnormal result must be
mentioned, nothing may diagnose the person or tell them to change a medicine, and it must be
easy to read. The stricter rewrite checks (strict=True) also demand that each abnormal result
is named with its value, that a number said of one result is that result's own, that no
flagged value is called normal or fine (nor a normal one abnormal), that care for a flagged
result is not put off, and that nothing is said twice, which small models do.
"""

from __future__ import annotations

import collections
import re
from dataclasses import dataclass
from decimal import Decimal

from carebook.assistant.claims import (
    dismissals,
    forbidden_phrases,
    marked,
    marked_subjects,
    names,
    plain,
)
from carebook.assistant.grounding import Grounding, Subject
from carebook.assistant.readability import reading_grade, sentences
from carebook.assistant.spelled_numbers import Number, number_spans, numbers_in
from carebook.assistant.verdicts import attributed_clauses, contradiction, praises
from carebook.domain.text import fold

__all__ = ["CheckReport", "CheckResult", "check_output", "forbidden_phrases", "names",
           "numbers_in"]

_REPEAT_NGRAM = 8


@dataclass(frozen=True)
class CheckResult:
    """One check: its name, whether the text passed, and why in plain words."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class CheckReport:
    """All the checks run on one text, and its reading grade."""

    results: tuple[CheckResult, ...]
    grade: float
    forbidden: tuple[str, ...] = ()  # the diagnosis or medicine phrases found

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(result.passed for result in self.results)

    @property
    def failures(self) -> list[CheckResult]:
        """The checks that failed, in the order they ran."""
        return [result for result in self.results if not result.passed]

    def contract(self) -> dict:
        """The checks as the explain contract prints them."""
        passed = {result.name: result.passed for result in self.results}
        return {
            "numbers_grounded": passed["numbers_grounded"],
            "abnormal_covered": passed["abnormal_covered"],
            "forbidden_claims": list(self.forbidden),
            "reading_grade": round(self.grade, 1),
        }


def check_output(
    text: str, grounding: Grounding, *, strict: bool = False, max_grade: float = 8.0,
    instructions: str = "",
) -> CheckReport:
    """Run the checks on a model's text; strict adds the checks a rewrite must also pass.
    `instructions` is what the model was told to do, which it must not hand back as its
    answer."""
    said = sentences(text)
    found = forbidden_phrases(said)
    grade = reading_grade(text)
    results = [
        _numbers_grounded(text, grounding),
        _abnormal_covered(text, grounding),
        CheckResult("forbidden_claims", not found,
                    "Says: " + "; ".join(f'"{p}"' for p in found) if found else "None found."),
        _readable(text, grade, max_grade),
    ]
    if strict:
        results += [
            _names_abnormal_values(said, grounding),
            _values_match(said, grounding),
            _no_contradiction(said, grounding),
            _no_dismissal(said, grounding),
            _no_repetition(said, text, grounding),
            _on_topic(text, grounding, instructions),
        ]
    return CheckReport(tuple(results), grade, tuple(found))


ECHO_WORDS = 6  # this many words in a row taken from the instructions is an echo


def _on_topic(text: str, grounding: Grounding, instructions: str) -> CheckResult:
    """Small models sometimes hand back the prompt itself, or talk about nothing in it."""
    if grounding.subjects and not any(names(s, text) for s in grounding.subjects):
        return CheckResult("on_topic", False, "Names none of the results it is about.")
    told = _tokens(instructions)
    said = _tokens(text)
    told_runs = {tuple(told[i:i + ECHO_WORDS]) for i in range(len(told) - ECHO_WORDS + 1)}
    for i in range(len(said) - ECHO_WORDS + 1):
        run = tuple(said[i:i + ECHO_WORDS])
        if run in told_runs:
            return CheckResult("on_topic", False,
                               f'Repeats its instructions: "{" ".join(run)}…"')
    return CheckResult("on_topic", True, "Talks about the results, not its instructions.")


# --- numbers ---------------------------------------------------------------------------------


def _values(text: str) -> set[Decimal]:
    return {value for _, value in numbers_in(text)}


# "two of your results", "all three tests are high": how many results there are is a fact too.
_COUNTED = re.compile(r"\s+(?:(?:of|in)\s+)?(?:(?:your|these|the|those|them|my)\s+)?(?:[\w-]+\s+)?"
                      r"(?:results?|tests?|values?|levels?|readings?|numbers?|markers?|are|were)\b",
                      re.IGNORECASE)


def _is_count(text: str, number: Number, grounding: Grounding) -> bool:
    total, flagged = len(grounding.subjects), len(grounding.abnormal)
    return (number.value in {Decimal(total), Decimal(flagged), Decimal(total - flagged)}
            and bool(_COUNTED.match(text, number.end)))


def _numbers_grounded(text: str, grounding: Grounding) -> CheckResult:
    allowed = _values(grounding.text)
    for subject in grounding.subjects:
        allowed |= _values(subject.value_text)
    stray = list(dict.fromkeys(n.raw for n in number_spans(text)
                               if n.value not in allowed and not _is_count(text, n, grounding)))
    if not stray:
        return CheckResult("numbers_grounded", True, "Every number is in the facts.")
    return CheckResult("numbers_grounded", False,
                       "These numbers are not in the facts: " + ", ".join(stray[:5]) + ".")


# --- names -----------------------------------------------------------------------------------


def _abnormal_covered(text: str, grounding: Grounding) -> CheckResult:
    missed = [s.name for s in grounding.abnormal if not names(s, text)]
    if not missed:
        return CheckResult("abnormal_covered", True, "Every abnormal result is mentioned.")
    return CheckResult("abnormal_covered", False,
                       "Does not mention: " + ", ".join(missed) + ".")


def _readable(text: str, grade: float, max_grade: float) -> CheckResult:
    if not text.strip():
        return CheckResult("reading_grade", False, "The text is empty.")
    verdict = "at or under" if grade <= max_grade else "over"
    return CheckResult("reading_grade", grade <= max_grade,
                       f"Reading grade {grade:.1f}, {verdict} the limit of {max_grade:g}.")


# --- the stricter rewrite checks -------------------------------------------------------------


def _value_given(subject: Subject, sentence: str) -> bool:
    """True when the sentence gives the subject's value (the same number, or the same words)."""
    wanted = {value for _, value in numbers_in(subject.value_text)}
    if wanted:
        return wanted <= {value for _, value in numbers_in(sentence)}
    value = re.escape(plain(subject.value_text).strip())
    return bool(value) and re.search(rf"(?<![^\W_]){value}(?![^\W_])", plain(sentence)) is not None


def _names_abnormal_values(said: list[str], grounding: Grounding) -> CheckResult:
    problems = []
    for subject in grounding.abnormal:
        where = [i for i, sentence in enumerate(said) if names(subject, sentence)]
        if not where:
            problems.append(f"{subject.name} is not named")
        elif not any(_value_given(subject, s) for i in where for s in said[i:i + 2]):
            problems.append(f"{subject.name} is named without its value {subject.value_text}")
    if not problems:
        return CheckResult("names_abnormal_values", True,
                           "Each abnormal result is named with its value.")
    return CheckResult("names_abnormal_values", False, "; ".join(problems) + ".")


def _no_contradiction(said: list[str], grounding: Grounding) -> CheckResult:
    problems = []
    for index, clause in attributed_clauses(said, grounding.subjects):
        verdict = contradiction(grounding.subjects, index, clause)
        if verdict:
            subject = grounding.subjects[index]
            flag = _FLAG_WORDS.get(subject.flag or "", "")
            problems.append(f'{subject.name} is {flag} but the text says "{verdict}"')
    if grounding.abnormal:
        flagged = grounding.abnormal[0]
        problems += [f'{flagged.name} is {_FLAG_WORDS[flagged.flag or "A"]} but the text praises: '
                     f'"{sentence.strip()}"' for sentence in said if praises(sentence)]
    if not problems:
        return CheckResult("no_contradiction", True,
                           "No result is called the opposite of its flag.")
    return CheckResult("no_contradiction", False, "; ".join(dict.fromkeys(problems)) + ".")


_FLAG_WORDS = {"H": "flagged high", "L": "flagged low", "A": "flagged abnormal", "N": "normal"}


def _tokens(sentence: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[.,][0-9]+)?", fold(sentence))


def _no_repetition(said: list[str], text: str, grounding: Grounding) -> CheckResult:
    # A sentence of the facts may be said as often as the facts say it (two tests can share
    # "A shorter time is usually not a concern."), and facts alike but about different
    # results ("Basophils (%) is above…", "Basophils (absolute) is above…") are the facts'
    # own pattern, not a loop. Anything else said twice, or nearly, is repetition.
    in_facts = collections.Counter(_plain_sentence(s) for s in sentences(grounding.text))
    used: collections.Counter = collections.Counter()
    seen: list[tuple[set[str], str]] = []
    for sentence in said:
        tokens = _tokens(sentence)
        if len(tokens) < 3:
            continue
        key = _plain_sentence(sentence)
        if key in in_facts:
            used[key] += 1
            if used[key] > in_facts[key]:
                return CheckResult("no_repetition", False, f'Says twice: "{sentence[:80]}"')
            continue
        bag = set(tokens)
        for earlier, quoted in seen:
            if len(bag & earlier) / len(bag | earlier) >= 0.8:
                return CheckResult("no_repetition", False, f'Says twice: "{quoted}"')
        seen.append((bag, sentence[:80]))
    in_fact_grams = _ngram_counts(_tokens(grounding.text))
    for gram, count in _ngram_counts(_tokens(text)).items():
        if count - in_fact_grams.get(gram, 0) >= 3:  # more often than the facts say it
            return CheckResult("no_repetition", False, f'Says three times: "{" ".join(gram)}"')
    return CheckResult("no_repetition", True, "No sentence is repeated.")


def _plain_sentence(sentence: str) -> str:
    return " ".join(_tokens(sentence))


def _ngram_counts(words: list[str]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - _REPEAT_NGRAM + 1):
        gram = tuple(words[i:i + _REPEAT_NGRAM])
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def _no_dismissal(said: list[str], grounding: Grounding) -> CheckResult:
    """A flagged result must not be waved off ("no need to see a doctor"), and a critical one
    must not be put off to a later visit."""
    if not grounding.abnormal:
        return CheckResult("no_dismissal", True, "No result is flagged.")
    found = dismissals(said, critical=any(s.critical for s in grounding.subjects))
    if not found:
        return CheckResult("no_dismissal", True, "Nothing puts off care for a flagged result.")
    return CheckResult("no_dismissal", False, "Puts off care for a flagged result: "
                       + "; ".join(f'"{phrase}"' for phrase in found[:5]) + ".")


# --- each number said of a result is that result's own ------------------------------------------

# "your HbA1c is 4", "HbA1c level of 4", "HbA1c: 4": the value claimed for the result.
_GIVES_VALUE = re.compile(
    r"(?<!\ban )(?<!\ba )(?<!\bany )xsubject(?P<i>[0-9]+)x(?:\s+(?:level|result|value|reading|"
    r"count|number))?s?(?:\s*,)?(?:\s+(?P<verb>is|was|were|are|of|at|reads|read|"
    r"(?:came|comes) back(?: at| as)?)\b|\s*[:=,])\s*(?:(?:about|around|roughly|"
    r"approximately|now|still|just|only|currently|exactly|at)\s+)*"
)
# Clauses, but "HbA1c and LDL are 6.4 and 4.1" stays one: "and" only before a new subject.
_VALUE_BREAK = re.compile(r"\s*[;:]\s*|,\s+|\s+(?:but|while|whereas|although|though|however|so|"
                          r"yet)\s+|\s+[–—]\s+|\s+(?:and|or)\s+(?=(?:your|the|its|my|this|that)\b)")
_LISTED = re.compile(r"xsubject[0-9]+x,?\s+(?:and|or|&)\s+$")  # "HbA1c and LDL are 6.4 and 4.1"
_RANGE_AFTER = re.compile(r"\s*(?:to|-|–)\s*[0-9a-z]")  # "of 4 to 5.6": a range, not the value
_EARLIER = re.compile(r"\b(?:last|before|earlier|previous(?:ly)?|ago|first|used to|in the past|"
                      r"over time|then|(?:19|20)[0-9]{2})\b")


def _subject_numbers(grounding: Grounding) -> tuple[list[set[Decimal]], set[Decimal]]:
    """Each result's numbers (its value, and those of the facts that name it or follow the fact
    giving its value), and the numbers of facts about no result."""
    subjects = grounding.subjects
    own = [_values(subject.value_text) for subject in subjects]
    general: set[Decimal] = set()
    topic: list[int] = []
    for fact in grounding.facts:
        named = marked_subjects(marked(subjects, fact.text))
        topic = [i for i in named if _value_given(subjects[i], fact.text)] or topic
        values = _values(fact.text)
        for i in set(named) | set(topic):
            own[i] |= values
        if not named and not topic:
            general |= values
    return own, general


def _claimed_values(sentence: str, grounding: Grounding, own: list[set[Decimal]]) -> list[str]:
    text = marked(grounding.subjects, sentence)
    problems = []
    for match in _GIVES_VALUE.finditer(text):
        subject = grounding.subjects[int(match.group("i"))]
        spans = number_spans(text[match.end():match.end() + 60])
        if (not spans or spans[0].start != 0 or _LISTED.search(text[:match.start()])
                or _RANGE_AFTER.match(text, match.end() + spans[0].end)):
            continue
        past = match.group("verb") in ("was", "were") and _EARLIER.search(text)
        if spans[0].value not in (own[int(match.group("i"))] if past
                                  else _values(subject.value_text)):
            problems.append(f"{subject.name} is {subject.value_text}, not {spans[0].raw}")
    return problems


def _values_match(said: list[str], grounding: Grounding) -> CheckResult:
    """A value said of one result is its own, and a number beside its name is one of its facts'."""
    own, general = _subject_numbers(grounding)
    problems = []
    for sentence in said:
        problems += _claimed_values(sentence, grounding, own)
        for clause in _VALUE_BREAK.split(marked(grounding.subjects, sentence)):
            named = marked_subjects(clause)
            if len(named) != 1:
                continue
            subject = grounding.subjects[named[0]]
            problems += [f"{n.raw} is not among the facts about {subject.name}"
                         for n in number_spans(clause) if n.value not in own[named[0]] | general
                         and not _is_count(clause, n, grounding)]
    if not problems:
        return CheckResult("values_match", True, "Each number is said of the result it belongs to.")
    return CheckResult("values_match", False, "; ".join(dict.fromkeys(problems)) + ".")
