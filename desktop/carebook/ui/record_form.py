"""Add or edit one record in a form built from its type's fields, validated by the domain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.record_types import RecordType
from carebook.domain.records import Record
from carebook.errors import ValidationError
from carebook.ui.field_editors import default_value, make_editor, read_editor, write_editor
from carebook.ui.widgets import label

Submit = Callable[[dict[str, Any]], None]


class RecordFormDialog(QDialog):
    """A form for one record. Save calls `submit(raw)`; a ValidationError keeps it open
    with each problem shown under its field."""

    def __init__(self, rtype: RecordType, record: Record | None, submit: Submit,
                 parent: QWidget | None = None, *, person: str = "") -> None:
        super().__init__(parent)
        self.rtype = rtype
        self._submit = submit
        verb = "Edit" if record else "Add"
        self.setWindowTitle(f"{verb} {rtype.label.lower()}")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        heading = f"{verb} {rtype.label.lower()}" + (f" for {person}" if person else "")
        layout.addWidget(label(heading, "heading"))
        if record is not None:
            layout.addWidget(label(record.provenance.describe(), "muted"))
        form = QFormLayout()
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        for spec in rtype.fields:
            if spec.name in ("visit_id", "sort_order"):
                continue  # set by the program, not typed
            editor = make_editor(spec)
            write_editor(spec, editor, record.values.get(spec.name) if record
                         else default_value(spec))
            error = label("", "field-error")
            error.hide()
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(editor)
            box.addWidget(error)
            form.addRow(spec.label + (" *" if spec.required else ""), box)
            self.editors[spec.name] = editor
            self.errors[spec.name] = error
        layout.addLayout(form)
        layout.addWidget(label("* required", "muted"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setProperty("role", "primary")
        save.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()

    def raw_values(self) -> dict[str, Any]:
        """What the form holds, untyped: validation happens in the domain."""
        return {name: read_editor(self.rtype.field(name), editor)
                for name, editor in self.editors.items()}

    def set_value(self, name: str, text: Any) -> None:
        """Fill one field (used by tests and by callers that pre-fill)."""
        write_editor(self.rtype.field(name), self.editors[name], text)

    def show_errors(self, field_errors: dict[str, str]) -> None:
        """Show each message under its field and move the focus to the first one."""
        first = None
        for name, error in self.errors.items():
            message = field_errors.get(name, "")
            error.setText(message)
            error.setVisible(bool(message))
            _mark_invalid(self.editors[name], bool(message))
            if message and first is None:
                first = self.editors[name]
        if first is not None:
            first.setFocus()

    def accept(self) -> None:
        """Validate and save; stay open with messages when something is wrong."""
        try:
            self._submit(self.raw_values())
        except ValidationError as error:
            self.show_errors(error.field_errors)
            return
        super().accept()


def _mark_invalid(editor: QWidget, invalid: bool) -> None:
    """Outline the field in red; date fields are containers, so mark their line edit."""
    target = getattr(editor, "line", None) or getattr(getattr(editor, "date", None), "line",
                                                      None) or editor
    target.setProperty("invalid", invalid)
    target.style().unpolish(target)
    target.style().polish(target)
