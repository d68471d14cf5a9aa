"""What a model's text says each result is (normal, high, low, fine, worrying), and whether that
is the opposite of the flag code gave it.

Split from claims.py, which finds diagnoses, medicine advice and care put off. Sentences are
read clause by clause; a clause is about the results it names, the one a pronoun points to,
or every result when it speaks of them all ("everything is normal", "your results look good").
"""

from __future__ import annotations

import re

from carebook.assistant.claims import lower, marked, marked_subjects, negates, unmarked, words
from carebook.assistant.grounding import Subject

CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s*|,\s+|\s+(?:but|and|while|whereas|although|though|however|so|yet)\s+|\s+[–—]\s+"
)
_ANAPHOR = re.compile(r"\b(?:it|its|it's|this|that|which|these|they|them|"
                      r"the (?:level|result|value|number|reading))\b")
_OTHERS = re.compile(r"\b(?:other|others|rest|remaining|everything else)\b")
_RESULTS = r"(?:results?|tests?|numbers|values|levels|readings)\b"
# Clauses about every result at once ("everything is normal", "all your results look good"),
# checked against the flagged ones; and about those just named ("these results", "both").
_WHOLE = re.compile(
    rf"\beverything\b|\ball\s+(?:of\s+)?(?:your|these|those|them|my|the\s+{_RESULTS})"
    rf"|\ball\s+(?:[\w-]+\s+)?{_RESULTS}|\ball (?:good|normal|fine|well|clear|ok|okay)\b"
    rf"|\byour\s+(?:[\w-]+\s+)?{_RESULTS}")
_THESE = re.compile(rf"\b(?:these|those)\s+(?:[\w-]+\s+)?{_RESULTS}"
                    r"|\bboth\b(?!\s+(?:high|low|ways|sides|kinds|types|and)\b)")
_YOU = re.compile(r"^(?:(?:and|so|but|overall|otherwise)\s+)?you(?:'re| are| seem| look)\b")
_BARE = re.compile(r"^\W*(?:(?:all|that's|very|perfectly|quite|totally|completely)\s+)?"
                   r"(?:normal|fine|good|great|ok|okay|healthy|high|low|abnormal|perfect)\W*$")
# Clauses about values in general, not this one: "if it is high…", "a high TSH often means…",
# "high blood sugar levels can…", "it helps explain why a count is high or low"; but not
# "…, which can be normal" nor "this helps show it is normal".
_ADJ = r"(?:high|higher|low|lower|raised|elevated|normal|healthy|good|ideal|safe|longer|shorter)"
_VERB = r"(?:is|are|can|could|may|might|often|usually|means?|shows?|would|tends?|suggests?|needs?)"
_GENERAL = re.compile(
    r"\b(?:if|when|whenever|unless|whether|why|used (?:to|for))\b|\bhow\b(?!\s+it\s+should)"
    r"|\bhelps?\b(?!\s+(?:to\s+)?(?:show|prove|confirm|tell|mean)s?\b)"
    r"|(?<!\bwhich )(?<!\bthis )(?<!\bthat )\bcan (?:be|read|look|seem|come back)\b"
    rf"|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!'s )\b(?:a|an|any)\s+(?:very\s+)?{_ADJ}\s+"
    rf"(?:[\w-]+\s+){{1,3}}?{_VERB}\b"
    rf"|^(?:an?|any)\s+(?:[\w-]+\s+){{0,2}}?subject\b|^{_ADJ}\s+(?:[\w-]+\s+){{1,2}}?{_VERB}\b"
    rf"|(?<!your )(?<!the ){_ADJ}\s+(?:[\w-]+\s+){{0,2}}?(?:levels|values|results|readings|"
    rf"numbers)\b"
    r"|\b(?:a|an)\s+(?:[\w-]+\s+){1,3}?that\s+(?:is|are)\b"
)
_COPULA = r"\b(?:is|are|was|were|'s|looks?|seems?|came back|reads?|remains?|stays?)\s+"
_GAP_WORDS = r"(?P<gap>(?:[\w']+\s+){0,2}?)"
_GOOD = (r"(?:good|great|excellent|fine|ok|okay|alright|all right|safe|acceptable|reassuring|"
         r"perfect|ideal|healthy|under control|where it should be|how it should be|"
         r"as (?:it )?should be|as expected|no problem|nothing to worry about)\b"
         r"(?!\s+(?:to|that|when|if|for you to|idea|time|question|thing to|place to|way to|reason|"
         r"practice|habit)\b)")
_SAYS_NORMAL = re.compile(
    # "normal" said of the value: "…, which is normal", "a normal level", "normal for you";
    # not of something else ("normal tissues") nor of the range ("the normal range")
    r"\bnormal\b(?=\s*(?:$|[^\w\s]|(?:and|or|but|for|too|again|now)\b|"
    r"(?:subject|level|value|result|reading|number|amount)s?\b))"
    r"|" + _COPULA + _GAP_WORDS + r"normal\b(?!\s+(?:ranges?|limits?|interval|reference)\b"
    r"|\s+to\s+(?!be\b))"  # not "it is normal to feel worried"
    r"|\b(?:within|inside|in)\s+(?:the\s+)?(?:(?:normal|reference|healthy|expected|usual|target|"
    r"ideal|acceptable)\s+)?(?:range|limits|interval)\b(?!\s+(?:seen|where|that|used)\b|\s+(?:of|"
    r"for)\s+(?!(?:your|you|someone|people|adults|most|men|women|healthy|values|results)\b))"
    r"|\bnothing (?:to|you need to|you should) (?:worry|be (?:worried|concerned)) about\b"
    r"|\bno (?:need|reason) to (?:worry|be (?:worried|concerned))\b|\bnothing serious\b"
    r"|\bno cause for (?:concern|alarm|worry)\b"
    r"|\bnot (?:a |any )?(?:cause for )?(?:concern|worry)\b"
    r"|\b(?:good|great|excellent|healthy|reassuring|perfect|ideal|safe)\s+"
    r"(?:level|value|result|reading|number|sign)s?\b"
    r"|" + _COPULA + r"(?P<gap2>(?:[\w']+\s+)??)" + _GOOD
    # "…, fine for now", "…, okay."
    + r"|^(?:(?:perfectly|quite|totally|completely|still|pretty)\s+)?" + _GOOD
    + r"(?=\s*(?:$|[^\w\s]|(?:for|now|too|again|overall|so far)\b))"
)
# Excuses for "normal" said of something else: "higher than normal", "back to normal".
_NORMAL_EXCUSES = frozenset({"than", "above", "below", "outside", "beyond", "over", "under",
                             "from", "to", "with", "compared", "back", "bring", "get",
                             "keep", "stay", "return", "aim", "towards", "toward", "near", "close"})
_LIMITS = frozenset({"limit", "limits", "edge", "top", "bottom", "end", "side", "range"})


def _says(direction: str) -> re.Pattern[str]:
    words_, side, more = (("high|raised|elevated", "above", "higher|greater|more")
                          if direction == "high"
                          else ("low|reduced|decreased|deficient", "below", "lower|less"))
    return re.compile(
        _COPULA + _GAP_WORDS + rf"(?:{words_})\b|\b{side}\s+(?:the\s+)?(?:(?:normal|usual|"
        rf"reference|healthy|target|upper|lower)\s+)?(?:range|limits?|normal)\b"
        rf"|\byour\s+(?:[\w-]+\s+)?(?:{words_})\s+subject\b"  # "your high TSH"
        rf"|^(?:(?:a bit|a little|slightly|very|too|quite|rather|somewhat|mildly)\s+)?"
        rf"(?:{words_})\W*$"  # "…, and a bit low."
        rf"|\b(?:{more}) than (?:expected|normal|usual|average|ideal|recommended|healthy|typical|"
        rf"it should be|the (?:[\w-]+\s+)?(?:range|limits?))"
    )


def _denies(words_: str, side: str) -> re.Pattern[str]:
    """"It's not high", "is not above the range": the flag denied, which is the opposite."""
    return re.compile(
        rf"(?:\bnot|n't|\bnever|\bno longer|\bneither|\bnor)\s+(?:(?:really|actually)\s+)?"
        rf"(?:(?:{words_})\b|{side}\s+(?:the\s+)?(?:[\w-]+\s+)?(?:range|limits?|normal)\b)")


_SAYS_HIGH, _SAYS_LOW = _says("high"), _says("low")
_DENIES_HIGH = _denies("high|higher|raised|elevated", "above")
_DENIES_LOW = _denies("low|lower|reduced|decreased|deficient", "below")
_DENIES_ABNORMAL = _denies("abnormal|flagged|out of (?:the\\s+)?range", "outside")
_SAYS_ABNORMAL = re.compile(
    r"\babnormal\b|\bout of (?:the\s+)?(?:[\w-]+\s+)?range\b|\bnot normal\b|\bflagged\b"
    r"|\boutside (?:the\s+)?(?:[\w-]+\s+)?(?:range|limits)\b|\ba (?:cause|reason) for concern\b"
    r"|" + _COPULA + _GAP_WORDS + r"(?:concerning|worrying|alarming|unhealthy|dangerous|bad|poor|"
    r"serious|harmful|a (?:concern|worry|problem)|not (?:good|healthy|ok|okay|fine|great))\b"
    r"|\b(?:a|an)\s+(?:[\w-]+\s+)?(?:worrying|concerning|alarming|bad|dangerous|unhealthy|"
    r"abnormal|poor|serious)\s+(?:result|level|value|number|reading|sign)\b"
)
_NONE: frozenset[str] = frozenset()
_CHECKS = {"H": [(_SAYS_NORMAL, _NORMAL_EXCUSES), (_SAYS_LOW, _NONE), (_DENIES_HIGH, _NONE)],
           "L": [(_SAYS_NORMAL, _NORMAL_EXCUSES), (_SAYS_HIGH, _NONE), (_DENIES_LOW, _NONE)],
           "A": [(_SAYS_NORMAL, _NORMAL_EXCUSES), (_DENIES_ABNORMAL, _NONE)],
           "N": [(_SAYS_ABNORMAL, _NONE), (_SAYS_HIGH, _NONE), (_SAYS_LOW, _NONE)]}
# A sentence of praise ("Good job!", "Well done keeping it healthy") in a text about a
# flagged result tells the person all is well.
_PRAISE = re.compile(r"^\W*(?:well done|good job|great job|nice job|good work|great work|nice work|"
                     r"congratulations|congrats|keep (?:it )?up|keep up the good work|good for you|"
                     r"you(?:'re| are) doing (?:great|well|fine|good))\b")
_PRAISE_WORDS = frozenset({"good", "great", "excellent", "nice", "wonderful", "fantastic",
                           "awesome", "amazing", "perfect", "brilliant", "job", "work", "news",
                           "well", "done"})
_FILLER = frozenset({"that's", "this", "is", "it", "that", "so", "far", "very", "really", "all",
                     "you", "are", "such"})


def praises(sentence: str) -> bool:
    """True for a sentence of praise alone: "Good job!", "Great news.", "Well done…"."""
    said = lower(sentence).strip()
    tokens = words(said)
    return bool(_PRAISE.match(said)) or (
        bool(tokens) and set(tokens) <= _PRAISE_WORDS | _FILLER
        and any(token in _PRAISE_WORDS for token in tokens))


def marked_clauses(sentence: str, subjects: list[Subject]) -> list[str]:
    """The clauses of a sentence, marked (see claims.marked) before it is cut, so that a name
    with a comma ("Glucose, 2 hours after a meal") stays whole."""
    return CLAUSE_BREAK.split(marked(subjects, sentence))


def attributed_clauses(said: list[str], subjects: list[Subject]) -> list[tuple[int, str]]:
    """(subject index, marked clause) pairs: a clause is about the subjects it names, else
    about every flagged one when it speaks of all ("your results", "you are fine"), else those
    just named ("both", "these results"), else those of the clause before it in the sentence,
    or of a pronoun ("it", "this level"), or the only one."""
    pairs: list[tuple[int, str]] = []
    topic: list[int] = []
    before: list[int] = []  # the results the last sentence naming any named
    everyone = list(range(len(subjects)))
    flagged = [i for i in everyone if subjects[i].abnormal]
    for sentence in said:
        current: list[int] | None = None
        this: list[int] = []
        for clause in marked_clauses(sentence, subjects):
            named = marked_subjects(clause)
            text = clause.strip()
            if named:
                topic = current = named
                this += [i for i in named if i not in this]
            elif _OTHERS.search(text):
                current = []
            elif _WHOLE.search(text) or _YOU.search(text):
                current = flagged
            elif _THESE.search(text):
                current = this if len(this) > 1 else before if len(before) > 1 else flagged
            elif current is None:
                current = (topic if (_ANAPHOR.search(text) or _BARE.match(text)) and topic
                           else everyone if len(subjects) == 1 else [])
            pairs.extend((i, clause) for i in current)
        before = this or before
    return pairs


def contradiction(subjects: list[Subject], index: int, clause: str) -> str | None:
    """The clause (marked, as attributed_clauses gives it), if it calls a flagged result
    normal, fine or the other way, or a normal one high, low, abnormal or worrying."""
    text = clause.replace(f"xsubject{index}x", "subject")
    if _GENERAL.search(text):
        return None
    for pattern, excuses in _CHECKS.get(subjects[index].flag or "", []):
        for match in pattern.finditer(text):
            before = words(text[:match.start()])
            gap = words(match.groupdict().get("gap") or match.groupdict().get("gap2") or "")
            # "the upper limit of normal", but not "your HbA1c level of 6.4 is normal"
            of_limit = len(before) >= 2 and before[-1] == "of" and before[-2] in _LIMITS
            if not (negates(before[-3:] + gap) or excuses.intersection(before[-2:] + gap)
                    or (excuses and of_limit)):
                return unmarked(subjects, clause).strip()
    return None
