"""assess_passphrase: zxcvbn decides, and a refusal always says why."""

from __future__ import annotations

import pytest

from carebook.vault.passphrase_policy import MIN_LENGTH, assess_passphrase


def test_empty_is_refused():
    """No passphrase at all is refused with a request to enter one."""
    verdict = assess_passphrase("")
    assert not verdict.acceptable
    assert verdict.score == 0
    assert verdict.reason == "Enter a passphrase."


@pytest.mark.parametrize("text", ["a", "Tr0ub4dor", "zK9#qLm2!"])
def test_short_is_refused_even_when_random(text):
    """Under the minimum length is refused whatever zxcvbn thinks, with the length in the reason."""
    assert len(text) < MIN_LENGTH
    verdict = assess_passphrase(text)
    assert not verdict.acceptable
    assert verdict.reason.startswith("Too short")
    assert str(MIN_LENGTH) in verdict.reason
    assert verdict.score <= 1


@pytest.mark.parametrize("text", ["Password123!", "qwertyuiop123", "iloveyou2024", "aaaaaaaaaaaa"])
def test_common_patterns_are_refused(text):
    """Long enough but guessable: refused, with 'Too easy to guess' and a crack time."""
    verdict = assess_passphrase(text)
    assert not verdict.acceptable
    assert verdict.score < 3
    assert verdict.reason.startswith("Too easy to guess")


@pytest.mark.parametrize("text", ["granite obey parsnip whistle", "violet harbor lantern 92",
                                  "copper meadow falcon 17"])
def test_four_unrelated_words_are_accepted(text):
    """A passphrase of unrelated words passes and its reason says how long guessing would take."""
    verdict = assess_passphrase(text)
    assert verdict.acceptable
    assert verdict.score >= 3
    assert "guessing it would take" in verdict.reason


def test_context_words_make_a_passphrase_guessable():
    """A passphrase built from the family's names is weaker once those names are known."""
    text = "xavieraubertin"
    alone = assess_passphrase(text)
    informed = assess_passphrase(text, context_words=("Xavier", "xavieraubertin"))
    assert alone.acceptable
    assert informed.score < alone.score
    assert not informed.acceptable


@pytest.mark.parametrize("length", [72, 73, 100, 101, 1000])
def test_long_passphrases_are_assessed_not_crashed_on(length):
    """Past zxcvbn's own 72-character limit a passphrase is still judged (on its start)."""
    text = ("granite obey parsnip whistle " * 40)[:length]
    assert assess_passphrase(text).acceptable


def test_long_but_repetitive_passphrase_is_still_refused():
    """Length alone does not pass: 200 copies of one letter are refused."""
    assert not assess_passphrase("a" * 200).acceptable
