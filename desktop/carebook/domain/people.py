"""What identifies a person at a glance (initials, a colour) and what an emergency card
needs that no record holds (blood type, emergency contacts)."""

from __future__ import annotations

from datetime import date

from carebook.domain.fields import Field, Kind
from carebook.domain.record_types import RecordType
from carebook.domain.records import Profile
from carebook.domain.values import format_date

# Eight colours that stay apart for the common colour-vision deficiencies and carry white
# initials at WCAG AA contrast (Okabe–Ito, darkened where white text needed it).
PERSON_COLOURS = (
    ("#0067a5", "Blue"),
    ("#b35900", "Orange"),
    ("#007a5e", "Green"),
    ("#b0306b", "Purple"),
    ("#5a5a5a", "Grey"),
    ("#8a6d00", "Ochre"),
    ("#1f5fbf", "Royal blue"),
    ("#a33a2a", "Brick"),
)

BLOOD_TYPES = ("A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-")

# The person's own details, edited in one form. Not a record type of the vault's: the values
# live in the profiles table, but describing them as fields lets one validator and one form
# builder serve them.
PERSON_DETAILS = RecordType(
    key="person",
    table="profiles",
    label="Person details",
    plural="Person details",
    title_field="full_name",
    order_by="sort_order",
    fields=(
        Field("full_name", "Full name", placeholder="as on their health card"),
        Field("birth_date", "Birth date", Kind.DATE),
        Field("sex", "Sex", Kind.CHOICE, choices=(("female", "Female"), ("male", "Male"))),
        Field("blood_type", "Blood type", Kind.CHOICE,
              choices=tuple((kind, kind.replace("-", "−")) for kind in BLOOD_TYPES)),
        Field("colour", "Colour in the switcher", Kind.CHOICE, choices=PERSON_COLOURS),
        Field("emergency_contacts", "Emergency contacts", Kind.LONG_TEXT, max_length=1000,
              placeholder="One per line: name, relation, phone"),
    ),
)


def initials(name: str) -> str:
    """One or two letters for a person's badge: "Léa" → "L", "Grand Pa" → "GP", "Me" → "M"."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def person_colour(colour: str | None, position: int) -> str:
    """The person's chosen colour, else one from the palette by their place in the list."""
    known = {code for code, _name in PERSON_COLOURS}
    if colour in known:
        return colour
    return PERSON_COLOURS[position % len(PERSON_COLOURS)][0]


def contact_lines(contacts: str | None) -> list[str]:
    """The emergency contacts as the lines the person typed, blank lines dropped."""
    return [line.strip() for line in (contacts or "").splitlines() if line.strip()]


def display_name(profile: Profile) -> str:
    """The name a printout carries: the full name, with the switcher's name when that says
    something more ("Henri Martin (Dad)", but "Léa Martin", not "Léa Martin (Léa)")."""
    full = (profile.full_name or "").strip()
    if not full:
        return profile.name
    if profile.name.casefold() in {part.casefold() for part in [full, *full.split()]}:
        return full
    return f"{full} ({profile.name})"


def age_on(birth_date: str | None, today: date) -> int | None:
    """Age in whole years on `today`, or None without a birth date."""
    if not birth_date:
        return None
    born = date.fromisoformat(birth_date)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def person_facts(profile: Profile, today: date) -> list[tuple[str, str]]:
    """Who this is, as label–value rows: name, birth date with age, sex, blood type."""
    rows = [("Name", profile.full_name or profile.name)]
    age = age_on(profile.birth_date, today)
    if profile.birth_date:
        rows.append(("Born", f"{format_date(profile.birth_date)} (age {age})"))
    if profile.sex:
        rows.append(("Sex", profile.sex.capitalize()))
    rows.append(("Blood type", blood_type_text(profile.blood_type)))
    return rows


def blood_type_text(blood_type: str | None) -> str:
    """A blood type as printed ("O−"), or "Not recorded"."""
    return blood_type.replace("-", "−") if blood_type else "Not recorded"
