"""Settings → Models on the offscreen platform: the real default model, GGUF files built by
the tests, a real task runner hashing on its worker thread, questions answered by a script."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from carebook.assistant.catalogue import sha256_of
from carebook.assistant.registry import ModelRegistry
from carebook.paths import models_dir
from carebook.ui.models_page import ModelsPage
from carebook.ui.settings import UiSettings
from carebook.ui.settings_dialog import SettingsDialog
from carebook.ui.tasks import TaskRunner
from tests.gguf_files import needs_real_model, rewrite_one_byte, write_gguf

CATALOGUE = models_dir() / "catalogue.toml"
STATUS, IN_USE = 5, 6


@pytest.fixture
def registry(tmp_path) -> ModelRegistry:
    """A registry over the real catalogue, with this test's own models.json."""
    return ModelRegistry(tmp_path / "data" / "models.json", CATALOGUE, models_dir())


@pytest.fixture
def make_page(qtbot, registry, interaction):
    """Factory: a shown ModelsPage with a real TaskRunner; background work waited for."""
    runners = []

    def factory() -> ModelsPage:
        runner = TaskRunner(interaction)
        runners.append(runner)
        page = ModelsPage(registry, runner, interaction)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitExposed(page)
        return page

    yield factory
    for runner in runners:
        runner.wait()


def cell(page: ModelsPage, row: int, column: int) -> str:
    """The text shown in a table cell."""
    return page.model.index(row, column).data()


def row_of(page: ModelsPage, name: str) -> int:
    """The row showing the model with this name."""
    return next(r for r in range(page.model.rowCount()) if cell(page, r, 0) == name)


def settle(qtbot, page: ModelsPage) -> None:
    """Wait until no file check is running."""
    qtbot.waitUntil(lambda: not page.runner.busy and not page._checking, timeout=15_000)




@needs_real_model
def test_the_default_model_is_ready_and_active(qtbot, qtmodeltester, make_page):
    """Checked in the background on first show, then Ready and marked Active."""
    page = make_page()
    assert cell(page, 0, 0) == "SmolLM2-135M-Instruct (Q4_1)"
    qtbot.waitUntil(lambda: cell(page, 0, STATUS) == "Ready", timeout=15_000)
    assert cell(page, 0, IN_USE) == "● Active"
    assert [cell(page, 0, c) for c in (1, 2, 3)] == ["98 MB", "Q4_1", "8,192 tokens"]
    assert page.selected_row().id == page.registry.default_id
    assert not page.remove_button.isEnabled() and not page.use_button.isEnabled()
    assert page.detail["File"].text().endswith("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert page.hint.text().startswith("Bigger instruct models (1–4B parameters, Q4_K_M)")
    assert page.damaged_note.isHidden()
    qtmodeltester.check(page.model, force_py=True)


def test_adding_a_model_file_lists_it(qtbot, make_page, interaction, tmp_path):
    """The file picker's choice is checked off the UI thread and appears with its details."""
    path = write_gguf(tmp_path / "tiny.gguf", name="Tiny Chat", file_type=15,
                      context_length=4096)
    page = make_page()
    settle(qtbot, page)
    interaction.answer([path])
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15_000)
    settle(qtbot, page)
    row = row_of(page, "Tiny Chat")
    assert [cell(page, row, c) for c in (2, 3, 4, STATUS, IN_USE)] == [
        "Q4_K_M", "4,096 tokens", "apache-2.0", "Ready", ""]
    assert page.selected_row().entry.path == path
    assert page.progress.text().startswith("Added Tiny Chat.")
    assert page.remove_button.isEnabled() and page.use_button.isEnabled()
    assert interaction.warnings() == []


def test_a_file_that_is_not_gguf_shows_a_plain_error(qtbot, make_page, interaction, tmp_path):
    """Wrong magic: a warning in plain words, and nothing is added."""
    bad = tmp_path / "holiday.gguf"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    page = make_page()
    interaction.answer([bad])
    page.add_files()
    qtbot.waitUntil(lambda: interaction.warnings() != [], timeout=15_000)
    assert interaction.warnings() == ["holiday.gguf is not a GGUF model file"]
    assert interaction.messages[-1][:2] == ("warn", "Can't add holiday.gguf")
    assert page.model.rowCount() == 1


def test_a_changed_file_is_refused_until_confirmed(qtbot, make_page, interaction, registry,
                                                   tmp_path):
    """Changed — confirm; Use (button and Enter) refuses; Confirm asks, then re-pins."""
    entry = registry.add(write_gguf(tmp_path / "tiny.gguf", name="Tiny Chat"))
    rewrite_one_byte(entry.path)
    page = make_page()
    row = row_of(page, "Tiny Chat")
    qtbot.waitUntil(lambda: cell(page, row, STATUS) == "Changed — confirm", timeout=15_000)
    page.select(entry.id)
    assert not page.use_button.isEnabled() and page.confirm_button.isEnabled()
    assert "Confirm changed file" in page.problem.text()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert interaction.warnings() == ["The model file tiny.gguf changed since you added it; "
                                      "confirm it in Settings → Models."]
    assert registry.active_id == registry.default_id
    interaction.answer(False)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    assert registry.get(entry.id).sha256 == entry.sha256  # declined: nothing re-pinned
    interaction.answer(True)
    qtbot.mouseClick(page.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cell(page, row, STATUS) == "Ready", timeout=15_000)
    assert registry.get(entry.id).sha256 == sha256_of(entry.path) != entry.sha256
    assert page.progress.text() == "Confirmed Tiny Chat."
    page.table.setFocus()  # the click moved it to the button
    with qtbot.waitSignal(page.sig_active_changed) as signal:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert signal.args == [entry.id] and registry.active_id == entry.id
    assert cell(page, row, IN_USE) == "● Active"


def test_remove_asks_and_keeps_the_file(qtbot, make_page, interaction, registry, tmp_path):
    """Delete asks first; No keeps the model; Yes forgets it; the file stays on disk."""
    entry = registry.add(write_gguf(tmp_path / "tiny.gguf", name="Tiny Chat"))
    registry.set_active(entry.id)
    page = make_page()
    settle(qtbot, page)
    page.select(entry.id)
    page.table.setFocus()
    interaction.answer(False)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.model.rowCount() == 2
    assert interaction.messages[-1][:2] == ("confirm", "Remove model")
    interaction.answer(True)
    with qtbot.waitSignal(page.sig_active_changed) as signal:
        qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert signal.args == [registry.default_id]
    assert page.model.rowCount() == 1 and entry.path.is_file()
    assert cell(page, 0, IN_USE) == "● Active"


def test_catalogue_models_cannot_be_removed(qtbot, make_page, interaction):
    """The button is off for them, and Delete asks nothing."""
    page = make_page()
    page.select(page.registry.default_id)
    assert not page.remove_button.isEnabled()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # an unscripted question would fail here
    assert page.model.rowCount() == 1


def test_a_damaged_models_list_is_mentioned(qtbot, registry, interaction, tmp_path):
    """The page says the list started afresh and where the old one was kept."""
    registry.path.parent.mkdir(parents=True, exist_ok=True)
    registry.path.write_text("{oops")
    damaged = ModelRegistry(registry.path, CATALOGUE, models_dir())
    page = ModelsPage(damaged, None, interaction)
    qtbot.addWidget(page)
    assert not page.damaged_note.isHidden()
    assert str(registry.path.with_name("models.json.damaged")) in page.damaged_note.text()


def test_settings_dialog_hosts_the_models_page(qtbot, registry, interaction, tmp_path):
    """A Models tab beside General; OK still stores the general settings."""
    settings = UiSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    page = ModelsPage(registry, None, interaction)
    dialog = SettingsDialog(settings, models_page=page)
    qtbot.addWidget(dialog)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == ["General", "Models"]
    dialog.minutes.setValue(7)
    dialog.accept()
    assert settings.auto_lock_minutes == 7
    plain = SettingsDialog(settings)
    qtbot.addWidget(plain)
    assert plain.tabs.count() == 1 and plain.tabs.tabBar().isHidden()
