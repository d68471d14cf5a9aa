"""The unlocked workspace: person switcher, section list, and the sections themselves."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.record_types import record_type
from carebook.services import profiles as profile_service
from carebook.ui.activity_section import ActivitySection
from carebook.ui.documents_section import DocumentsSection
from carebook.ui.icons import icon
from carebook.ui.lab_results_section import LabResultsSection
from carebook.ui.overview_page import OverviewPage
from carebook.ui.questions_section import QuestionsSection
from carebook.ui.record_section import RecordSection, SplitSection
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState

# (key, icon, title) in navigation order; record-type keys double as section keys.
SECTION_ORDER = (
    ("overview", "overview", "Overview"),
    ("lab_result", "lab", "Lab results"),
    ("medication", "medication", "Medications"),
    ("condition", "condition", "Conditions & allergies"),
    ("immunization", "immunization", "Immunizations"),
    ("vital", "vitals", "Vitals"),
    ("visit", "visit", "Visits"),
    ("question", "question", "Questions"),
    ("document", "document", "Documents"),
    ("activity", "activity", "Activity"),
)


class Workspace(QWidget):
    """Everything shown while the vault is unlocked."""

    def __init__(self, state: WorkspaceState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.sections: dict[str, QWidget] = {}
        self.sections["overview"] = OverviewPage(state)
        self.sections["overview"].sig_navigate.connect(self.show_section)
        self.sections["lab_result"] = LabResultsSection(state)
        self.sections["medication"] = RecordSection(record_type("medication"), state)
        self.sections["condition"] = SplitSection("Conditions & allergies",
                                                  ("condition", "allergy"), state, "condition")
        for key in ("immunization", "vital", "visit"):
            self.sections[key] = RecordSection(record_type(key), state)
        self.sections["question"] = QuestionsSection(state)
        self.sections["document"] = DocumentsSection(state)
        self.sections["activity"] = ActivitySection(state)

        self.person = QComboBox()
        self.person.setMinimumWidth(180)
        self.person.setToolTip("Whose records are shown")
        self.person.currentIndexChanged.connect(self._person_chosen)
        self.people_button = QToolButton()
        self.people_button.setIcon(icon("people"))
        self.people_button.setToolTip("Add, rename or delete a person")
        self.people_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.people_menu = QMenu(self.people_button)
        self.people_menu.addAction(icon("add"), "Add person…", self.add_person)
        self.people_menu.addAction(icon("edit"), "Rename person…", self.rename_person)
        self.people_menu.addAction(icon("delete"), "Delete person…", self.delete_person)
        self.people_button.setMenu(self.people_menu)

        self.nav = QListWidget()
        self.nav.setObjectName("sectionList")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        for key, icon_name, title in SECTION_ORDER:
            widget = self.sections[key]
            item = QListWidgetItem(icon(icon_name), title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self._section_chosen)

        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(6)
        person_box = QVBoxLayout()
        person_box.setContentsMargins(14, 12, 14, 6)
        person_box.addWidget(label("Showing records of", "muted"))
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.person, 1)
        row.addWidget(self.people_button)
        person_box.addLayout(row)
        side.addLayout(person_box)
        side.addWidget(self.nav, 1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setFixedWidth(256)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side_widget)
        layout.addWidget(self.stack, 1)

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Fill the person switcher and show the remembered section."""
        self.reload_people(prefer=self.state.settings.last_profile_id)
        self.nav.setCurrentRow(min(max(self.state.settings.last_section, 0),
                                   self.nav.count() - 1))

    def clear(self) -> None:
        """Forget everything shown (the vault is locking)."""
        for widget in self.sections.values():
            widget.clear()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.blockSignals(False)

    # --- sections --------------------------------------------------------------------------

    def current_section(self) -> QWidget:
        """The section on screen."""
        return self.stack.currentWidget()

    def show_section(self, key: str) -> None:
        """Switch to the section with this key."""
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return

    def _section_chosen(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self.state.settings.last_section = row
        self.current_section().reload()

    # --- people ----------------------------------------------------------------------------

    def reload_people(self, prefer: int | None = None) -> None:
        """Refill the switcher, keeping (or choosing) the person shown."""
        people = self.state.runner.task(profile_service.list_profiles,
                                        self.state.vault).run_now() or []
        wanted = prefer if prefer is not None else self.state.profile_id
        self.person.blockSignals(True)
        self.person.clear()
        for person in people:
            self.person.addItem(icon("person"), person.name, person.id)
        index = self.person.findData(wanted) if wanted is not None else -1
        self.person.setCurrentIndex(index if index >= 0 else (0 if people else -1))
        self.person.blockSignals(False)
        chosen = next((p for p in people if p.id == self.person.currentData()), None)
        self.state.show_profile(chosen)
        self.state.sig_profiles_edited.emit()

    def _person_chosen(self, _index: int) -> None:
        self.reload_people(prefer=self.person.currentData())

    def add_person(self) -> None:
        """Ask for a name and add a person."""
        name = self.state.interaction.ask_text(self, "Add person", "Name shown in Carebook "
                                               "(for example “Dad” or “Léa”):")
        if name is None:
            return
        added = self.state.runner.task(profile_service.add_profile, self.state.vault,
                                       name).bound_to(self).run_now()
        if added is not None:
            self.reload_people(prefer=added.id)
            self.state.sig_status.emit(f"Added {added.name}.")

    def rename_person(self) -> None:
        """Rename the person shown."""
        profile = self.state.profile
        if profile is None:
            return
        name = self.state.interaction.ask_text(self, "Rename person", "New name:", profile.name)
        if name is None or name == profile.name:
            return
        renamed = self.state.runner.task(profile_service.rename_profile, self.state.vault,
                                         profile.id, name).bound_to(self).run_now()
        if renamed is not None:
            self.reload_people(prefer=renamed.id)

    def delete_person(self) -> None:
        """Delete the person shown and all their records, after a clear confirmation."""
        profile = self.state.profile
        if profile is None:
            return
        total = self.state.runner.task(profile_service.profile_record_total, self.state.vault,
                                       profile.id).run_now() or 0
        text = (f"Delete {profile.name} and all {total} of their records and documents?\n\n"
                "This cannot be undone. The activity log keeps a line saying it happened.")
        if not self.state.interaction.confirm(self, f"Delete {profile.name}?", text,
                                              confirm_label=f"Delete {profile.name}",
                                              destructive=True):
            return
        done = self.state.runner.task(profile_service.delete_profile, self.state.vault,
                                      profile.id).bound_to(self).run_now()
        if done is not None:
            # Undo entries may point at this person's records, which no longer exist.
            self.state.undo_stack.clear()
            self.reload_people(prefer=None)
            self.state.records_changed("*")
            self.state.sig_status.emit(f"Deleted {profile.name}.")
