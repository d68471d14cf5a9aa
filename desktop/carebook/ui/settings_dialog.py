"""Preferences: auto-lock and appearance (General) and, when given, the Models page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from carebook.ui.settings import UiSettings
from carebook.ui.widgets import label

THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class SettingsDialog(QDialog):
    """Edits UiSettings; the caller applies them after OK. Models apply as they are chosen."""

    def __init__(self, settings: UiSettings, parent: QWidget | None = None, *,
                 models_page: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        layout = QVBoxLayout(self)
        layout.addWidget(label("Settings", "heading"))
        form = QFormLayout()
        self.auto_lock = QCheckBox("Lock the vault when I am away")
        self.auto_lock.setChecked(settings.auto_lock_enabled)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, 240)
        self.minutes.setSuffix(" minutes")
        self.minutes.setValue(settings.auto_lock_minutes)
        self.auto_lock.toggled.connect(self.minutes.setEnabled)
        self.minutes.setEnabled(self.auto_lock.isChecked())
        form.addRow("Auto-lock", self.auto_lock)
        form.addRow("Lock after", self.minutes)
        self.theme = QComboBox()
        for value, text in THEMES:
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow("Appearance", self.theme)
        general = QWidget()
        general.setLayout(form)
        self.tabs = QTabWidget()
        self.tabs.setTabBarAutoHide(True)  # General alone needs no tab bar
        self.tabs.addTab(general, "General")
        if models_page is not None:
            self.tabs.addTab(models_page, "Models")
            self.resize(860, 600)
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Store the choices."""
        self.settings.auto_lock_enabled = self.auto_lock.isChecked()
        self.settings.auto_lock_minutes = self.minutes.value()
        self.settings.theme = self.theme.currentData()
        self.settings.sync()
        super().accept()
