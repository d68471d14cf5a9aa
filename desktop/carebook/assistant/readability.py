"""How hard a text is to read: the Flesch–Kincaid grade, with an English syllable counter.

The grade is 0.39 × words per sentence + 11.8 × syllables per word − 15.59. Choices that
matter for health text, each one defensible on its own:

- A line is a sentence even without a full stop, so bullet lists are not read as one long
  sentence. Decimals ("6.4 %") and abbreviations ("e.g.", "Dr.", "approx.") do not end one.
- A number ("6.4", "1,200") is one word of one syllable. People read a numeral at a glance;
  spelling it out ("six point four") would punish every result text for giving its value,
  which the checks demand.
- Codes and acronyms ("LDL", "HbA1c", "mg/dL") are one word, counted by their vowel groups
  (at least one syllable), not letter by letter: a name the reader has on the report is not
  what makes a text hard.
- Hyphenated words ("thyroid-stimulating") are one word, as Flesch counted them.
"""

from __future__ import annotations

import re

# Words the rules below get wrong and that turn up in results text. Counts follow the
# CMU Pronouncing Dictionary (first pronunciation), which is what the tests compare with.
_EXCEPTIONS: dict[str, int] = {
    "every": 3, "everyone": 3, "everything": 3, "everybody": 4, "diabetes": 4,
    "prediabetes": 5, "people": 2, "business": 2, "science": 2, "scientific": 4,
    "quiet": 2, "fluid": 2, "fluids": 2, "ruin": 2, "platelet": 2, "platelets": 2,
    "pituitary": 5, "element": 3, "elements": 3, "ammonia": 3, "pneumonia": 3,
    "headache": 2, "headaches": 2, "ache": 1, "aches": 1, "recipe": 3, "recipes": 3,
}
# Compounds whose first part ends in a silent e ("some-times", "life-style").
_COMPOUND_HEAD = re.compile(
    r"^(?:some|any|life|there|where|more|care|home|time|base|like|safe|guide)(?=[a-z]{3,})"
)

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs spoken as two syllables ("di-a", "bi-o", "cre-at"), unless part of "-tion",
# "-cial", "-cious" and the like, where the i is silent.
_SPLIT_PAIR = re.compile(
    r"(?<![tcsgxq])i[aou]"  # "di-a-betes", "bi-o", "so-di-um"; not "-tion", "-cial", "quiet"
    r"|(?<=[tcsgx])i(?:o(?![nu])|u(?=m)|a(?=t))"  # "ra-ti-o", "cal-ci-um", "as-so-ci-ate"
    r"|eo|(?<!q)ua|uo|[aeo]i(?=ng)"  # "vid-e-o", "us-u-al", "be-ing", "go-ing"; not "equal"
    r"|(?<![tcsgxq])ie(?=t|nt|nce)"  # "di-et", "ex-pe-ri-ence"
    r"|(?<=[^aeiou])y(?=[aiou])|(?<=[^aeiou])ie(?=rs?$|st$)"  # "car-ry-ing", "eas-i-er"
    r"|(?<=..)(?<=[^aeiou])ea(?=s?$)|(?<=in)ea(?=r)"  # "ar-e-a", "pan-cre-as", "lin-e-ar"
    r"|^(?:cr|r|pr)e(?=a(?:ct|te|ti|g[eo]n))"  # "cre-ate", "re-act", "re-a-gent"
)
# Endings whose last vowel is not spoken, each with the cases where it is: "make" but
# "table", "walked" but "tested", "makes" but "boxes" and "changes".
_SILENT_ENDINGS = tuple(
    (re.compile(silent), re.compile(kept) if kept else None)
    for silent, kept in (
        (r"[gq]ue$", ""),  # "fatigue", "unique"
        (r"[^aeiouy]e$", r"[^aeiouy]le$"),
        (r"[^aeiouytd]ed$", r"[^aeiouyl]led$"),  # "handled" keeps it
        (r"[^aeiouysxz]es$", r"(?:[cgsz]h|[cg]|[^aeiouy]l)es$"),
        (r"[^aeiouy]ely$", ""),  # "likely", "completely"
    )
)
_ABBREVIATIONS = frozenset(
    # Not "no", "sat" or "sun": those end sentences as ordinary words.
    ("e.g", "i.e", "dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "approx", "incl", "cf",
     "fig", "vol", "ca", "jr", "sr", "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept",
     "oct", "nov", "dec")
)
_BULLET = re.compile(r"^\s*(?:[-*•·–—]+|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_TOKEN = re.compile(r"[^\W_]+(?:[.,'’/\-–][^\W_]+)*")
_NUMBER_PART = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
_LETTERS = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def syllables(word: str) -> int:
    """Syllables in one English word (at least one); digits and symbols are ignored."""
    word = word.lower().replace("’", "'")
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    word = re.sub(r"[^a-z']", "", word)
    if not word:
        return 1
    if re.search(r"[sdl]n't$", word):
        return syllables(word[:-3]) + 1  # "does-n't", "could-n't"
    if word.endswith("'s"):
        return syllables(word[:-2]) + (1 if re.search(r"(?:[sxz]|ch|sh|ce|ge)$", word[:-2]) else 0)
    word = word.replace("'", "")
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    return max(1, _rule_count(word))


def _rule_count(word: str) -> int:
    """Vowel groups, corrected for silent endings and vowel pairs spoken as two."""
    head = _COMPOUND_HEAD.match(word)
    if head:
        return syllables(head.group()) + syllables(word[head.end():])
    if word.startswith("y") and len(word) > 1 and word[1] in "aeiou":
        word = word[1:]  # "you", "year": a consonant y
    count = len(_VOWEL_GROUP.findall(word)) + len(_SPLIT_PAIR.findall(word))
    for pattern, keep in _SILENT_ENDINGS:
        if pattern.search(word):
            count -= not (keep and keep.search(word))
            break
    if re.search(r"[aeiou][^aeiouy]e(?:ments?|ful|fully|less|ness)$", word):
        count -= 1  # "move-ment", "use-ful"
    return count


def _split_line(line: str) -> list[str]:
    """Sentences in one line: cut after . ! ? unless the word before is an abbreviation."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        before = line[start:match.start()].split()
        last = before[-1].lower().strip("([{\"'.") if before else ""
        if match.group().startswith(".") and last in _ABBREVIATIONS:
            continue
        sentences.append(line[start:match.end()])
        start = match.end()
    sentences.append(line[start:])
    return [s.strip() for s in sentences if _TOKEN.search(s)]


def sentences(text: str) -> list[str]:
    """The sentences of a text: each line is at least one, list markers dropped."""
    found: list[str] = []
    for line in text.splitlines():
        found.extend(_split_line(_BULLET.sub("", line, count=1)))
    return found


def _word_counts(token: str) -> tuple[int, int]:
    """Words and syllables in one token: a number is one word of one syllable."""
    letters = _LETTERS.findall(token)
    if not letters:
        numbers = len(_NUMBER_PART.findall(token))
        return numbers, numbers
    return 1, max(1, sum(syllables(part) for part in letters))


def counts(text: str) -> tuple[int, int, int]:
    """Sentences, words and syllables in a text, as the grade counts them."""
    n_sentences = n_words = n_syllables = 0
    for sentence in sentences(text):
        n_sentences += 1
        for token in _TOKEN.findall(sentence):
            words, syl = _word_counts(token)
            n_words += words
            n_syllables += syl
    return n_sentences, n_words, n_syllables


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level of the text (0.0 for a text with no words)."""
    n_sentences, n_words, n_syllables = counts(text)
    if not n_words:
        return 0.0
    return 0.39 * n_words / n_sentences + 11.8 * n_syllables / n_words - 15.59
