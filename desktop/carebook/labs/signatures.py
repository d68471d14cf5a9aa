"""Recognising the family a lab report belongs to, and the conventions that come with it.

One general parser reads every layout; what it cannot read off the page is convention. An
American laboratory writes 03/02/2026 for March 2, a British or Indian one for 3 February,
and when no date in the report is unambiguous only the family tells. A family is recognised
by the words and units only it prints (US conventional units and "Reference Interval"; SI
units with "NHS number" or "MRN"; "Biological Ref. Range" with "/cumm").
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    """A family of report layouts: how to recognise it and what it implies."""

    name: str
    markers: tuple[str, ...]  # regular expressions; `needed` of them must appear
    needed: int
    day_first: bool | None  # date order, when the family has one


SIGNATURES = (
    Signature("US laboratory report",
              (r"Reference Interval", r"\bOut Of Range\b", r"Current Result and Flag",
               r"Specimen ID", r"\bAcct\b", r"\bmg/dL\b.*\b(?:Glucose|Creatinine)\b",
               r"\b(?:Glucose|Creatinine)\b.*\bmg/dL\b", r"\bCLIA\b", r"\bNPI\b"),
              needed=2, day_first=False),
    Signature("UK or Commonwealth laboratory report",
              (r"NHS (?:No|Number)", r"\bMRN\b", r"Hospital (?:No|Number)", r"[uµ]mol/L",
               r"x10\^?9/L", r"\bHaem(?:oglobin|atology)\b", r"\bGP\b", r"Investigation"),
              needed=3, day_first=True),
    Signature("Indian laboratory report",
              (r"Biological Ref\.? Range", r"Age/Sex", r"/cumm", r"\bgms?%", r"\blakhs?\b"),
              needed=2, day_first=True),
)


def recognise(text: str) -> Signature | None:
    """The family whose markers the report prints most of (at least its `needed`), if any."""
    best, best_hits = None, 0
    for signature in SIGNATURES:
        hits = sum(1 for marker in signature.markers
                   if re.search(marker, text, re.IGNORECASE | re.MULTILINE))
        if hits >= signature.needed and hits > best_hits:
            best, best_hits = signature, hits
    return best
