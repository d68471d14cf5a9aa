"""The unlocked workspace: person switcher, section list, and the sections themselves."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.people import PERSON_DETAILS
from carebook.domain.record_types import record_type
from carebook.domain.records import Profile
from carebook.errors import ValidationError
from carebook.services import profiles as profile_service
from carebook.ui.activity_section import ActivitySection
from carebook.ui.documents_section import DocumentsSection
from carebook.ui.icons import icon
from carebook.ui.lab_results_section import LabResultsSection
from carebook.ui.medications_section import MedicationsSection
from carebook.ui.overview_page import OverviewPage
from carebook.ui.person_badge import person_icon, set_badge, show_colour_choices
from carebook.ui.questions_section import QuestionsSection
from carebook.ui.record_form import RecordFormDialog
from carebook.ui.record_section import RecordSection, SplitSection
from carebook.ui.visits_section import VisitsSection
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

PERSON_DETAILS_SHORTCUT = "Ctrl+Shift+P"
PEOPLE_SHORTCUTS = 9  # Ctrl+1 … Ctrl+9 show the first nine people (actions.py)
BADGE_SIZE = 34  # the badge beside the switcher, in logical pixels


class Workspace(QWidget):
    """Everything shown while the vault is unlocked."""

    sig_people_listed = Signal(list, object)
    """The switcher was refilled: everyone (Profile list, in order) and the id shown (or None)."""

    def __init__(self, state: WorkspaceState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.people: list[Profile] = []
        self.details_dialog: RecordFormDialog | None = None
        self.printout: QDialog | None = None  # the pack or card dialog open, if any
        self.sections: dict[str, QWidget] = {}
        self.sections["overview"] = OverviewPage(state)
        self.sections["overview"].sig_navigate.connect(self.show_section)
        self.sections["overview"].sig_show_visit.connect(self.show_visit)
        self.sections["overview"].sig_prepare_pack.connect(self.prepare_pack)
        self.sections["lab_result"] = LabResultsSection(state)
        self.sections["medication"] = MedicationsSection(state)
        self.sections["condition"] = SplitSection("Conditions & allergies",
                                                  ("condition", "allergy"), state, "condition")
        for key in ("immunization", "vital"):
            self.sections[key] = RecordSection(record_type(key), state)
        self.sections["visit"] = VisitsSection(state)
        self.sections["visit"].sig_prepare_pack.connect(self.prepare_pack)
        self.sections["question"] = QuestionsSection(state)
        self.sections["document"] = DocumentsSection(state)
        self.sections["activity"] = ActivitySection(state)

        self.person = QComboBox()
        self.person.setMinimumWidth(120)
        self.person.setIconSize(QSize(20, 20))
        self.person.setToolTip("Whose records are shown (Ctrl+1 … Ctrl+9 switch directly)")
        self.person.currentIndexChanged.connect(self._person_chosen)
        self.badge = QLabel()
        self.badge.setFixedSize(BADGE_SIZE, BADGE_SIZE)
        self.people_button = QToolButton()
        self.people_button.setIcon(icon("people"))
        self.people_button.setToolTip("Add a person, edit their details, rename or delete them")
        self.people_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.people_menu = QMenu(self.people_button)
        self.people_menu.addAction(icon("add"), "Add person…", self.add_person)
        self.people_menu.addAction(icon("person"), "Person details…", self.edit_person_details)
        self.people_menu.addAction(icon("edit"), "Rename person…", self.rename_person)
        self.people_menu.addAction(icon("delete"), "Delete person…", self.delete_person)
        self.people_menu.addSeparator()
        self.people_menu.addAction(icon("print"), "Emergency card…", self.show_emergency_card)
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
        row.setSpacing(6)
        row.addWidget(self.badge)
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
        if self.details_dialog is not None:
            self.details_dialog.reject()
        for widget in self.sections.values():
            widget.clear()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.blockSignals(False)
        self.people = []
        set_badge(self.badge, None, 0, BADGE_SIZE)
        self.sig_people_listed.emit([], None)

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

    def show_visit(self, visit_id: int) -> None:
        """Show the Visits section with this visit selected (when the section can)."""
        self.show_section("visit")
        self.sections["visit"].select_visit(visit_id)

    # --- printouts -------------------------------------------------------------------------

    def prepare_pack(self, visit_id: int | None = None) -> None:
        """The appointment pack for a visit of the person shown: `visit_id`, else the visit
        chosen in Visits when that is on screen, else their next visit."""
        from carebook.ui.pack_dialog import PackDialog  # QtPrintSupport loads on first use

        if self.state.profile is None:
            return
        if visit_id is None and self.current_section() is self.sections["visit"]:
            chosen = self.sections["visit"].selected_visit()
            visit_id = chosen.id if chosen is not None else None
        self._show_printout(PackDialog(self.state, visit_id, self))

    def show_emergency_card(self) -> None:
        """The emergency card of the person shown."""
        from carebook.ui.card_dialog import CardDialog

        if self.state.profile is not None:
            self._show_printout(CardDialog(self.state, self))

    def _show_printout(self, dialog: QDialog) -> None:
        if self.printout is not None:
            self.printout.close()  # one printout at a time: both follow the person shown
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # Closed, not destroyed: a dialog is destroyed later, after the next one may be open.
        dialog.finished.connect(lambda _result: self._printout_closed(dialog))
        self.printout = dialog
        dialog.show()

    def _printout_closed(self, dialog: QDialog) -> None:
        if self.printout is dialog:
            self.printout = None

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
        self.people = people
        self.person.blockSignals(True)
        self.person.clear()
        for position, person in enumerate(people):
            self.person.addItem(person_icon(person, position), person.name, person.id)
            if position < PEOPLE_SHORTCUTS:
                self.person.setItemData(position, f"{person.name} (Ctrl+{position + 1})",
                                        Qt.ItemDataRole.ToolTipRole)
        index = self.person.findData(wanted) if wanted is not None else -1
        self.person.setCurrentIndex(index if index >= 0 else (0 if people else -1))
        self.person.blockSignals(False)
        position = max(self.person.currentIndex(), 0)
        chosen = people[position] if people else None
        set_badge(self.badge, chosen, position, BADGE_SIZE)
        self.state.show_profile(chosen)
        self.state.sig_profiles_edited.emit()
        self.sig_people_listed.emit(list(people), chosen.id if chosen else None)

    def _person_chosen(self, _index: int) -> None:
        self.reload_people(prefer=self.person.currentData())

    def show_person(self, profile_id: int) -> None:
        """Show this person's records (the People menu, Ctrl+1 … Ctrl+9)."""
        index = self.person.findData(profile_id)
        if index >= 0 and index != self.person.currentIndex():
            self.person.setCurrentIndex(index)

    def edit_person_details(self) -> None:
        """Edit the shown person's full name, birth date, blood type, colour and contacts."""
        profile = self.state.profile
        if profile is None:
            return
        dialog = RecordFormDialog(PERSON_DETAILS, None,
                                  lambda raw: self._save_details(profile.id, raw), self)
        for name, value in profile_service.person_details(profile).items():
            dialog.set_value(name, value)
        show_colour_choices(dialog.editors["colour"], profile, max(self.person.currentIndex(), 0))
        dialog.setWindowTitle(f"Person details — {profile.name}")
        for text in dialog.findChildren(QLabel):  # the form's own "Add …" heading and legend
            if text.property("role") == "heading":
                text.setText(f"Details of {profile.name}")
            elif text.text() == "* required":
                text.setText("The emergency card prints these details (and the allergies, "
                             "medications and conditions in the records).")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "details_dialog", None))
        dialog.open()

    def _save_details(self, profile_id: int, raw: dict) -> None:
        # The runner reports failures itself; a ValidationError is handed back to the form
        # instead, so it stays open with each message under its field.
        problems: list[ValidationError] = []

        def failed(error: BaseException) -> None:
            if isinstance(error, ValidationError):
                problems.append(error)
            else:
                self.state.runner.report(error, self)

        saved = self.state.runner.task(profile_service.update_person_details, self.state.vault,
                                       profile_id, raw).failure(failed).run_now()
        if problems:
            raise problems[0]
        if saved is None:
            raise ValidationError({})  # reported above; keep the form open, nothing typed lost
        self.reload_people(prefer=saved.id)
        self.state.sig_status.emit(f"Saved the details of {saved.name}.")

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
