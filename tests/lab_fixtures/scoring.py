"""Score a parsed lab report against its hand-written truth file.

Pure functions over the `labs parse` JSON shape and the truth-file shape (see
bench/truth/). A predicted row counts as found when it pairs one-to-one with a truth row
on the same page, with the same value and a compatible name; range, flag and unit are
then judged only over those pairs, so a parser is not punished twice for one miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

NAME_OVERLAP_MIN = 0.5
_REL_TOL = 1e-6
_TOKEN = re.compile(r"[^\W_]+")


@dataclass
class ReportScore:
    """Counts and debugging lists for one report."""

    file: str
    truth_rows: int
    predicted_rows: int
    matched: int
    range_correct: int
    flag_correct: int
    unit_correct: int
    date_correct: bool
    misses: list[dict] = field(default_factory=list)
    false_positives: list[dict] = field(default_factory=list)
    wrong_fields: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of predicted rows that match a truth row."""
        return _ratio(self.matched, self.predicted_rows)

    @property
    def recall(self) -> float:
        """Share of truth rows that were found."""
        return _ratio(self.matched, self.truth_rows)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        """Counts, ratios and the debugging lists as plain JSON-ready data."""
        data = asdict(self)
        data.update(precision=self.precision, recall=self.recall, f1=self.f1,
                    range_accuracy=_accuracy(self.range_correct, self.matched),
                    flag_accuracy=_accuracy(self.flag_correct, self.matched),
                    unit_accuracy=_accuracy(self.unit_correct, self.matched))
        return data


def score_report(predicted: dict, truth: dict) -> ReportScore:
    """Pair predicted rows with truth rows and count what the parser got right."""
    pred_rows = list(predicted.get("results") or [])
    truth_rows = list(truth.get("results") or [])
    pairs = _pair(pred_rows, truth_rows)
    used_pred = {p for p, _ in pairs}
    used_truth = {t for _, t in pairs}

    range_ok = flag_ok = unit_ok = 0
    wrong: list[dict] = []
    for p, t in pairs:
        guess, real = pred_rows[p], truth_rows[t]
        checks = {"range": _same_range(guess, real),
                  "flag": guess.get("flag") == real.get("flag"),
                  "unit": same_unit(guess.get("unit"), real.get("unit"))}
        range_ok += checks["range"]
        flag_ok += checks["flag"]
        unit_ok += checks["unit"]
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            wrong.append({**_brief(real), "wrong": bad,
                          "predicted": {k: guess.get(k) for k in
                                        ("ref_low", "ref_high", "flag", "unit")},
                          "truth": {k: real.get(k) for k in
                                    ("ref_low", "ref_high", "flag", "unit")}})

    return ReportScore(
        file=str(truth.get("file") or predicted.get("file") or ""),
        truth_rows=len(truth_rows), predicted_rows=len(pred_rows), matched=len(pairs),
        range_correct=range_ok, flag_correct=flag_ok, unit_correct=unit_ok,
        date_correct=predicted.get("collected_at") == truth.get("collected_at"),
        misses=[_brief(row) for i, row in enumerate(truth_rows) if i not in used_truth],
        false_positives=[_brief(row) for i, row in enumerate(pred_rows) if i not in used_pred],
        wrong_fields=wrong)


def combine(scores: Iterable[ReportScore]) -> dict[str, Any]:
    """Pool several reports (micro-averaged: every row weighs the same)."""
    scores = list(scores)
    total = {name: sum(getattr(s, name) for s in scores)
             for name in ("truth_rows", "predicted_rows", "matched", "range_correct",
                          "flag_correct", "unit_correct")}
    dates = sum(s.date_correct for s in scores)
    precision = _ratio(total["matched"], total["predicted_rows"])
    recall = _ratio(total["matched"], total["truth_rows"])
    return {"reports": len(scores), **total, "dates_correct": dates,
            "precision": precision, "recall": recall, "f1": _f1(precision, recall),
            "range_accuracy": _accuracy(total["range_correct"], total["matched"]),
            "flag_accuracy": _accuracy(total["flag_correct"], total["matched"]),
            "unit_accuracy": _accuracy(total["unit_correct"], total["matched"]),
            "date_accuracy": _accuracy(dates, len(scores))}


def name_similarity(a: str | None, b: str | None) -> float:
    """Token overlap of two analyte names (Dice, 0..1); 0.9 at least when one contains the other."""
    tokens_a, tokens_b = _tokens(a), _tokens(b)
    if not tokens_a or not tokens_b:
        return 0.0
    if tokens_a == tokens_b:
        return 1.0
    dice = 2 * len(set(tokens_a) & set(tokens_b)) / (len(set(tokens_a)) + len(set(tokens_b)))
    joined_a, joined_b = f" {' '.join(tokens_a)} ", f" {' '.join(tokens_b)} "
    if joined_a in joined_b or joined_b in joined_a:  # whole words only: "tsh" not in "ftsh"
        return max(dice, 0.9)
    return dice


def same_value(guess: dict, real: dict) -> bool:
    """Same number within a relative tolerance, or the same text for non-numeric results."""
    real_value, guess_value = _number(real.get("value")), _number(guess.get("value"))
    if real_value is not None and guess_value is not None:
        return abs(real_value - guess_value) <= _REL_TOL * max(1.0, abs(real_value))
    if real_value is not None:
        return False
    return _text(guess.get("value_text")) == _text(real.get("value_text")) != ""


def same_unit(a: str | None, b: str | None) -> bool:
    """Units equal as written (ignoring case, spaces, µ/u) or as UCUM codes from the catalogue."""
    plain_a, plain_b = _simple_unit(a), _simple_unit(b)
    if plain_a == plain_b:
        return True
    if not plain_a or not plain_b:
        return False
    code_a = _ucum(a)
    return code_a is not None and code_a == _ucum(b)


def _pair(pred_rows: list[dict], truth_rows: list[dict]) -> list[tuple[int, int]]:
    # Greedy by name likeness: the two rows sharing a value on a page (e.g. 0 % basophils
    # and 0.00 absolute basophils) go to the partner whose name fits best.
    candidates = []
    for p, guess in enumerate(pred_rows):
        for t, real in enumerate(truth_rows):
            if guess.get("page") != real.get("page") or not same_value(guess, real):
                continue
            fit = _name_fit(guess, real)
            if fit is not None:
                candidates.append((-fit, p, t))
    candidates.sort()
    taken_p: set[int] = set()
    taken_t: set[int] = set()
    pairs = []
    for _, p, t in candidates:
        if p not in taken_p and t not in taken_t:
            taken_p.add(p)
            taken_t.add(t)
            pairs.append((p, t))
    return sorted(pairs)


def _name_fit(guess: dict, real: dict) -> float | None:
    """How well two rows' names agree, or None when they name different analytes."""
    # The same LOINC code, or names that agree: the truth may carry a method-specific code
    # (fasting glucose 1558-6) where the catalogue gives the general one (2345-7); the value
    # was still read right.
    similarity = name_similarity(guess.get("name"), real.get("name"))
    loinc_a, loinc_b = guess.get("loinc"), real.get("loinc")
    if loinc_a and loinc_b and loinc_a == loinc_b:
        return 1.0 + similarity
    return similarity if similarity >= NAME_OVERLAP_MIN else None


def _same_range(guess: dict, real: dict) -> bool:
    return all(_same_bound(guess.get(k), real.get(k)) for k in ("ref_low", "ref_high"))


def _same_bound(a: Any, b: Any) -> bool:
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return x is None and y is None
    return abs(x - y) <= _REL_TOL * max(1.0, abs(y))


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    return " ".join(str(value or "").casefold().split())


def _tokens(name: str | None) -> list[str]:
    return _TOKEN.findall((name or "").casefold())


def _brief(row: dict) -> dict:
    value = row.get("value_text")
    return {"name": row.get("name"), "value": value if value is not None else row.get("value"),
            "page": row.get("page")}


def _simple_unit(unit: str | None) -> str:
    return "".join((unit or "").casefold().replace("µ", "u").replace("μ", "u").split())


def _catalogue_normaliser() -> Callable[[str], str | None] | None:
    try:
        from carebook.knowledge import normalise_unit
    except ImportError:
        return None
    return normalise_unit


_NORMALISE = _catalogue_normaliser()


def _ucum(unit: str | None) -> str | None:
    if _NORMALISE is None or unit is None:
        return None
    try:
        return _NORMALISE(unit) or None
    except Exception:  # a catalogue bug must not sink the whole score
        return None


def _ratio(part: int, whole: int) -> float:
    # Nothing to find / nothing claimed counts as perfect on that side; F1 still shows the miss.
    return part / whole if whole else 1.0


def _accuracy(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0
