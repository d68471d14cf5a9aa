"""The Explain and Ask panels in the real window, with the real default model (bounded)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from carebook.assistant.catalogue import default_model
from carebook.services import records as record_service
from carebook.ui.explain_dialog import AskDialog, AssistantDialog, ExplainDialog
from tests.ui.conftest import open_section

pytestmark = pytest.mark.skipif(not default_model().path().is_file(),
                                reason="run `make setup` to fetch the default model")
FINISH_MS = 180_000


@pytest.fixture(autouse=True)
def short_answers(monkeypatch):
    """Bounded generations keep CI fast; the pipeline is the same as with 300 tokens."""
    monkeypatch.setattr(AssistantDialog, "max_tokens", 32)


def _section(qtbot, make_window, folder, person="Dad"):
    return open_section(qtbot, make_window, folder, "lab_result", person)


def _explain(qtbot, section, record) -> ExplainDialog:
    section.select_row(record.id)
    section.explain_action.trigger()
    dialog = section.explain_dialog
    assert isinstance(dialog, ExplainDialog)
    return dialog


def _writing_panel(qtbot, make_window, folder, monkeypatch):
    """A window and an Explain panel on one of Dad's flagged results, its model writing a
    long answer (so Stop, crashes, lock and close can catch it mid-way)."""
    monkeypatch.setattr(AssistantDialog, "max_tokens", 400)
    window, section = _section(qtbot, make_window, folder)
    record = _flagged(window, "Dad")
    dialog = _explain(qtbot, section, record)
    qtbot.waitUntil(lambda: dialog.model_text.toPlainText() != "", timeout=FINISH_MS)
    return window, section, record, dialog


def _flagged(window, person: str):
    profile = window.vault.profiles.find(person)
    records = window.vault.records.list("lab_result", profile.id)
    return next(r for r in records if r.values.get("flag") in ("H", "L")
                and r.values.get("analyte"))


def _ai_runs(window):
    return [e for e in window.vault.audit.entries() if e.action == "ai_run"]


def test_explain_streams_then_checks_and_audits(qtbot, make_window, demo_vault_dir):
    window, section = _section(qtbot, make_window, demo_vault_dir)
    record = _flagged(window, "Dad")
    dialog = _explain(qtbot, section, record)
    streamed: list[str] = []
    dialog.model_text.textChanged.connect(lambda: streamed.append(
        dialog.model_text.toPlainText()))
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        pass
    value = record.values.get("value_text") or f"{record.values['value']:g}"
    assert value in dialog.facts.toPlainText()
    assert "Sources:" in dialog.facts.toPlainText()
    assert len(streamed) >= 2, "the answer should arrive in several pieces"
    status = dialog.model_status.text()
    assert status.startswith(("Checked:", "Not shown: it failed a check."))
    if status.startswith("Not shown"):
        assert "failed Carebook's checks" in dialog.model_text.toPlainText()
    assert not dialog.stop_button.isEnabled()
    qtbot.waitUntil(lambda: len(_ai_runs(window)) == 1)
    entry = _ai_runs(window)[0]
    assert record.id in entry.detail["record_ids"]
    assert entry.detail["model_sha256"] == default_model().sha256


def test_what_the_assistant_was_shown_is_the_exact_prompt(qtbot, make_window, demo_vault_dir):
    window, section = _section(qtbot, make_window, demo_vault_dir)
    dialog = _explain(qtbot, section, _flagged(window, "Dad"))
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        pass
    assert not dialog.prompt.isVisible()
    dialog.prompt_toggle.click()
    assert dialog.prompt.isVisible()
    prompt = dialog.prompt.toPlainText()
    assert prompt == dialog.explanation.prompt_text
    assert dialog.explanation.grounding.facts[0].text in prompt
    qtbot.waitUntil(lambda: bool(_ai_runs(window)))
    assert _ai_runs(window)[0].detail["prompt"] == prompt


def test_a_critical_value_keeps_its_banner_whatever_the_model_writes(
        qtbot, make_window, demo_vault_dir):
    window, section = _section(qtbot, make_window, demo_vault_dir)
    profile = window.vault.profiles.find("Dad")
    record = record_service.add_record(window.vault, "lab_result", profile.id, {
        "collected_at": "2026-03-03", "name": "Potassium", "value": "6.9", "unit": "mmol/L",
        "ref_low": "3.5", "ref_high": "5.1"})
    section.reload()
    dialog = _explain(qtbot, section, record)
    qtbot.waitUntil(lambda: dialog.explanation is not None, timeout=30_000)
    assert dialog.banner.isVisible()
    before = dialog.banner.text()
    assert "Contact a clinician now" in before and "emergency services" in before
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        pass
    assert dialog.banner.isVisible() and dialog.banner.text() == before


def test_stop_ends_the_answer_and_the_next_one_works(qtbot, make_window, demo_vault_dir,
                                                     monkeypatch):
    _window, section, record, dialog = _writing_panel(qtbot, make_window, demo_vault_dir,
                                                      monkeypatch)
    with qtbot.waitSignal(dialog.sig_finished, timeout=1500):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc stops while the model writes
    assert dialog.model_status.text() == "Stopped."
    assert dialog.isVisible()
    again = _explain(qtbot, section, record)
    monkeypatch.setattr(AssistantDialog, "max_tokens", 16)
    with qtbot.waitSignal(again.sig_finished, timeout=FINISH_MS):
        pass
    assert again.explanation.generation is not None and not again.explanation.stopped


def test_a_worker_crash_is_a_message_and_the_app_goes_on(qtbot, make_window, demo_vault_dir,
                                                         monkeypatch):
    window, section, record, dialog = _writing_panel(qtbot, make_window, demo_vault_dir,
                                                     monkeypatch)
    with qtbot.waitSignal(dialog.sig_finished, timeout=10_000):
        os.kill(window.state.assistant.engine._process.pid, signal.SIGABRT)
    assert "stopped unexpectedly" in dialog.model_status.text()
    assert "facts above are complete" in dialog.model_status.text()
    assert window.vault is not None and window.vault.is_open
    assert dialog.facts.toPlainText()  # the facts stay
    monkeypatch.setattr(AssistantDialog, "max_tokens", 16)
    again = _explain(qtbot, section, record)
    with qtbot.waitSignal(again.sig_finished, timeout=FINISH_MS):
        pass
    assert again.explanation.generation is not None


def test_locking_closes_the_panel_and_ends_the_worker(qtbot, make_window, demo_vault_dir,
                                                      monkeypatch):
    window = _writing_panel(qtbot, make_window, demo_vault_dir, monkeypatch)[0]
    process = window.state.assistant.engine._process
    window.lock()
    assert window.vault is None
    process.wait(timeout=5)  # the worker, whose cache held the prompt, is gone


def test_drafted_questions_are_added_to_the_list(qtbot, make_window, demo_vault_dir):
    window, section = _section(qtbot, make_window, demo_vault_dir)
    record = _flagged(window, "Dad")
    dialog = _explain(qtbot, section, record)
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        pass
    profile = window.vault.profiles.find("Dad")
    before = window.vault.records.count("question", profile.id)
    items = dialog.question_items()
    assert items and all(item.checkState() == Qt.CheckState.Checked for item in items)
    for item in items[1:]:
        item.setCheckState(Qt.CheckState.Unchecked)
    dialog.save_questions.click()
    qtbot.waitUntil(lambda: window.vault.records.count("question", profile.id) == before + 1)
    texts = [q.values["text"] for q in window.vault.records.list("question", profile.id)]
    assert items[0].data(Qt.ItemDataRole.UserRole).text in texts
    window.actions.undo.trigger()  # one step, like every other change
    assert window.vault.records.count("question", profile.id) == before


def test_ask_answers_from_the_records_or_says_it_is_not_there(qtbot, make_window,
                                                              demo_vault_dir):
    window, _unused = _section(qtbot, make_window, demo_vault_dir)
    window.actions.ask.trigger()
    dialog = window.ask_dialog
    assert isinstance(dialog, AskDialog)
    qtbot.keyClicks(dialog.question, "What is my IQ?")
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        qtbot.keyClick(dialog.question, Qt.Key.Key_Return)
    assert dialog.summary.text().startswith("That is not in your records.")
    assert not _ai_runs(window)  # nothing was sent to the model
    dialog.question.clear()
    qtbot.keyClicks(dialog.question, "What medicines do I take?")
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        dialog.ask_button.click()
    profile = window.vault.profiles.find("Dad")
    medicines = window.vault.records.list("medication", profile.id)
    facts = dialog.facts.toPlainText()
    assert any(m.values["name"] in facts for m in medicines)
    qtbot.waitUntil(lambda: bool(_ai_runs(window)))
    assert _ai_runs(window)[0].detail["kind"] == "ask"


def test_closing_the_panel_mid_answer_still_audits_the_run(qtbot, make_window,
                                                           demo_vault_dir, monkeypatch):
    window, *_unused, dialog = _writing_panel(qtbot, make_window, demo_vault_dir, monkeypatch)
    dialog.close()  # stops the model; the outcome no longer has a panel to go to
    qtbot.waitUntil(lambda: len(_ai_runs(window)) == 1, timeout=FINISH_MS)
    assert _ai_runs(window)[0].detail["stopped"] is True


def _worker_pids() -> list[int]:
    """Live inference workers started by this test process."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text().split()
            command = Path(f"/proc/{entry}/cmdline").read_text()
        except OSError:
            continue
        if int(stat[3]) == os.getpid() and "carebook.assistant.worker" in command \
                and stat[2] != "Z":
            found.append(int(entry))
    return found


def _two_panels(qtbot, window, record):
    """Panel A writing, panel B gathered and queued behind it in the model lane."""
    profile = window.vault.profiles.find("Dad")
    first = ExplainDialog(window.state, profile.id, [record.id], "A", window)
    first.show()
    qtbot.waitUntil(lambda: first.model_text.toPlainText() != "", timeout=FINISH_MS)
    second = ExplainDialog(window.state, profile.id, [record.id], "B", window)
    second.show()
    qtbot.waitUntil(lambda: second.explanation is not None and second.generating,
                    timeout=30_000)
    return first, second


def test_closing_a_queued_panel_neither_stops_the_other_nor_runs(
        qtbot, make_window, demo_vault_dir, monkeypatch):
    monkeypatch.setattr(AssistantDialog, "max_tokens", 120)
    window, _unused = _section(qtbot, make_window, demo_vault_dir)
    first, second = _two_panels(qtbot, window, _flagged(window, "Dad"))
    second.close()  # only queued: its Stop is its own
    qtbot.waitUntil(lambda: not first.generating, timeout=FINISH_MS)
    assert first.model_status.text() != "Stopped."
    assert not first.explanation.stopped
    qtbot.wait(500)
    runs = _ai_runs(window)
    assert len(runs) == 1  # the closed panel never reached the model, so nothing to audit


def test_locking_with_work_queued_leaves_no_worker_behind(qtbot, make_window,
                                                          demo_vault_dir, monkeypatch):
    monkeypatch.setattr(AssistantDialog, "max_tokens", 400)
    window, _unused = _section(qtbot, make_window, demo_vault_dir)
    _two_panels(qtbot, window, _flagged(window, "Dad"))
    window.lock()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=30_000)
    qtbot.wait(300)
    assert _worker_pids() == []  # no process holds a prompt after the vault locked


def test_explaining_a_day_covers_every_result_of_that_day(qtbot, make_window, demo_vault_dir):
    window, section = _section(qtbot, make_window, demo_vault_dir)
    record = _flagged(window, "Dad")
    day = record.values["collected_at"]
    profile = window.vault.profiles.find("Dad")
    same_day = sorted(r.id for r in window.vault.records.list("lab_result", profile.id)
                      if r.values["collected_at"] == day)
    section.select_row(record.id)
    section.explain_report_action.trigger()
    dialog = section.explain_dialog
    with qtbot.waitSignal(dialog.sig_finished, timeout=FINISH_MS):
        pass
    assert sorted(dialog.explanation.grounding.record_ids) == same_day
    assert dialog.windowTitle().startswith("Explain — Results of ")
