"""Dialogs about questions: choose a visit for one, pick from drafted ones, and pick open
ones to bring to a visit."""

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


class TickList(QListWidget):
    """A list of wrapped texts, each with a tick box; `data` rides along with each item."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSpacing(3)

    def add(self, text: str, data: object = None, *, checked: bool, tip: str = "") -> None:
        """One item, ticked or not."""
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setToolTip(tip)
        self.addItem(item)

    def ticked_rows(self) -> list[int]:
        """Rows whose box is ticked, in order."""
        return [row for row in range(self.count())
                if self.item(row).checkState() == Qt.CheckState.Checked]

    def ticked_data(self) -> list:
        """The data of the ticked items, in order."""
        return [self.item(row).data(Qt.ItemDataRole.UserRole) for row in self.ticked_rows()]

    def set_checked(self, row: int, checked: bool) -> None:
        """Tick or untick one item."""
        self.item(row).setCheckState(Qt.CheckState.Checked if checked
                                     else Qt.CheckState.Unchecked)


def counted_label(verb: str, count: int) -> str:
    """"Add 3 questions", "Attach 1 question"; the bare verb when there are none."""
    return f"{verb} {count} question{'s' if count != 1 else ''}" if count else verb


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
        self.list = TickList()
        for draft in drafts:
            about = _draft_about(draft, catalogue)
            self.list.add(draft.text, checked=True, tip=f"About: {about}" if about else "")
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
        return [self.drafts[row] for row in self.list.ticked_rows()]

    def set_checked(self, row: int, checked: bool) -> None:
        """Tick or untick one draft."""
        self.list.set_checked(row, checked)

    def _count_changed(self) -> None:
        count = len(self.chosen())
        self.add_button.setText(counted_label("Add", count))
        self.add_button.setEnabled(count > 0)

    def accept(self) -> None:
        """Store the ticked drafts, then close."""
        if self.chosen():
            self._submit(self.chosen(), self.visit.visit_id())
        super().accept()


class AttachQuestionsDialog(QDialog):
    """Tick open questions from the person's list to bring to this visit."""

    def __init__(self, questions: list[Record], visits: dict[int, Record],
                 submit: Callable[[list[int]], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Attach questions")
        self.setMinimumSize(560, 380)
        self._submit = submit
        layout = QVBoxLayout(self)
        layout.addWidget(label("Attach from my questions", "heading"))
        layout.addWidget(label("Open questions not yet attached to this visit. A question "
                               "attached to another visit moves to this one.", "muted"))
        self.list = TickList()
        for question in questions:
            elsewhere = visits.get(question.values.get("visit_id"))
            text = question.values.get("text") or ""
            if elsewhere is not None:
                text += f"\n(now for {question_service.visit_label(elsewhere)})"
            self.list.add(text, question.id, checked=False)
        self.list.itemChanged.connect(lambda _item: self._count_changed())
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.attach_button = buttons.addButton("Attach", QDialogButtonBox.ButtonRole.AcceptRole)
        self.attach_button.setProperty("role", "primary")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._count_changed()

    def chosen(self) -> list[int]:
        """Ids of the ticked questions."""
        return self.list.ticked_data()

    def set_checked(self, row: int, checked: bool) -> None:
        """Tick or untick one question."""
        self.list.set_checked(row, checked)

    def _count_changed(self) -> None:
        count = len(self.chosen())
        self.attach_button.setText(counted_label("Attach", count))
        self.attach_button.setEnabled(count > 0)

    def accept(self) -> None:
        """Attach the ticked questions, then close."""
        if self.chosen():
            self._submit(self.chosen())
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
