"""The main window: one window whose pages follow the vault's life cycle.

welcome (no vault) → recovery code (just created) → workspace (unlocked) → unlock (locked).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
)

from carebook import __version__
from carebook.context import AppContext
from carebook.errors import CarebookError
from carebook.services import demo as demo_service
from carebook.services import profiles as profile_service
from carebook.services import vault_access
from carebook.ui.actions import Actions, build_menus
from carebook.ui.clipboard import forget_copied
from carebook.ui.icons import app_icon
from carebook.ui.icons import icon as retint
from carebook.ui.idle import IdleWatcher
from carebook.ui.interaction import Interaction
from carebook.ui.lab_import import LabImporter, pdf_paths
from carebook.ui.passphrase_dialogs import PassphraseDialog
from carebook.ui.recovery_code_page import RecoveryCodePage
from carebook.ui.settings import UiSettings
from carebook.ui.settings_dialog import SettingsDialog
from carebook.ui.tasks import TaskRunner
from carebook.ui.theme import apply_theme
from carebook.ui.unlock_page import UnlockPage
from carebook.ui.welcome_page import WelcomePage
from carebook.ui.widgets import centered, label
from carebook.ui.workspace import Workspace
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.vault import Vault, is_vault

FIRST_PERSON = "Me"


class CarebookWindow(QMainWindow):
    """Carebook's only top-level window."""

    def __init__(self, context: AppContext, *, interaction: Interaction | None = None,
                 settings: UiSettings | None = None) -> None:
        super().__init__()
        self.context = context
        self.settings = settings or UiSettings()
        self.runner = TaskRunner(interaction or Interaction(), self)
        self.vault: Vault | None = None
        self.state: WorkspaceState | None = None
        self.workspace: Workspace | None = None
        self.importer: LabImporter | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        self.ask_dialog: QDialog | None = None
        self.setWindowTitle("Carebook")
        self.setWindowIcon(app_icon())
        self.setMinimumSize(760, 520)  # usable on a small laptop screen
        self.setAcceptDrops(True)  # lab PDFs dropped on the window are imported

        self.pages = QStackedWidget()
        self.welcome = WelcomePage(context.vault_dir)
        self.recovery = RecoveryCodePage()
        self.unlock_page = UnlockPage()
        self.busy_label = label("", "heading")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.busy_page = centered(self.busy_label)
        for page in (self.welcome, self.recovery, self.unlock_page, self.busy_page):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)

        self.actions = build_menus(self)
        self._connect()
        self._build_status_bar()
        self.idle = IdleWatcher(self)
        self.idle.sig_idle.connect(lambda: self.lock(reason="idle"))
        geometry = self.settings.load_bytes("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        self._update_actions()

    # --- start ------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the right first page: demo, unlock, or welcome."""
        if self.context.demo:
            self.start_demo()
        elif is_vault(self.context.vault_dir):
            self._show_unlock()
        else:
            self.welcome.set_folder(self.context.vault_dir)
            self.pages.setCurrentWidget(self.welcome)

    def _connect(self) -> None:
        a: Actions = self.actions
        self.welcome.sig_create.connect(self.create_vault)
        self.welcome.sig_demo.connect(self.start_demo)
        self.welcome.sig_open_other.connect(self.open_other_vault)
        self.welcome.sig_choose_folder.connect(self._choose_new_folder)
        self.recovery.sig_done.connect(self._open_workspace)
        self.unlock_page.sig_unlock.connect(self.unlock)
        self.unlock_page.sig_recover.connect(self.recover)
        self.unlock_page.sig_open_other.connect(self.open_other_vault)
        a.new_vault.triggered.connect(self.new_vault)
        a.open_vault.triggered.connect(self.open_other_vault)
        a.lock.triggered.connect(lambda: self.lock())
        a.change_passphrase.triggered.connect(self.change_passphrase)
        a.settings.triggered.connect(self.edit_settings)
        a.import_labs.triggered.connect(lambda: self.importer and self.importer.choose_files())
        a.ask.triggered.connect(self.ask)
        a.quit.triggered.connect(self.close)
        a.about.triggered.connect(self._about)
        a.undo.triggered.connect(lambda: self.state and self.state.undo_stack.undo())
        a.redo.triggered.connect(lambda: self.state and self.state.undo_stack.redo())
        a.add.triggered.connect(lambda: self._in_section("add_record"))
        a.edit.triggered.connect(lambda: self._in_section("edit_selected"))
        a.delete.triggered.connect(lambda: self._in_section("delete_selected"))
        a.find.triggered.connect(lambda: self._in_section("focus_filter"))
        a.add_person.triggered.connect(lambda: self.workspace and self.workspace.add_person())
        a.rename_person.triggered.connect(
            lambda: self.workspace and self.workspace.rename_person())
        a.delete_person.triggered.connect(
            lambda: self.workspace and self.workspace.delete_person())
        a.person_details.triggered.connect(
            lambda: self.workspace and self.workspace.edit_person_details())
        a.prepare_pack.triggered.connect(lambda: self.workspace and self.workspace.prepare_pack())
        a.emergency_card.triggered.connect(
            lambda: self.workspace and self.workspace.show_emergency_card())
        a.people_group.triggered.connect(
            lambda action: self.workspace and self.workspace.show_person(action.data()))
        for row, action in enumerate(a.sections):
            action.triggered.connect(lambda _checked=False, r=row: self._show_section_row(r))

    def _new_workspace(self) -> Workspace:
        """A workspace for the open vault, with the People menu following its list."""
        workspace = Workspace(self.state)
        workspace.sig_people_listed.connect(self.actions.list_people)
        return workspace

    def _build_status_bar(self) -> None:
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setFixedWidth(120)
        self.busy_bar.hide()
        self.busy_text = QLabel("")
        self.statusBar().addPermanentWidget(self.busy_text)
        self.statusBar().addPermanentWidget(self.busy_bar)
        self.runner.sig_busy_changed.connect(self._show_busy)

    def _show_busy(self, busy: bool, message: str) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_text.setText(message if busy else "")

    # --- creating, unlocking, locking -----------------------------------------------------

    def create_vault(self, folder: Path, passphrase: str) -> None:
        """Create a vault in the background, then show its recovery code once."""
        self.welcome.set_busy(True)
        self.runner.task(self._create_with_first_person, folder, passphrase).busy(
            "Creating your vault…").success(self._created).failure(
            self._failure_shown_on(self.welcome)).bound_to(self).run_in_background()

    def _create_with_first_person(self, folder: Path, passphrase: str):
        vault, code = vault_access.create_vault(folder, passphrase, self.context.kdf)
        profile_service.add_profile(vault, FIRST_PERSON)
        return vault, code

    def _created(self, result) -> None:
        self.vault, code = result
        self.context.vault_dir = self.vault.folder
        self.welcome.entry.clear()
        self.welcome.set_busy(False)
        self.recovery.show_code(code)
        self.pages.setCurrentWidget(self.recovery)

    def _failure_shown_on(self, page) -> Callable[[BaseException], None]:
        """A failure handler for a form `page` (with set_busy and show_error): expected
        errors are shown on the page itself, anything else is reported and logged."""

        def failed(error: BaseException) -> None:
            page.set_busy(False)
            if isinstance(error, CarebookError):
                page.show_error(error.message)
            else:
                self.runner.report(error, self)

        return failed

    def unlock(self, passphrase: str) -> None:
        """Derive the key and open the vault in the background."""
        self.unlock_page.set_busy(True)
        self.runner.task(vault_access.unlock_vault, self.context.vault_dir, passphrase).busy(
            "Unlocking…").success(self._unlocked).failure(
            self._failure_shown_on(self.unlock_page)).bound_to(self).run_in_background()

    def recover(self, code: str) -> None:
        """Open the vault with the recovery code; a new passphrase is required next."""
        self.unlock_page.set_busy(True)
        self.runner.task(vault_access.recover_vault, self.context.vault_dir, code).busy(
            "Unlocking with the recovery code…").success(self._unlocked).failure(
            self._failure_shown_on(self.unlock_page)).bound_to(self).run_in_background()

    def _unlocked(self, vault: Vault) -> None:
        self.vault = vault
        self.unlock_page.secret.clear()
        if vault.opened_with_recovery_code:
            self._ask_new_passphrase(after_recovery=True)
        else:
            self._open_workspace()

    def _open_workspace(self) -> None:
        if self.vault is None:
            return
        self.state = WorkspaceState(self.vault, self.runner, self.settings, self)
        self.state.sig_status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        stack = self.state.undo_stack
        stack.canUndoChanged.connect(self.actions.undo.setEnabled)
        stack.canRedoChanged.connect(self.actions.redo.setEnabled)
        stack.undoTextChanged.connect(lambda t: self.actions.undo.setText(
            f"&Undo {t}" if t else "&Undo"))
        stack.redoTextChanged.connect(lambda t: self.actions.redo.setText(
            f"&Redo {t}" if t else "&Redo"))
        self.workspace = self._new_workspace()
        self.importer = LabImporter(self.state, self)
        self.importer.sig_imported.connect(self._show_lab_results)
        self.pages.addWidget(self.workspace)
        self.pages.setCurrentWidget(self.workspace)
        self.workspace.start()
        self.setWindowTitle(f"Carebook — {self.vault.folder.name}"
                            + (" (demo)" if self.context.demo else ""))
        self._arm_idle()
        self._update_actions()

    def lock(self, reason: str = "") -> None:
        """Close the vault, clear every view, and show the unlock page."""
        vault, self.vault = self.vault, None  # claimed first: closing dialogs may re-enter
        if vault is None:
            return
        self.runner.forget_pending()
        forget_copied()  # a renewal request or recovery code copied earlier
        self.idle.disarm()
        self.passphrase_dialog = None
        # Any open question (a confirmation, a form, a file chooser) answers "cancel": its
        # caller would otherwise act on a vault that is now closed.
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.done(QDialog.DialogCode.Rejected)  # no "discard changes?" question
        if self.importer is not None:
            self.importer.deleteLater()
            self.importer = None
        if self.workspace is not None:
            self.workspace.clear()
            self.pages.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        if self.state is not None:
            self.state.assistant.close()  # the worker's cache holds the last prompt
            self.state.undo_stack.clear()
            self.state.deleteLater()
            self.state = None
        vault.close()
        minutes = self.settings.auto_lock_minutes
        message = (f"Locked after {minutes} minute{'s' if minutes != 1 else ''} without activity."
                   if reason == "idle" else "")
        self._show_unlock(message)
        self._update_actions()

    def _show_unlock(self, message: str = "") -> None:
        self.setWindowTitle("Carebook")
        hint = (f"This is the demo vault. Its passphrase is: {demo_service.DEMO_PASSPHRASE}"
                if self.context.demo else "")
        self.unlock_page.prepare(self.context.vault_dir, hint=hint, message=message)
        self.pages.setCurrentWidget(self.unlock_page)

    def _arm_idle(self) -> None:
        if self.vault is not None and self.settings.auto_lock_enabled:
            self.idle.arm(self.settings.auto_lock_minutes * 60_000)
        else:
            self.idle.disarm()

    # --- passphrase -----------------------------------------------------------------------

    def change_passphrase(self) -> None:
        """Ask for the current and a new passphrase."""
        if self.vault is not None:
            self._ask_new_passphrase(after_recovery=False)

    def _ask_new_passphrase(self, *, after_recovery: bool) -> None:
        dialog = PassphraseDialog(self, after_recovery=after_recovery)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.passphrase_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "passphrase_dialog", None))
        dialog.sig_submit.connect(lambda current, new: self._set_passphrase(dialog, current, new))
        if after_recovery:
            dialog.rejected.connect(self._recovery_abandoned)
        dialog.open()

    def _set_passphrase(self, dialog: PassphraseDialog, current: str | None, new: str) -> None:
        dialog.set_busy(True)

        def done(_result) -> None:
            after_recovery = dialog.after_recovery
            dialog.finish()
            self.statusBar().showMessage("Passphrase changed.", 8000)
            if after_recovery:
                self._open_workspace()

        self.runner.task(vault_access.change_passphrase, self.vault, new, current).busy(
            "Saving the new passphrase…").success(done).failure(
            self._failure_shown_on(dialog)).bound_to(
            dialog).run_in_background()

    def _recovery_abandoned(self) -> None:
        # Declining to set a new passphrase after a recovery-code unlock means locking again.
        if self.vault is not None and self.vault.opened_with_recovery_code:
            self.lock()

    # --- other vaults, demo, settings -------------------------------------------------------

    def start_demo(self) -> None:
        """Create a throwaway vault with the demo family and open it."""
        if self.vault is not None:
            self.lock()
        folder = self.context.make_demo_folder()
        self.busy_label.setText("Preparing the demo family…")
        self.pages.setCurrentWidget(self.busy_page)
        self.runner.task(demo_service.create_demo_vault, folder, self.context.kdf).busy(
            "Preparing the demo family…").success(self._demo_ready).bound_to(
            self).run_in_background()

    def _demo_ready(self, vault: Vault) -> None:
        self.context.vault_dir = vault.folder
        self.context.demo = True
        self.vault = vault
        self._open_workspace()

    def open_other_vault(self) -> None:
        """Choose another vault folder (or a folder to create one in)."""
        folder = self.runner.interaction.choose_folder(self, "Open a Carebook vault",
                                                       str(self.context.vault_dir.parent))
        if folder is None:
            return
        self.lock()
        self.context.vault_dir = folder
        self.context.demo = False
        if is_vault(folder):
            self._show_unlock()
        else:
            self.runner.interaction.inform(self, "No vault there", f"{folder} holds no Carebook "
                                           "vault. You can create a new one there.")
            self.welcome.set_folder(folder)
            self.pages.setCurrentWidget(self.welcome)

    def new_vault(self) -> None:
        """Lock, then show the welcome page to create another vault."""
        self.lock()
        self.context.demo = False
        self.pages.setCurrentWidget(self.welcome)

    def _choose_new_folder(self) -> None:
        folder = self.runner.interaction.choose_folder(self, "Where should the vault live?",
                                                       str(self.welcome.folder.parent))
        if folder is not None:
            self.welcome.set_folder(folder if not any(folder.iterdir()) else folder / "Carebook")

    def edit_settings(self, tab: int = 0) -> None:
        """Edit preferences (General, Models) and apply them."""
        from carebook.assistant.registry import ModelRegistry
        from carebook.ui.models_page import ModelsPage

        registry = self.state.models if self.state is not None else ModelRegistry()
        page = ModelsPage(registry, self.runner, self.runner.interaction)
        page.sig_active_changed.connect(self._model_changed)
        dialog = SettingsDialog(self.settings, self, models_page=page)
        dialog.tabs.setCurrentIndex(tab)
        if dialog.exec():
            self.apply_appearance()
            self._arm_idle()

    def _model_changed(self, _model_id: str) -> None:
        # The next explanation starts a worker with the new model; the old one ends now.
        if self.state is not None:
            self.state.assistant.restart()

    def apply_appearance(self) -> None:
        """Apply the theme setting, re-tinting icons drawn for the previous one."""
        apply_theme(QApplication.instance(), self.settings.theme)
        for action in self.findChildren(QAction):
            if getattr(action, "icon_name", None):
                action.setIcon(retint(action.icon_name))
        if self.workspace is not None:  # its many icons are simplest redrawn by rebuilding it
            row = self.workspace.nav.currentRow()
            old = self.workspace
            self.workspace = self._new_workspace()
            self.pages.addWidget(self.workspace)
            self.pages.setCurrentWidget(self.workspace)
            self.pages.removeWidget(old)
            old.deleteLater()
            self.workspace.start()
            self.workspace.nav.setCurrentRow(row)

    def system_scheme_changed(self) -> None:
        """The desktop switched between light and dark."""
        if self.settings.theme == "system":
            self.apply_appearance()

    def ask(self) -> None:
        """Open the Ask window for the person shown (one at a time)."""
        if self.state is None or self.state.profile is None:
            return
        from carebook.ui.explain_dialog import AskDialog

        if self.ask_dialog is not None:
            self.ask_dialog.close()
        profile = self.state.profile
        self.ask_dialog = AskDialog(self.state, profile.id, profile.name, self)
        self.ask_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.ask_dialog.destroyed.connect(lambda *_: setattr(self, "ask_dialog", None))
        self.ask_dialog.show()

    def _about(self) -> None:
        self.runner.interaction.inform(
            self, "About Carebook",
            f"Carebook {__version__}\n\nYour family's health records in an encrypted vault on "
            "this computer. Carebook makes no network connections and sends no telemetry: "
            "nothing you keep here leaves the machine.")

    # --- plumbing -------------------------------------------------------------------------

    def _show_section_row(self, row: int) -> None:
        if self.workspace is not None:
            self.workspace.nav.setCurrentRow(row)

    def _show_lab_results(self, _count: int) -> None:
        if self.workspace is not None:
            self.workspace.show_section("lab_result")

    def _in_section(self, method: str) -> None:
        if self.workspace is not None:
            getattr(self.workspace.current_section(), method, lambda: None)()

    def _update_actions(self) -> None:
        unlocked = self.vault is not None
        for action in self.actions.session_actions():
            action.setEnabled(unlocked)
        can_undo = bool(self.state and self.state.undo_stack.canUndo())
        can_redo = bool(self.state and self.state.undo_stack.canRedo())
        self.actions.undo.setEnabled(can_undo)
        self.actions.redo.setEnabled(can_redo)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept PDFs (or folders of them) while a vault is open."""
        if self.importer is not None and pdf_paths(_dropped_paths(event)):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Import the dropped lab reports, one after another."""
        if self.importer is not None:
            event.acceptProposedAction()
            self.importer.import_files(_dropped_paths(event))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember the geometry, lock the vault, wait for background work."""
        self.settings.save_bytes("window/geometry", self.saveGeometry())
        self.settings.sync()
        self.lock()
        self.runner.wait()
        super().closeEvent(event)


def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
    return [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
