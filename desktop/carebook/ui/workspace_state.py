"""What every part of the unlocked workspace shares: the vault, the person shown, the task
runner, the undo stack, and the signals that say something changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from carebook.assistant.registry import ModelRegistry
from carebook.domain.records import Profile
from carebook.services.assistant import AssistantSession, ModelIdentity
from carebook.ui.interaction import Interaction
from carebook.ui.settings import UiSettings
from carebook.ui.tasks import TaskRunner
from carebook.vault.vault import Vault


class WorkspaceState(QObject):
    """Shared state of one unlocked session."""

    sig_profile_changed = Signal(int)
    """The person shown changed (their profile id)."""
    sig_profiles_edited = Signal()
    """A person was added, renamed or deleted."""
    sig_records_changed = Signal(str)
    """Records of this type (a record type key, "document" or "*") were added/changed/deleted."""
    sig_status = Signal(str)
    """A short message for the status bar."""

    def __init__(self, vault: Vault, runner: TaskRunner, settings: UiSettings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.runner = runner
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.profile: Profile | None = None
        self.assistant = AssistantSession()  # its worker ends when the session locks
        self.models = ModelRegistry()

    def active_model(self) -> tuple[Path, ModelIdentity]:
        """The chosen model's file and identity, once its file is checked (may hash it)."""
        entry = self.models.resolve_active()
        return entry.path, ModelIdentity(name=entry.name, file=entry.path.name,
                                         sha256=entry.sha256)

    @property
    def interaction(self) -> Interaction:
        """The facade for questions to the person."""
        return self.runner.interaction

    @property
    def profile_id(self) -> int | None:
        """Id of the person shown, if any."""
        return self.profile.id if self.profile else None

    def show_profile(self, profile: Profile | None) -> None:
        """Switch every view to another person."""
        self.profile = profile
        self.settings.last_profile_id = profile.id if profile else None
        self.sig_profile_changed.emit(profile.id if profile else 0)

    def records_changed(self, kind: str) -> None:
        """Tell every view that records of `kind` changed."""
        self.sig_records_changed.emit(kind)
