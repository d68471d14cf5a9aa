"""The Questions section's dialogs: choose a visit, and pick from drafted questions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from carebook.assistant.questions import DraftQuestion
from carebook.domain.records import Record
from carebook.knowledge.catalogue import Catalogue
from carebook.services import questions as question_service
from carebook.ui.widgets import label


class VisitChoice(QComboBox):
    """"No visit" and the person's planned visits, soonest first."""

    def __init__(self, visits: list[Record], current: int | None = None,
                 extra: Record | None = None) -> None:
        super().__init__()
        self.addItem("No visit", None)
        for visit in ([extra] if extra is not None else []) + visits:
            reason = visit.values.get("reason")
            self.addItem(question_service.visit_label(visit) + (f" — {reason}" if reason
                                                                  else ""), visit.id)
        self.setCurrentIndex(max(self.findData(current), 0) if current is not None else 0)

    def visit_id(self) -> int | None:
        """The chosen visit's id, or None for "No visit"."""
        return self.currentData()


class AttachDialog(QDialog):
    """Choose the visit a question belongs to."""

    def __init__(self, question: Record, visits: list[Record], current: Record | None,
                 submit: Callable[[int | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach to visit")
        self._submit = submit
        layout = QVBoxLayout(self)
        layout.addWidget(label("Attach to visit", "heading"))
        layout.addWidget(label(question.title(), "muted"))
        extra = current if current is not None and current.id not in {v.id for v in visits} \
            else None
        self.choice = VisitChoice(visits, question.values.get("visit_id"), extra)
        form = QFormLayout()
        form.addRow("Bring to:", self.choice)
        layout.addLayout(form)
        if not visits:
            layout.addWidget(label("No planned visits yet. Add one in Visits.", "muted"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Attach, then close."""
        self._submit(self.choice.visit_id())
        super().accept()


class DraftsDialog(QDialog):
    """The drafted questions with a tick each (all ticked): nothing is stored until Add."""

    def __init__(self, drafts: list[DraftQuestion], visits: list[Record],
                 default_visit: int | None, catalogue: Catalogue | None,
                 submit: Callable[[list[DraftQuestion], int | None], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Questions drafted from your results")
        self.setMinimumSize(620, 460)
        self.drafts, self._submit = drafts, submit
        layout = QVBoxLayout(self)
        layout.addWidget(label("Questions drafted from your results", "heading"))
        layout.addWidget(label("Written by Carebook from your latest results out of range and "
                               "how they changed. Untick any you do not want, then press Add.",
                               "muted"))
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(3)
        for draft in drafts:
            item = QListWidgetItem(draft.text)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            about = _draft_about(draft, catalogue)
            item.setToolTip(f"About: {about}" if about else "")
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self._count_changed())
        layout.addWidget(self.list, 1)
        self.visit = VisitChoice(visits, default_visit)
        form = QFormLayout()
        form.addRow("Bring to:", self.visit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = buttons.addButton("Add", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setProperty("role", "primary")
        self.add_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._count_changed()

    def chosen(self) -> list[DraftQuestion]:
        """The drafts still ticked, in the order shown."""
        return [draft for row, draft in enumerate(self.drafts)
                if self.list.item(row).checkState() == Qt.CheckState.Checked]

    def set_checked(self, row: int, checked: bool) -> None:
        """Tick or untick one draft."""
        self.list.item(row).setCheckState(Qt.CheckState.Checked if checked
                                          else Qt.CheckState.Unchecked)

    def _count_changed(self) -> None:
        count = len(self.chosen())
        self.add_button.setText(f"Add {count} question{'s' if count != 1 else ''}")
        self.add_button.setEnabled(count > 0)

    def accept(self) -> None:
        """Store the ticked drafts, then close."""
        if self.chosen():
            self._submit(self.chosen(), self.visit.visit_id())
        super().accept()


def _draft_about(draft: DraftQuestion, catalogue: Catalogue | None) -> str:
    probe = Record("question", 0, {"about": question_service.about_json(draft)})
    return question_service.about_text(probe, catalogue)


def hide_form_row(dialog: QDialog, field_name: str) -> None:
    """Hide one field's row in a record form (its value still round-trips)."""
    editor = dialog.editors[field_name]
    for form in dialog.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            box = item.layout() if item is not None else None
            if box is not None and box.indexOf(editor) >= 0:
                form.setRowVisible(row, False)
                return
