"""How strong a new passphrase is, judged by zxcvbn (a real guess-count estimator)."""

from __future__ import annotations

from dataclasses import dataclass, field

from zxcvbn import zxcvbn

MIN_LENGTH = 10
MIN_SCORE = 3  # zxcvbn's "safely unguessable: moderate protection from offline attack"
_ANALYSED_CHARS = 100  # zxcvbn slows down on very long input; 100 characters decide the score
_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Assessment:
    """A passphrase's score (0–4), whether Carebook accepts it, and why."""

    score: int
    acceptable: bool
    label: str
    reason: str
    suggestions: list[str] = field(default_factory=list)


def assess_passphrase(text: str, context_words: tuple[str, ...] = ()) -> Assessment:
    """Judge a candidate passphrase. `context_words` (e.g. the profile names) count as guessable."""
    if not text:
        return Assessment(0, False, _LABELS[0], "Enter a passphrase.")
    # zxcvbn refuses input over its own max_length (72 by default) with a ValueError.
    result = zxcvbn(text[:_ANALYSED_CHARS], user_inputs=list(context_words),
                    max_length=_ANALYSED_CHARS)
    score = int(result["score"])
    suggestions = list(result["feedback"].get("suggestions") or [])
    crack_time = result["crack_times_display"]["offline_slow_hashing_1e4_per_second"]
    if len(text) < MIN_LENGTH:
        reason = (f"Too short: use at least {MIN_LENGTH} characters. Three or four unrelated "
                  "words make a passphrase that is long and easy to remember.")
        return Assessment(min(score, 1), False, _LABELS[min(score, 1)], reason, suggestions)
    if score < MIN_SCORE:
        warning = result["feedback"].get("warning") or ""
        reason = f"Too easy to guess (it could be found in {crack_time}). {warning}".strip()
        return Assessment(score, False, _LABELS[score], reason, suggestions)
    return Assessment(score, True, _LABELS[score],
                      f"{_LABELS[score]}: guessing it would take {crack_time}.", suggestions)
