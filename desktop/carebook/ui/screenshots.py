"""Developer tool: screenshots of the real windows for docs/screenshots/.

Run under a display (e.g. `xvfb-run -a -s "-screen 0 1440x900x24" python -m
carebook.ui.screenshots docs/screenshots`). It creates throwaway vaults in a temporary
folder and drives the window the way a person would.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QScrollArea

from carebook.context import AppContext
from carebook.paths import resource
from carebook.vault.kdf import KdfParams

SIZE = (1280, 800)
CHEAP_KDF = KdfParams(time_cost=1, memory_kib=8 * 1024, parallelism=1)  # throwaway vaults


def _wait(app, condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not reach the expected state")
        app.processEvents()
        time.sleep(0.02)


def _settle(app, seconds: float = 0.4) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def _first_doubtful_row(model) -> int:
    for row in range(model.rowCount()):
        if model.row_data(row).get("doubts"):
            return row
    return 0


def _assistant_shots(app, window, labs, shoot) -> None:
    """Explain (facts, checked model version, questions), Ask, the question list, and
    Settings → Models, with the real default model."""
    from carebook.ui.models_page import ModelsPage
    from carebook.ui.settings_dialog import SettingsDialog

    labs.explain_report()
    dialog = labs.explain_dialog
    dialog.resize(1000, 860)
    _wait(app, lambda: not dialog.generating and dialog.explanation is not None, 240)
    shoot(dialog, "explain.png")
    dialog.prompt_toggle.click()
    _settle(app)  # the prompt box is laid out before the page can scroll to it
    bar = dialog.findChild(QScrollArea).verticalScrollBar()
    bar.setValue(bar.maximum())
    shoot(dialog, "explain-prompt.png")
    dialog.close()
    window.ask()
    ask = window.ask_dialog
    ask.resize(1000, 760)
    ask.question.setText("Has my cholesterol improved since last year?")
    ask.ask()
    _wait(app, lambda: not ask.generating and ask.explanation is not None, 240)
    shoot(ask, "ask.png")
    ask.close()
    workspace = window.workspace
    workspace.show_section("question")
    questions = workspace.sections["question"]
    questions.draft()
    _wait(app, lambda: questions.drafts_dialog is not None, 60)
    shoot(questions.drafts_dialog, "questions-drafts.png")
    questions.drafts_dialog.accept()
    _wait(app, lambda: questions.model.rowCount() > 1, 20)
    questions.select_row(questions.model.row_at(1).id)
    shoot(window, "questions.png")
    page = ModelsPage(window.state.models, window.runner, window.runner.interaction)
    settings = SettingsDialog(window.settings, window, models_page=page)
    settings.tabs.setCurrentIndex(1)
    settings.resize(900, 560)
    settings.show()
    _wait(app, lambda: not window.runner.busy, 60)
    shoot(settings, "settings-models.png")
    settings.reject()
    workspace.show_section("activity")
    shoot(window, "activity-ai-runs.png")
    workspace.show_section("lab_result")


def _caregiving_shots(app, window, shoot, out: Path) -> None:
    """The person switcher open (badges), Dad's details form and a renewal request."""
    from PySide6.QtWidgets import QPushButton

    workspace = window.workspace
    workspace.show_person(window.vault.profiles.find("Dad").id)
    workspace.show_section("overview")
    workspace.person.showPopup()  # a popup is a window of its own: grab the screen around it
    _settle(app)
    frame = window.frameGeometry()
    window.screen().grabWindow(0).copy(frame.x(), frame.y(), 560, 360).save(
        str(out / "person-switcher.png"))
    print(out / "person-switcher.png")
    workspace.person.hidePopup()
    window.actions.person_details.trigger()
    shoot(workspace.details_dialog, "person-details.png")
    workspace.details_dialog.done(0)
    overview = workspace.sections["overview"]
    next(b for b in overview.findChildren(QPushButton)
         if b.text() == "Ask for a renewal…").click()
    shoot(overview.renewal_dialog, "renewal.png")
    overview.renewal_dialog.done(0)


def _visits_shots(app, window, shoot) -> None:
    """Dad's visits: the next one with its open questions, then the one 150 days ago with
    its asked questions, answers, notes and follow-up tasks."""
    from datetime import date, timedelta

    workspace = window.workspace
    workspace.show_person(window.vault.profiles.find("Dad").id)
    workspace.show_section("visit")
    shoot(window, "visits-next.png")
    day = (date.today() - timedelta(days=150)).isoformat()
    past = next(v for v in window.vault.records.list("visit", window.state.profile_id)
                if v.values["starts_at"].startswith(day))
    visits = workspace.sections["visit"]
    visits.select_visit(past.id)
    shoot(window, "visits-past.png")


def _printout_shots(app, window, shoot, out: Path, scratch: Path) -> None:
    """The appointment pack for Dad's next visit (A4, normal text) with page 1 of the saved
    PDF as pdftoppm draws it, and Léa's emergency card."""
    import shutil
    import subprocess

    from carebook.interop.printable import PageSetup
    from carebook.ui.print_pdf import write_pdf

    workspace = window.workspace
    workspace.show_person(window.vault.profiles.find("Dad").id)
    workspace.show_section("overview")
    window.actions.prepare_pack.trigger()
    pack = workspace.printout
    pack.paper.setCurrentIndex(pack.paper.findData("A4"))
    pack.text_size.setCurrentIndex(pack.text_size.findData("normal"))
    pack.resize(1120, 820)
    shoot(pack, "appointment-pack.png")
    pdf = scratch / "pack.pdf"
    write_pdf(pack.document, pdf, PageSetup(paper="A4"))
    pack.close()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(out / "appointment-pack-page1")], check=True)
        print(out / "appointment-pack-page1.png")
    else:
        print("pdftoppm not found (Debian: poppler-utils): page 1 of the pack not drawn")
    workspace.show_person(window.vault.profiles.find("Léa").id)
    window.actions.emergency_card.trigger()
    shoot(workspace.printout, "emergency-card.png")
    workspace.printout.close()


def main(argv: list[str] | None = None) -> int:
    """Write the screenshots into the folder given as the first argument."""
    args = argv if argv is not None else sys.argv[1:]
    out = Path(args[0] if args else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="carebook-shots-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        os.environ[name] = str(scratch / name.lower())

    from carebook.ui.launcher import prepare_application
    from carebook.ui.theme import apply_theme
    from carebook.ui.window import CarebookWindow

    app = prepare_application()

    def shoot(window, name: str) -> None:
        _settle(app)
        window.screen().grabWindow(window.winId()).save(str(out / name))
        print(out / name)

    def new_window(theme: str, folder: Path) -> CarebookWindow:
        apply_theme(app, theme)
        window = CarebookWindow(AppContext(vault_dir=folder, kdf=CHEAP_KDF))
        window.resize(*SIZE)
        window.show()
        window.start()
        return window

    window = new_window("light", scratch / "family-vault")
    window.welcome.entry.passphrase.setText("violet harbor lantern 92")
    window.welcome.entry.confirmation.setText("violet harbor lantern 92")
    _wait(app, lambda: window.welcome.create_button.isEnabled())
    shoot(window, "welcome.png")
    window.welcome.create_button.click()
    _wait(app, lambda: window.pages.currentWidget() is window.recovery)
    shoot(window, "recovery-code.png")
    window.recovery.saved.setChecked(True)
    window.recovery.continue_button.click()
    _wait(app, lambda: window.workspace is not None)
    window.lock()
    window.unlock_page.secret.setText("violet harbor lantern")
    window.unlock_page.unlock_button.click()
    _wait(app, lambda: window.unlock_page.error.isVisible())
    shoot(window, "unlock.png")

    window.start_demo()
    _wait(app, lambda: window.workspace is not None)
    workspace = window.workspace
    workspace.person.setCurrentIndex(workspace.person.findText("Dad"))
    workspace.show_section("overview")
    shoot(window, "demo-overview.png")
    _caregiving_shots(app, window, shoot, out)
    workspace.show_section("lab_result")
    labs = workspace.sections["lab_result"]
    dad = window.vault.profiles.find("Dad")
    labs.select_row(window.vault.records.lab_history(dad.id, "hba1c")[-1].id)
    shoot(window, "demo-lab-results.png")
    _assistant_shots(app, window, labs, shoot)
    workspace.person.setCurrentIndex(workspace.person.findText("Me"))
    me = window.vault.profiles.find("Me")
    labs.select_row(window.vault.records.lab_history(me.id, "glucose")[-1].id)
    labs.open_trend()  # glucose reported in mg/dL, mmol/L and g/L, shown in mg/dL
    shoot(labs.trend_dialog, "lab-trend.png")
    labs.trend_dialog.close()
    # A synthetic three-page report, reviewed beside its page before anything is saved.
    window.importer.import_files([resource("demo", "sample-lab-report.pdf")])
    _wait(app, lambda: window.importer.dialog is not None and window.importer.dialog.isVisible())
    review = window.importer.dialog
    review.resize(*SIZE)
    review.table.selectRow(_first_doubtful_row(review.model))
    shoot(review, "lab-review.png")
    review.done(0)
    workspace.person.setCurrentIndex(workspace.person.findText("Dad"))
    workspace.show_section("medication")
    shoot(window, "demo-medications.png")
    _visits_shots(app, window, shoot)
    workspace.show_section("medication")
    window.actions.add.trigger()
    form = workspace.sections["medication"].dialog
    form.editors["name"].setText("Dapagliflozin")
    form.editors["dose"].setText("10 mg")
    form.editors["start_date"].set_iso("2026-11-20")
    form.editors["stop_date"].set_iso("2026-11-02")
    form.editors["refills_left"].setText("two")
    form.accept()  # refused: shows what to fix under each field
    shoot(form, "form-medication-errors.png")
    form.reject()
    window.actions.change_passphrase.trigger()
    dialog = window.passphrase_dialog
    dialog.entry.passphrase.setText("summer2026")
    dialog.entry.confirmation.setText("summer2026")
    _settle(app)
    shoot(dialog, "change-passphrase.png")
    dialog.reject()
    workspace.person.setCurrentIndex(workspace.person.findText("Léa"))
    workspace.show_section("condition")
    shoot(window, "demo-conditions-allergies.png")
    workspace.show_section("activity")
    shoot(window, "demo-activity.png")
    _printout_shots(app, window, shoot, out, scratch)
    window.close()

    dark = new_window("dark", scratch / "unused")
    dark.start_demo()
    _wait(app, lambda: dark.workspace is not None)
    dark.workspace.person.setCurrentIndex(dark.workspace.person.findText("Dad"))
    dark.workspace.show_section("overview")
    shoot(dark, "demo-overview-dark.png")
    dark.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
