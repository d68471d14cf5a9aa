"""UI state in QSettings: window geometry, column widths, auto-lock and theme choices.

Nothing here may be health data: no names, values or record text, only layout and
preferences. The current person is remembered by numeric id, never by name.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

DEFAULT_AUTO_LOCK_MINUTES = 5


class UiSettings:
    """Typed access to Carebook's QSettings."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                         "Carebook", "Carebook")

    @property
    def auto_lock_enabled(self) -> bool:
        """Lock after a period without keyboard or mouse input."""
        return self._store.value("security/autoLock", True, type=bool)

    @auto_lock_enabled.setter
    def auto_lock_enabled(self, value: bool) -> None:
        self._store.setValue("security/autoLock", bool(value))

    @property
    def auto_lock_minutes(self) -> int:
        """Minutes of inactivity before the vault locks itself."""
        return max(1, self._store.value("security/autoLockMinutes",
                                        DEFAULT_AUTO_LOCK_MINUTES, type=int))

    @auto_lock_minutes.setter
    def auto_lock_minutes(self, value: int) -> None:
        self._store.setValue("security/autoLockMinutes", int(value))

    @property
    def theme(self) -> str:
        """"system", "light" or "dark"."""
        value = self._store.value("appearance/theme", "system", type=str)
        return value if value in ("system", "light", "dark") else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._store.setValue("appearance/theme", value)

    @property
    def last_profile_id(self) -> int | None:
        """Id of the person shown last (an id, never a name)."""
        value = self._store.value("workspace/lastProfileId", 0, type=int)
        return value or None

    @last_profile_id.setter
    def last_profile_id(self, value: int | None) -> None:
        self._store.setValue("workspace/lastProfileId", int(value or 0))

    @property
    def last_section(self) -> int:
        """Index of the section shown last."""
        return self._store.value("workspace/lastSection", 0, type=int)

    @last_section.setter
    def last_section(self, value: int) -> None:
        self._store.setValue("workspace/lastSection", int(value))

    def save_bytes(self, key: str, data: QByteArray) -> None:
        """Store an opaque layout blob (geometry, header state)."""
        self._store.setValue(f"layout/{key}", data)

    def load_bytes(self, key: str) -> QByteArray | None:
        """Fetch an opaque layout blob, if one was stored."""
        value = self._store.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) else None

    def save_choice(self, key: str, value: str) -> None:
        """Store a remembered choice (a paper size, a width): words and numbers, never
        anything read from the records."""
        self._store.setValue(f"choices/{key}", str(value))

    def load_choice(self, key: str) -> str:
        """A remembered choice, or "" when there is none."""
        value = self._store.value(f"choices/{key}", "")
        return value if isinstance(value, str) else ""

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()
