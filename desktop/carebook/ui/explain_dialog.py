"""The Explain panel: the facts code wrote first, then the model's plain-language version
streaming in beneath them, checked before it is kept, with Stop.

Critical values get a fixed banner at the top that nothing the model writes can remove.
"What the assistant was shown" opens the exact prompt. Every model run is audited.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from carebook.assistant.engine import Generation
from carebook.assistant.explain import NOT_ADVICE, Explanation
from carebook.services import assistant as assistant_service
from carebook.services.assistant import ModelIdentity
from carebook.ui.explain_text import facts_html, model_html, model_status
from carebook.ui.pdf_view import PdfSourceDialog
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState

MAX_TOKENS = 300


class AssistantDialog(QDialog):
    """Facts first, then the model's checked version; non-modal so the records stay in
    view. ExplainDialog and AskDialog differ only in how the facts are gathered."""

    sig_finished = Signal()
    """The run is final: checked, or stopped, or the model failed, or nothing to explain."""

    kind = "explain"  # the audit entry's kind
    max_tokens = MAX_TOKENS

    def __init__(self, state: WorkspaceState, profile_id: int, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.profile_id = profile_id
        self.explanation: Explanation | None = None
        self.model: ModelIdentity | None = None
        self.generating = False
        self.cancel: threading.Event | None = None
        self.source_dialog: PdfSourceDialog | None = None
        self.resize(760, 820)
        self._build(title)

    def gather(self, fn: Callable[..., Explanation], *args: object) -> None:
        """Clear the last run and gather new facts with the database (then run the model)."""
        self.explanation, self.model = None, None
        for browser in (self.facts, self.model_text):
            browser.clear()
        self.banner.hide()
        self.model_status.setText("")
        self.summary.setText("Gathering the facts…")
        task = self.state.runner.task(fn, self.state.vault, self.profile_id, *args)
        task.busy("Gathering the facts…").success(self._prepared).failure(
            self._not_gathered).bound_to(self)
        task.run_in_background()

    def _not_gathered(self, error: BaseException) -> None:
        self.summary.setText(getattr(error, "message", "The records could not be read."))
        self._finish()

    # --- layout ------------------------------------------------------------------------------

    def _build(self, title: str) -> None:
        outer = QVBoxLayout(self)
        self.outer = outer
        self.banner = label("", "critical")
        self.banner.setObjectName("criticalBanner")
        self.banner.hide()
        outer.addWidget(self.banner)
        self.heading = label(title, "heading")
        outer.addWidget(self.heading)
        self.summary = label("Gathering the facts…")
        outer.addWidget(self.summary)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(label("The facts, from your records and the Carebook catalogue",
                               "subheading"))
        self.facts = self._browser()
        self.facts.setMinimumHeight(300)
        column.addWidget(self.facts, 3)
        column.addWidget(label("In plain words, by the on-device model", "subheading"))
        self.model_status = label("", "muted")
        column.addWidget(self.model_status)
        self.model_text = self._browser()
        column.addWidget(self.model_text, 2)
        self.questions_heading = label("Questions for your clinician", "subheading")
        column.addWidget(self.questions_heading)
        # A list, not check boxes: long questions wrap, and Space ticks the current one.
        self.questions_list = QListWidget()
        self.questions_list.setWordWrap(True)
        self.questions_list.setMinimumHeight(160)
        column.addWidget(self.questions_list)
        self.save_questions = QPushButton("Add the ticked questions to my list")
        self.save_questions.clicked.connect(self._save_questions)
        self.save_questions.setEnabled(False)
        column.addWidget(self.save_questions, 0, Qt.AlignmentFlag.AlignLeft)
        if self.kind != "explain":
            for widget in (self.questions_heading, self.questions_list, self.save_questions):
                widget.hide()
        self.prompt_toggle = QToolButton()
        self.prompt_toggle.setText("What the assistant was shown")
        self.prompt_toggle.setCheckable(True)
        self.prompt_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.prompt_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.prompt_toggle.toggled.connect(self._toggle_prompt)
        column.addWidget(self.prompt_toggle)
        self.prompt = QPlainTextEdit()
        self.prompt.setReadOnly(True)
        self.prompt.setMinimumHeight(180)
        self.prompt.hide()
        column.addWidget(self.prompt)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        footer = QHBoxLayout()
        footer.addWidget(label(NOT_ADVICE, "muted"), 1)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the model (Esc)")
        self.stop_button.clicked.connect(self.stop)
        self.stop_button.setEnabled(False)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        footer.addWidget(self.stop_button)
        footer.addWidget(close)
        outer.addLayout(footer)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape)

    def _browser(self) -> QTextBrowser:
        browser = QTextBrowser()
        browser.setOpenLinks(False)  # links lead into the vault, never to the network
        browser.anchorClicked.connect(self._open_citation)
        browser.setMinimumHeight(120)
        return browser

    # --- the facts ---------------------------------------------------------------------------

    def _prepared(self, explanation: Explanation) -> None:
        self.explanation = explanation
        self.summary.setText(explanation.summary)
        if explanation.critical:
            self.banner.setText("\n".join("⚠ " + c.message for c in explanation.critical))
            self.banner.show()
        self.facts.setHtml(facts_html(explanation))
        self.prompt.setPlainText(explanation.prompt_text if explanation.grounding.facts
                                 else "Nothing was sent to the model.")
        self._show_questions()
        if not explanation.grounding.facts:
            self.model_status.setText("Nothing for the model to put in plain words.")
            self._finish()
            return
        self._start_model()

    def _show_questions(self) -> None:
        self.questions_list.clear()
        for question in self.explanation.questions:
            suffix = "  (suggested by the model)" if question.drafted_by == "model" else ""
            item = QListWidgetItem(question.text + suffix)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, question)
            self.questions_list.addItem(item)
        self.save_questions.setEnabled(bool(self.explanation.questions))

    # --- the model ---------------------------------------------------------------------------

    def _start_model(self) -> None:
        self.generating = True
        self.cancel = threading.Event()  # this run's own Stop: other panels' runs go on
        self.stop_button.setEnabled(True)
        self.model_status.setText("Starting the on-device model…")
        state, explanation, profile_id, kind = (self.state, self.explanation,
                                                self.profile_id, self.kind)
        alive = self._alive  # the outcome reaches the panel only while it is open…

        def audited(then: Callable[[object], None]) -> Callable[[object], None]:
            def deliver(outcome: object) -> None:
                # …but every run is audited, even when the panel was closed meanwhile.
                _record_run(state, profile_id, kind, explanation, explanation.model)
                if alive():
                    then(outcome)
            return deliver

        task = state.runner.task(_generate, state, explanation, self.max_tokens, self.cancel)
        task.progress(lambda piece: alive() and self._stream(piece)).off_database()
        task.success(audited(self._checked)).failure(audited(self._model_failed))
        task.run_in_background()

    def _alive(self) -> bool:
        return shiboken6.isValid(self) and self.isVisible()

    def _stream(self, piece) -> None:
        if isinstance(piece, ModelIdentity):  # the model is checked and about to write
            self.model = piece
            self.model_status.setText(f"Writing with {piece.name}… Draft, not yet checked.")
            return
        cursor = self.model_text.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(piece)
        self.model_text.setTextCursor(cursor)

    def _checked(self, explanation: Explanation) -> None:
        self.model_text.setHtml(model_html(explanation))
        self.model_status.setText(model_status(explanation))
        self._show_questions()
        self._finish()

    def _model_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "The model could not answer.")
        self.model_text.clear()
        self.model_status.setText(f"{message} The facts above are complete without it.")
        self._finish()

    def _finish(self) -> None:
        self.generating = False
        self.stop_button.setEnabled(False)
        self.sig_finished.emit()

    def stop(self) -> None:
        """Stop the model; the facts stay."""
        if self.generating and self.cancel is not None:
            self.model_status.setText("Stopping…")
            self.state.assistant.stop(self.cancel)

    def _escape(self) -> None:
        if self.generating:
            self.stop()
        else:
            self.close()

    def closeEvent(self, event) -> None:
        """Closing while the model writes stops it first."""
        self.stop()
        super().closeEvent(event)

    # --- questions, prompt and sources --------------------------------------------------------

    def _save_questions(self) -> None:
        """Add the ticked questions to the list, as one step Ctrl+Z can undo."""
        from carebook.ui.questions_section import AddDraftsCommand

        drafts = [item.data(Qt.ItemDataRole.UserRole) for item in self.question_items()
                  if item.checkState() == Qt.CheckState.Checked]
        if not drafts:
            return
        command = AddDraftsCommand(self.state, self.profile_id, drafts, None)
        self.state.undo_stack.push(command)
        if not command.stored:
            self.state.sig_status.emit("Those questions are already in your list.")
        self.save_questions.setEnabled(False)

    def question_items(self) -> list[QListWidgetItem]:
        """The drafted questions, each with its tick."""
        return [self.questions_list.item(i) for i in range(self.questions_list.count())]

    def _toggle_prompt(self, shown: bool) -> None:
        self.prompt.setVisible(shown)
        self.prompt_toggle.setArrowType(Qt.ArrowType.DownArrow if shown
                                        else Qt.ArrowType.RightArrow)

    def _open_citation(self, url: QUrl) -> None:
        parts = url.toString().split(":")
        if len(parts) != 3 or parts[0] != "record":
            return
        record = self.state.runner.task(self.state.vault.records.get, parts[1],
                                        int(parts[2])).run_now()
        if record is None or record.provenance.document_id is None:
            self.state.sig_status.emit("That result was not read from a stored report.")
            return
        if self.source_dialog is not None:
            self.source_dialog.close()
        self.source_dialog = PdfSourceDialog(self.state, record.provenance.document_id,
                                             record.provenance.page, self)
        self.source_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.source_dialog.show()


class ExplainDialog(AssistantDialog):
    """Explains some results: one, a day's report, or the latest with its trend."""

    def __init__(self, state: WorkspaceState, profile_id: int, record_ids: list[int],
                 title: str, parent: QWidget | None = None) -> None:
        super().__init__(state, profile_id, title, parent)
        self.setWindowTitle(f"Explain — {title}")
        self.gather(assistant_service.prepare_explanation, record_ids)


class AskDialog(AssistantDialog):
    """A question about the records, answered only from them, with sources."""

    kind = "ask"

    def __init__(self, state: WorkspaceState, profile_id: int, person: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(state, profile_id, f"Ask about {person}'s records", parent)
        self.setWindowTitle(f"Ask — {person}")
        row = QHBoxLayout()
        self.question = QLineEdit()
        self.question.setPlaceholderText("e.g. Has my cholesterol improved since last year?")
        self.question.returnPressed.connect(self.ask)
        self.ask_button = QPushButton("Ask")
        self.ask_button.clicked.connect(self.ask)
        row.addWidget(self.question, 1)
        row.addWidget(self.ask_button)
        self.outer.insertLayout(self.outer.indexOf(self.heading) + 1, row)
        self.summary.setText("Answers come only from this person's records and the Carebook "
                             "catalogue, each with its source.")
        self.sig_finished.connect(lambda: self.ask_button.setEnabled(True))
        self.question.setFocus()

    def ask(self) -> None:
        """Answer the typed question (one at a time)."""
        if self.generating or not self.question.text().strip():
            return
        self.ask_button.setEnabled(False)
        self.generating = True
        self.gather(assistant_service.prepare_answer, self.question.text())


def _record_run(state: WorkspaceState, profile_id: int, kind: str, explanation: Explanation,
                model: ModelIdentity | None) -> None:
    """Audit a run that reached the model (a missing model file never did)."""
    if model is not None and state.vault is not None:
        state.runner.task(assistant_service.record_run, state.vault, profile_id, kind,
                          explanation, model).run_in_background()


def _generate(state: WorkspaceState, explanation: Explanation, max_tokens: int,
              cancel: threading.Event, *, report: Callable[[object], None]) -> Explanation:
    """In the model lane: check the model file (it may need hashing), then stream."""
    if cancel.is_set() or state.assistant.closed:  # stopped or locked while queued
        explanation.generation = Generation(stopped=True)
        return explanation
    path, model = state.active_model()
    explanation.model = model
    report(model)
    return assistant_service.generate(state.assistant, explanation, path, model,
                                      max_tokens=max_tokens, on_text=report, cancel=cancel)
