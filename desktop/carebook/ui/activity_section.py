"""The audit log, newest first: what happened in the vault and when."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout

from carebook.services import activity as activity_service
from carebook.services import profiles as profile_service
from carebook.ui.record_table_model import Column, RowTableModel
from carebook.ui.table_page import TablePage
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.audit import AuditEntry


def local_time(stamp: str) -> str:
    """A UTC audit timestamp in the computer's local time."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%d %b %Y, %H:%M:%S").lstrip("0")


class ActivitySection(TablePage):
    """Every audited event of the vault, for everyone in it."""

    def __init__(self, state: WorkspaceState) -> None:
        self._names: dict[int, str] = {}
        columns = [
            Column("When", lambda e: local_time(e.at), lambda e: e.id),
            Column("Action", lambda e: activity_service.action_label(e.action),
                   lambda e: e.action),
            Column("Details", lambda e: e.summary, lambda e: e.summary),
            Column("Person", lambda e: self._names.get(e.profile_id, "—")
                   if e.profile_id else "", lambda e: e.profile_id or 0),
        ]
        super().__init__("Activity", RowTableModel(columns), state,
                         settings_key="table/activity", icon_name="activity")
        self.model.setParent(self)
        self.details_button = self.add_button(
            "Details…", "eye", self.show_details,
            "Everything this entry recorded; for an assistant run, the exact prompt, "
            "the output and the checks (Enter or double-click)")
        self.add_button("Export…", "export", self.export, "Save the activity log as CSV")
        self.view.activated.connect(lambda _index: self.show_details())
        state.sig_records_changed.connect(lambda _kind: self.reload() if self.isVisible()
                                          else None)
        state.sig_profiles_edited.connect(self.reload)

    def fetch(self) -> list[AuditEntry]:
        """All entries, newest first."""
        vault = self.state.vault
        people = self.state.runner.task(profile_service.list_profiles, vault).run_now() or []
        self._names = {person.id: person.name for person in people}
        return self.state.runner.task(activity_service.list_activity, vault).run_now() or []

    def showEvent(self, event) -> None:
        """Refresh whenever the page is shown: the log grows with every action."""
        self.reload()
        super().showEvent(event)

    def export(self) -> None:
        """Save the whole log as CSV."""
        target = self.state.interaction.save_file(self, "Export activity", "carebook-activity.csv",
                                                  "CSV files (*.csv)")
        if target is not None:
            self.state.runner.task(activity_service.export_activity_csv, self.state.vault,
                                   target).success(
                lambda count: (self.state.sig_status.emit(f"Exported {count} entries."),
                               self.reload())).bound_to(self).run_now()

    def show_details(self) -> None:
        """Show the selected entry in full, read-only."""
        entry = self.selected_row()
        if entry is None:
            return
        dialog = QDialog(self)
        dialog.setWindowTitle(activity_service.action_label(entry.action))
        dialog.resize(760, 640)
        layout = QVBoxLayout(dialog)
        text = QPlainTextEdit(activity_service.describe_entry(entry))
        text.setReadOnly(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details_dialog = dialog
        dialog.show()

    def add_record(self) -> None:
        """Nothing to add to the log by hand."""

    def edit_selected(self) -> None:
        """Log entries are not edited."""

    def delete_selected(self) -> None:
        """Log entries are never deleted."""
