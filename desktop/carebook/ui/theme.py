"""Light and dark palettes that follow the system, plus the application style sheet."""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from carebook.paths import resource


@dataclass(frozen=True)
class Colors:
    """The handful of colours the style sheet and the item models use."""

    window: str
    base: str
    alternate: str
    text: str
    muted: str
    button: str
    border: str
    accent: str
    accent_text: str
    high: str
    low: str
    high_bg: str
    low_bg: str
    ok: str
    warning_bg: str


LIGHT = Colors(window="#f5f4f0", base="#ffffff", alternate="#f7f6f2", text="#1f2328",
               muted="#5f6670", button="#eceae4", border="#d6d3cb", accent="#2f6f73",
               accent_text="#ffffff", high="#b3261e", low="#1f57c3", high_bg="#fde8e6",
               low_bg="#e6eefc", ok="#2e7d32", warning_bg="#fff4d6")
DARK = Colors(window="#1d2023", base="#24282c", alternate="#2a2f34", text="#e8e6e3",
              muted="#a3a9b0", button="#30353a", border="#41474e", accent="#5fb3b3",
              accent_text="#0f1a1a", high="#ff8a80", low="#8ab4f8", high_bg="#4a2523",
              low_bg="#22324d", ok="#81c995", warning_bg="#4a3f1c")


def system_prefers_dark() -> bool:
    """True when the desktop asks for a dark appearance."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def current_colors(app: QApplication | None = None) -> Colors:
    """The colours of the theme currently applied."""
    app = app or QApplication.instance()
    return DARK if app is not None and app.property("carebookDark") else LIGHT


def apply_theme(app: QApplication, choice: str = "system") -> Colors:
    """Apply "light", "dark" or "system" to the whole application; return the colours."""
    dark = system_prefers_dark() if choice == "system" else choice == "dark"
    colors = DARK if dark else LIGHT
    app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    template = Template(resource("styles", "carebook.qss").read_text(encoding="utf-8"))
    app.setStyleSheet(template.substitute(vars(colors)))
    app.setProperty("carebookDark", dark)
    return colors


def _palette(colors: Colors) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: colors.window,
        QPalette.ColorRole.WindowText: colors.text,
        QPalette.ColorRole.Base: colors.base,
        QPalette.ColorRole.AlternateBase: colors.alternate,
        QPalette.ColorRole.Text: colors.text,
        QPalette.ColorRole.Button: colors.button,
        QPalette.ColorRole.ButtonText: colors.text,
        QPalette.ColorRole.ToolTipBase: colors.base,
        QPalette.ColorRole.ToolTipText: colors.text,
        QPalette.ColorRole.PlaceholderText: colors.muted,
        QPalette.ColorRole.Highlight: colors.accent,
        QPalette.ColorRole.HighlightedText: colors.accent_text,
        QPalette.ColorRole.Link: colors.accent,
        QPalette.ColorRole.Mid: colors.border,
        QPalette.ColorRole.Midlight: colors.alternate,
        QPalette.ColorRole.BrightText: colors.high,
    }
    for role, value in roles.items():
        palette.setColor(role, QColor(value))
    disabled = QColor(colors.muted)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.WindowText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette
