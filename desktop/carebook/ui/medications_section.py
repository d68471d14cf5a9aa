"""Medications: the generic record table plus "Ask for a renewal…" for the selected one."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from carebook.domain.record_types import record_type
from carebook.domain.values import format_date
from carebook.services.medications import is_current
from carebook.ui.record_section import RecordSection
from carebook.ui.renewal_dialog import RenewalDialog, open_renewal
from carebook.ui.workspace_state import WorkspaceState

# Section-scoped, so it cannot clash with another section's Ctrl+Shift keys; W as in "write".
RENEWAL_SHORTCUT = "Ctrl+Shift+W"


class MedicationsSection(RecordSection):
    """Active and past medications, with a renewal request for the one selected."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__(record_type("medication"), state)
        self.renewal_dialog: RenewalDialog | None = None
        self.renewal_button = self.add_button(
            "Renewal…", "document", self.ask_for_renewal,
            "Ask for a renewal: draft a request for the selected medication, to paste into "
            f"your clinic's portal or print ({RENEWAL_SHORTCUT})", needs_selection=True)
        self.section_action("Ask for a renewal…", self.ask_for_renewal, RENEWAL_SHORTCUT)
        self.update_actions()

    def ask_for_renewal(self) -> None:
        """Open the renewal message for the selected medication."""
        medication = self.selected_row()
        if medication is None or self.state.profile is None:
            return
        stopped = medication.values.get("stop_date")
        if not is_current(medication, date.today()) and not self.state.interaction.confirm(
                self, "Renew a stopped medicine?",
                f"{medication.title()} was stopped on {format_date(stopped)}. Ask for a "
                "renewal anyway (to start it again)?", confirm_label="Draft the request"):
            return
        open_renewal(self, medication)

    def clear(self) -> None:
        """Close the renewal message too (on lock)."""
        if self.renewal_dialog is not None:
            self.renewal_dialog.done(QDialog.DialogCode.Rejected)  # closes without a question
        super().clear()

