"""The shapes the assistant reasons with: facts computed by code, each with its sources.

A Fact is one short sentence that code wrote from the record or the catalogue; a Citation
says where it came from. A Subject is one result the model's text must get right: the
output checks use it to see that every abnormal result is named with its value, and that
no flagged value is called normal.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Citation:
    """Where a fact came from: a catalogue entry, a stored record, or a page of a report."""

    kind: str  # "catalogue" | "record" | "report"
    ref: str  # "catalogue:hba1c", "record:lab_result:42", "report:7#page=2"
    label: str  # shown to the person: "Carebook catalogue: Hemoglobin A1c (MedlinePlus)"

    def as_json(self) -> dict:
        """The citation as the explain contract prints it."""
        return {"kind": self.kind, "ref": self.ref, "label": self.label}


@dataclass(frozen=True)
class Fact:
    """One plain sentence, written by code, and where it came from."""

    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Subject:
    """One result the explanation is about, as the checks need it."""

    name: str  # display name, e.g. "Hemoglobin A1c"
    value_text: str  # the value as shown, e.g. "6.4"
    flag: str | None  # "H", "L", "A", "N" or None (not decided)
    aliases: tuple[str, ...] = ()  # other names that count as naming it ("HbA1c", "A1c")
    loinc: str | None = None
    key: str | None = None  # catalogue key
    critical: bool = False  # past the catalogue's critical limits: care must not wait

    @property
    def abnormal(self) -> bool:
        """True when code flagged it high, low or abnormal."""
        return self.flag in ("H", "L", "A")

    @property
    def names(self) -> tuple[str, ...]:
        """The display name followed by its aliases."""
        return (self.name, *self.aliases)


@dataclass
class Grounding:
    """Everything the model is allowed to use, and what its output is checked against."""

    facts: list[Fact] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    record_ids: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The facts as one text, one sentence per line: what the person reads first."""
        return "\n".join(fact.text for fact in self.facts)

    @property
    def abnormal(self) -> list[Subject]:
        """Subjects code flagged high, low or abnormal."""
        return [subject for subject in self.subjects if subject.abnormal]
