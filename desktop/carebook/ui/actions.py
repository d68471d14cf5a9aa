"""The window's menus and shortcuts, created once and enabled by state."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from carebook.domain.records import Profile
from carebook.ui.icons import icon
from carebook.ui.person_badge import person_icon
from carebook.ui.workspace import PEOPLE_SHORTCUTS, PERSON_DETAILS_SHORTCUT, SECTION_ORDER


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
    person_details: QAction
    prepare_pack: QAction
    emergency_card: QAction
    rename_person: QAction
    delete_person: QAction
    sections: list[QAction]
    about: QAction
    people_menu: QMenu | None = None
    people_group: QActionGroup | None = None
    """Its `triggered(action)` carries the chosen person's id as `action.data()`."""
    people: list[QAction] = field(default_factory=list)

    def session_actions(self) -> list[QAction]:
        """Actions that need an unlocked vault."""
        return [self.lock, self.change_passphrase, self.import_labs, self.ask, self.add,
                self.edit,
                self.delete, self.find, self.add_person, self.person_details,
                self.prepare_pack, self.emergency_card, self.rename_person,
                self.delete_person, *self.sections, *self.people]

    def list_people(self, people: list[Profile], current_id: int | None) -> None:
        """Show everyone in the People menu with their badge, Ctrl+1 … Ctrl+9 for the first
        nine, and the person shown checked; an empty list (on lock) removes them."""
        # Actions are updated in place, not replaced: this runs while one of them is still
        # delivering its `triggered` (Ctrl+2 switches person, which refills the list).
        while len(self.people) > len(people):
            gone = self.people.pop()
            self.people_group.removeAction(gone)
            self.people_menu.removeAction(gone)
            gone.deleteLater()
        while len(self.people) < len(people):
            action = QAction(self.people_menu)
            action.setCheckable(True)
            self.people_group.addAction(action)
            self.people_menu.addAction(action)
            self.people.append(action)
        for position, (person, action) in enumerate(zip(people, self.people, strict=True)):
            action.setText(f"Show {person.name.replace('&', '&&')}")
            action.setIcon(person_icon(person, position))
            action.setData(person.id)
            shortcut = f"Ctrl+{position + 1}" if position < PEOPLE_SHORTCUTS else ""
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(f"Show the records of {person.name}"
                              + (f" ({shortcut})" if shortcut else ""))
            action.setChecked(person.id == current_id)
            font = action.font()
            font.setBold(person.id == current_id)  # the check alone is faint beside an icon
            action.setFont(font)


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
        person_details=_action(window, "Person &details…", PERSON_DETAILS_SHORTCUT, "person"),
        # No window-wide Ctrl+P: in Visits it prepares the chosen visit's pack.
        prepare_pack=_action(window, "Appointment &pack…", None, "print"),
        emergency_card=_action(window, "&Emergency card…", None, "print"),
        rename_person=_action(window, "&Rename person…", "F2", "edit"),
        delete_person=_action(window, "&Delete person…", None, "delete"),
        # Alt+1 … Alt+9, then Alt+0 for the tenth; Ctrl+digit belongs to the people.
        sections=[_action(window, title, f"Alt+{number % 10}" if number <= 10 else None,
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
    for item in (actions.add_person, actions.person_details, actions.rename_person,
                 actions.delete_person, None, actions.prepare_pack, actions.emergency_card):
        people_menu.addSeparator() if item is None else people_menu.addAction(item)
    people_menu.addSeparator()  # then "Show <name>" for each person, filled by list_people
    actions.people_menu = people_menu
    actions.people_group = QActionGroup(window)
    actions.people_group.setExclusive(True)
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
