"""The checks a model's text must pass before it is shown, each saying in plain words why not.

The model only rewrites facts that code computed, so its text is held to them: every number
must be one of the facts' numbers, every abnormal result must be mentioned, nothing may
diagnose the person or tell them to change a medicine, and it must be easy to read. The
stricter rewrite checks (strict=True) also demand that each abnormal result is named with its
value, that no flagged value is called normal (nor a normal one abnormal), and that nothing
is said twice, which small models do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from carebook.assistant.claims import (
    attributed_clauses,
    contradiction,
    forbidden_phrases,
    names,
    plain,
)
from carebook.assistant.grounding import Grounding, Subject
from carebook.assistant.readability import reading_grade, sentences
from carebook.domain.text import fold

# "10^9/L", "x10^3", "× 10⁹": unit powers of ten, not values.
_POWER_OF_TEN = re.compile(
    r"(?:[x×*]\s?)?10\s?(?:\^|\*\*?)\s?[-−]?[0-9]+|(?:[x×]\s?)?10[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+"
)
_LIST_MARKER = re.compile(r"^(\s*(?:[-*•]\s*)?)\(?[0-9]{1,2}[.)](?=\s)", re.MULTILINE)
_NUMBER = re.compile(
    r"(?<![^\W_])(?<![^\W\d_]-)"  # not glued to a word before: "HbA1c", "B12", "COVID-19"
    r"(?:(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}(?P<sep>[./])[0-9]{1,2}(?P=sep)"
    r"[0-9]{2,4})(?![0-9])"  # "2024-03-05", "05.03.2024"
    r"|(?P<grouped>[0-9]{1,3}(?:(?:,|[ \u00a0\u202f\u2009])[0-9]{3})+(?:\.[0-9]+)?)"
    r"(?![0-9]|[.,][0-9])"  # "1,200", "1 200"
    r"|(?P<plain>[0-9]+(?:[.,][0-9]+)?))"  # "6.4", "6,4", "12"
)
# After the number: "25-OH", "3-month", "2nd" make it part of a word, not a value.
_WORD_TAIL = re.compile(r"-[^\W\d_]|(?:st|nd|rd|th)\b")
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
            _no_contradiction(said, grounding),
            _no_repetition(said, text),
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


def numbers_in(text: str) -> list[tuple[str, Decimal]]:
    """The values written in a text, as (as written, value): "6,40 %" gives ("6,40", 6.4).

    Signs are dropped (a dash in lab text is nearly always a range), list markers at the
    start of a line and digits inside names or units ("HbA1c", "10^9/L", "25-OH") are not
    values, and spelled-out numbers ("three months") are not numbers at all.
    """
    text = _LIST_MARKER.sub(r"\1", _POWER_OF_TEN.sub(" ", text))
    found = []
    for match in _NUMBER.finditer(text):
        if _WORD_TAIL.match(text, match.end()):
            continue
        raw = match.group()
        if match.group("date"):
            found.extend((part, Decimal(part)) for part in re.split(r"[-./]", raw))
        elif match.group("grouped"):
            found.append((raw, Decimal(re.sub(r"[^0-9.]", "", raw))))
        else:
            found.append((raw, Decimal(raw.replace(",", "."))))
    return found


def _numbers_grounded(text: str, grounding: Grounding) -> CheckResult:
    allowed = {value for _, value in numbers_in(grounding.text)}
    for subject in grounding.subjects:
        allowed |= {value for _, value in numbers_in(subject.value_text)}
    stray = list(dict.fromkeys(raw for raw, value in numbers_in(text) if value not in allowed))
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
    for subject, clause in attributed_clauses(said, grounding.subjects):
        verdict = contradiction(subject, clause)
        if verdict:
            flag = _FLAG_WORDS.get(subject.flag or "", "")
            problems.append(f'{subject.name} is {flag} but the text says "{verdict}"')
    if not problems:
        return CheckResult("no_contradiction", True,
                           "No result is called the opposite of its flag.")
    return CheckResult("no_contradiction", False, "; ".join(dict.fromkeys(problems)) + ".")


_FLAG_WORDS = {"H": "flagged high", "L": "flagged low", "A": "flagged abnormal", "N": "normal"}


def _tokens(sentence: str) -> list[str]:
    return re.findall(r"[^\W_]+(?:[.,][0-9]+)?", fold(sentence))


def _no_repetition(said: list[str], text: str) -> CheckResult:
    seen: list[tuple[set[str], str]] = []
    for sentence in said:
        tokens = _tokens(sentence)
        if len(tokens) < 3:
            continue
        bag = set(tokens)
        for earlier, quoted in seen:
            if len(bag | earlier) and len(bag & earlier) / len(bag | earlier) >= 0.8:
                return CheckResult("no_repetition", False, f'Says twice: "{quoted}"')
        seen.append((bag, sentence[:80]))
    words = _tokens(text)
    counts: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - _REPEAT_NGRAM + 1):
        gram = tuple(words[i:i + _REPEAT_NGRAM])
        counts[gram] = counts.get(gram, 0) + 1
        if counts[gram] == 3:
            return CheckResult("no_repetition", False, f'Says three times: "{" ".join(gram)}"')
    return CheckResult("no_repetition", True, "No sentence is repeated.")
