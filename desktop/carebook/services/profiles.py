"""People in the vault: add, rename, delete, list."""

from __future__ import annotations

from typing import Any

from carebook.domain.people import PERSON_DETAILS
from carebook.domain.records import Profile
from carebook.domain.validation import clean_profile_name, clean_values
from carebook.vault.vault import Vault


def add_profile(vault: Vault, name: str, **details: str | None) -> Profile:
    """Add a person by display name (e.g. "Dad")."""
    return vault.profiles.add(Profile(name=clean_profile_name(name), **details))


def rename_profile(vault: Vault, profile_id: int, new_name: str) -> Profile:
    """Change a person's display name."""
    return vault.profiles.rename(profile_id, clean_profile_name(new_name))


def person_details(profile: Profile) -> dict[str, Any]:
    """A person's editable details by field name (for the details form)."""
    return {name: getattr(profile, name) for name in PERSON_DETAILS.field_names}


def update_person_details(vault: Vault, profile_id: int, raw: dict[str, Any]) -> Profile:
    """Validate and save a person's details (full name, birth date, blood type, colour,
    emergency contacts…); ValidationError names each field that is wrong."""
    return vault.profiles.update_details(profile_id, clean_values(PERSON_DETAILS, raw))


def delete_profile(vault: Vault, profile_id: int) -> dict[str, int]:
    """Delete a person and all their records; return what was removed."""
    return vault.profiles.delete(profile_id)


def list_profiles(vault: Vault) -> list[Profile]:
    """Everyone in the vault."""
    return vault.profiles.list()


def profile_record_total(vault: Vault, profile_id: int) -> int:
    """How many records a person has (for the delete confirmation)."""
    return sum(vault.profiles.record_counts(profile_id).values())
