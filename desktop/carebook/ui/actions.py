"""The window's menus and shortcuts, created once and enabled by state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from carebook.ui.icons import icon
from carebook.ui.workspace import SECTION_ORDER


@dataclass
class Actions:
    """Every menu action; `session` ones are enabled only while a vault is unlocked."""

    new_vault: QAction
    open_vault: QAction
    lock: QAction
    change_passphrase: QAction
    import_labs: QAction
    ask: QAction
    settings: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    add: QAction
    edit: QAction
    delete: QAction
    find: QAction
    add_person: QAction
    rename_person: QAction
    delete_person: QAction
    sections: list[QAction]
    about: QAction

    def session_actions(self) -> list[QAction]:
        """Actions that need an unlocked vault."""
        return [self.lock, self.change_passphrase, self.import_labs, self.ask, self.add,
                self.edit,
                self.delete, self.find, self.add_person, self.rename_person,
                self.delete_person, *self.sections]


def _action(window: QMainWindow, text: str, shortcut: QKeySequence | str | None = None,
            icon_name: str | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    action.icon_name = icon_name  # kept so the icon can be redrawn for another theme
    return action


def build_menus(window: QMainWindow) -> Actions:
    """Create the menu bar and return its actions (not yet connected)."""
    key = QKeySequence.StandardKey
    actions = Actions(
        new_vault=_action(window, "&New vault…"),
        open_vault=_action(window, "&Open vault…", key.Open),
        lock=_action(window, "&Lock", "Ctrl+L", "lock"),
        change_passphrase=_action(window, "Change &passphrase…"),
        import_labs=_action(window, "&Import lab reports…", "Ctrl+I", "import"),
        ask=_action(window, "&Ask about the records…", "Ctrl+Shift+A", "assistant"),
        settings=_action(window, "&Settings…", "Ctrl+,", "settings"),
        quit=_action(window, "&Quit", key.Quit),
        undo=_action(window, "&Undo", key.Undo),
        redo=_action(window, "&Redo", "Ctrl+Shift+Z"),
        add=_action(window, "&Add…", key.New, "add"),
        edit=_action(window, "&Edit…", "Ctrl+E", "edit"),
        delete=_action(window, "&Delete", key.Delete, "delete"),
        find=_action(window, "&Filter…", key.Find, "filter"),
        add_person=_action(window, "&Add person…", "Ctrl+Shift+N", "add"),
        rename_person=_action(window, "&Rename person…", "F2", "edit"),
        delete_person=_action(window, "&Delete person…", None, "delete"),
        # Ctrl+1 … Ctrl+9, then Ctrl+0 for the tenth, as browsers do with tabs.
        sections=[_action(window, title, f"Ctrl+{number % 10}" if number <= 10 else None,
                          icon_name)
                  for number, (_key, icon_name, title) in enumerate(SECTION_ORDER, start=1)],
        about=_action(window, "&About Carebook"),
    )
    bar = window.menuBar()
    file_menu: QMenu = bar.addMenu("&File")
    for item in (actions.new_vault, actions.open_vault, None, actions.import_labs, None,
                 actions.lock,
                 actions.change_passphrase, None, actions.settings, None, actions.quit):
        file_menu.addSeparator() if item is None else file_menu.addAction(item)
    edit_menu = bar.addMenu("&Edit")
    for item in (actions.undo, actions.redo, None, actions.add, actions.edit, actions.delete,
                 None, actions.find):
        edit_menu.addSeparator() if item is None else edit_menu.addAction(item)
    people_menu = bar.addMenu("&People")
    for item in (actions.add_person, actions.rename_person, actions.delete_person):
        people_menu.addAction(item)
    assistant_menu = bar.addMenu("A&ssistant")
    assistant_menu.addAction(actions.ask)
    view_menu = bar.addMenu("&View")
    for item in actions.sections:
        view_menu.addAction(item)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.about)
    toolbar = window.addToolBar("Main")
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for item in (actions.import_labs, actions.add, actions.ask, None, actions.lock):
        toolbar.addSeparator() if item is None else toolbar.addAction(item)
    actions.import_labs.setIconText("Import lab report")
    actions.add.setIconText("Add")
    actions.ask.setIconText("Ask")
    actions.lock.setIconText("Lock")
    return actions
