"""Overview: what matters first for the person shown."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.flags import effective_flag
from carebook.domain.people import age_on
from carebook.domain.records import Record
from carebook.domain.values import format_date, format_datetime, format_range
from carebook.services import profiles as profile_service
from carebook.services import records as record_service
from carebook.services.medications import RefillDue
from carebook.services.overview import Overview, build_overview
from carebook.services.visits import is_overdue
from carebook.ui.icons import icon
from carebook.ui.person_badge import set_badge
from carebook.ui.record_table_model import FLAG_TEXT, flag_color, lab_value_text
from carebook.ui.renewal_dialog import RenewalDialog, open_renewal
from carebook.ui.theme import current_colors
from carebook.ui.undo import follow_up_done_command
from carebook.ui.visits_model import relative_day
from carebook.ui.widgets import button, card, label
from carebook.ui.workspace_state import WorkspaceState


def _age(birth_date: str | None, today: date) -> str:
    years = age_on(birth_date, today)
    return "" if years is None else f"{years} years"


def _when(starts_at: str, today: date) -> str:
    weekday = datetime.fromisoformat(starts_at).strftime("%A")
    relative = relative_day(date.fromisoformat(starts_at[:10]), today)
    return f"{weekday} {format_datetime(starts_at)} · {relative}"


def due_words(due: str | None, today: date) -> str:
    """When a task is due, in words: "overdue by 10 days (13 Nov 2026)", "due tomorrow"…"""
    if not due:
        return "no due date"
    days = (date.fromisoformat(due) - today).days
    when = format_date(due)
    if days < 0:
        return f"overdue by {-days} day{'s' if days != -1 else ''} (due {when})"
    if days == 0:
        return "due today"
    if days == 1:
        return f"due tomorrow ({when})"
    return f"due in {days} days ({when})"


def _unbroken_dates(html: str) -> str:
    """Keep "(13 Nov 2026)" on one line when a label wraps."""
    return re.sub(r"\(([^)]*)\)", lambda m: "(" + m.group(1).replace(" ", "&nbsp;") + ")",
                  html)


class OverviewPage(QWidget):
    """Cards for out-of-range results, the next visit, allergies, medications, conditions."""

    sig_navigate = Signal(str)
    """Go to the section with this key ("lab_result", "medication", …)."""
    sig_show_visit = Signal(int)
    """Show the visit with this record id (a follow-up task's link)."""
    sig_prepare_pack = Signal(int)
    """Open the appointment pack for the visit with this record id."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__()
        self.title = "Overview"
        self.icon_name = "overview"
        self.state = state
        self.renewal_dialog: RenewalDialog | None = None
        self.follow_up_boxes: dict[int, QCheckBox] = {}  # by task id, for keyboard and tests
        self.due_labels: dict[int, QLabel] = {}  # by task id: when it is due, and its visit
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.clear()
        state.sig_profile_changed.connect(lambda _id: self.reload())
        state.sig_records_changed.connect(lambda _kind: self.reload())

    def _fresh_body(self) -> None:
        # Each rebuild starts from a new widget and the previous one goes, so no card of
        # another person can linger. It goes later, not at once: a rebuild can start from a
        # click on one of its own check boxes.
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        self.follow_up_boxes, self.due_labels = {}, {}
        self._layout = QVBoxLayout()
        self._layout.setContentsMargins(20, 14, 20, 20)
        self._layout.setSpacing(14)
        body = QWidget()
        body.setLayout(self._layout)
        self.scroll.setWidget(body)

    def reload(self) -> None:
        """Rebuild the cards from the vault."""
        self._fresh_body()
        profile = self.state.profile
        if profile is None:
            self._layout.addWidget(label("Add a person to start: People → Add person…", "muted"))
            return
        today = date.today()
        overview: Overview | None = self.state.runner.task(
            build_overview, self.state.vault, profile.id, today).run_now()
        if overview is None:
            return
        self._layout.addLayout(self._header(overview, today))
        warnings = QHBoxLayout()
        warnings.setSpacing(14)
        if overview.refills_due:
            warnings.addWidget(self._refills_card(overview.refills_due), 1)
        if overview.follow_ups:
            warnings.addWidget(self._follow_ups_card(overview.follow_ups, today), 1)
        if warnings.count():
            self._layout.addLayout(warnings)
        self._layout.addWidget(self._results_card(overview))
        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(self._visit_card(overview, today), 0, 0)
        grid.addWidget(self._allergy_card(overview), 0, 1)
        grid.addWidget(self._medication_card(overview), 1, 0)
        grid.addWidget(self._condition_card(overview), 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._layout.addLayout(grid)
        self._layout.addStretch(1)

    def clear(self) -> None:
        """Remove every card (on lock)."""
        if self.renewal_dialog is not None:
            self.renewal_dialog.done(QDialog.DialogCode.Rejected)  # closes without a question
        self._fresh_body()

    def _header(self, overview: Overview, today: date) -> QHBoxLayout:
        profile = self.state.profile
        people = self.state.runner.task(profile_service.list_profiles,
                                        self.state.vault).run_now() or []
        position = next((i for i, p in enumerate(people) if p.id == profile.id), 0)
        badge = QLabel()
        set_badge(badge, profile, position, 52)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(label(profile.name, "title"))
        details = " · ".join(part for part in (profile.full_name, _age(profile.birth_date, today))
                             if part)
        if overview.latest_results_date:
            details += f" · latest results {format_date(overview.latest_results_date)}"
        names.addWidget(label(details, "muted"))
        header = QHBoxLayout()
        header.setSpacing(14)
        header.addWidget(badge, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addLayout(names, 1)
        return header

    # --- cards -----------------------------------------------------------------------------

    def _card(self, title: str, icon_name: str, section: str) -> tuple[QFrame, QVBoxLayout]:
        frame, body = card()
        top = QHBoxLayout()
        glyph = QLabel()
        glyph.setPixmap(icon(icon_name).pixmap(20, 20))
        top.addWidget(glyph)
        top.addWidget(label(title, "subheading", wrap=False))
        top.addStretch(1)
        more = button("See all ›", "link")
        more.clicked.connect(lambda: self.sig_navigate.emit(section))
        top.addWidget(more)
        body.addLayout(top)
        body.setAlignment(Qt.AlignmentFlag.AlignTop)
        return frame, body

    def _refills_card(self, refills: list[RefillDue]) -> QFrame:
        frame, body = self._card("Refills coming up", "medication", "medication")
        for refill in refills:
            values = refill.medication.values
            name = " ".join(part for part in (values["name"], values.get("dose")) if part)
            line = refill.describe()
            rest = line[len(name) + 2:] if line.startswith(f"{name}: ") else line
            rest = _unbroken_dates(escape(rest)).replace(" · ", "<br>")
            text = label(f"<b>{escape(name)}</b><br>{rest}")
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setAccessibleName(line)
            if refill.days_left < 0:
                text.setStyleSheet(f"color: {current_colors().high};")
            ask = button("Ask for a renewal…")
            ask.setToolTip(f"Draft a renewal request for {values['name']}, to paste into "
                           "your clinic's portal or print")
            ask.clicked.connect(lambda _checked=False, med=refill.medication:
                                open_renewal(self, med))
            row = QHBoxLayout()
            row.addWidget(text, 1)
            row.addWidget(ask, 0, Qt.AlignmentFlag.AlignVCenter)
            body.addLayout(row)
        return frame

    def _follow_ups_card(self, tasks: list[Record], today: date) -> QFrame:
        frame, body = self._card(f"Follow-up tasks ({len(tasks)})", "visit", "visit")
        visits = {v.id: v for v in self.state.runner.task(
            record_service.list_records, self.state.vault, "visit",
            self.state.profile_id).run_now() or []}
        for task in tasks:
            tick = QCheckBox()
            tick.setToolTip(f"Mark “{task.title()}” done (Space); Ctrl+Z undoes it")
            tick.setAccessibleName(f"Done: {task.values['text']}")
            tick.toggled.connect(lambda checked, t=task: checked and self.mark_done(t))
            self.follow_up_boxes[task.id] = tick
            overdue = is_overdue(task, today)
            words = due_words(task.values.get("due_date"), today)
            tick.setAccessibleDescription(words)
            # Overdue is said in words too: red alone is lost in print and to some eyes.
            tint = current_colors().high if overdue else current_colors().muted
            when = (f"<span style='color: {tint};{' font-weight: 600;' if overdue else ''}'>"
                    f"{_unbroken_dates(escape(words))}</span>")
            visit = visits.get(task.values.get("visit_id"))
            if visit is not None:
                words = f"from the visit of {format_date(visit.values['starts_at'])} ›"
                when += f" · <a href='{visit.id}'>{words.replace(' ', '&nbsp;')}</a>"
            due = label(when)
            due.setTextFormat(Qt.TextFormat.RichText)
            due.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                        | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
            due.setToolTip("Show the visit this task came from" if visit else "")
            due.linkActivated.connect(lambda href: self.sig_show_visit.emit(int(href)))
            self.due_labels[task.id] = due
            column = QVBoxLayout()
            column.setSpacing(0)
            text = label(task.values["text"], plain=True)
            text.setTextFormat(Qt.TextFormat.PlainText)  # typed by the person, shown as typed
            column.addWidget(text)
            column.addWidget(due)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(tick, 0, Qt.AlignmentFlag.AlignTop)
            row.addLayout(column, 1)
            body.addLayout(row)
        return frame

    def mark_done(self, task: Record) -> None:
        """Tick a follow-up task off (undoable); it leaves the Overview."""
        self.state.undo_stack.push(follow_up_done_command(self.state, task, True))

    def _results_card(self, overview: Overview) -> QFrame:
        count = len(overview.out_of_range)
        title = f"Results out of range ({count})" if count else "Results out of range"
        frame, body = self._card(title, "lab", "lab_result")
        if not overview.out_of_range:
            text = ("Every latest result is within its range." if overview.latest_results_date
                    else "No lab results yet.")
            body.addWidget(label(text, "muted"))
            return frame
        body.addWidget(label("The latest result of each test, where it is outside the range "
                             "printed on the report.", "muted"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(18)
        for row, result in enumerate(overview.out_of_range):
            flag = effective_flag(result.values)
            tint = flag_color(flag)
            name = label(f"<b>{escape(result.values['name'])}</b>", wrap=False)
            value = label(lab_value_text(result), wrap=False)
            value.setStyleSheet(f"color: {tint}; font-weight: 600;")
            badge = label(FLAG_TEXT.get(flag or "", ""), wrap=False)
            badge.setStyleSheet(f"color: {tint};")
            span = format_range(result.values.get("ref_low"), result.values.get("ref_high"),
                                result.values.get("ref_text"))
            for column, widget in enumerate((
                    name, value, badge, label(f"range {span}" if span else "", "muted", wrap=False),
                    label(format_date(result.values["collected_at"]), "muted", wrap=False))):
                widget.setToolTip(result.provenance.describe())
                grid.addWidget(widget, row, column)
        grid.setColumnStretch(5, 1)
        body.addLayout(grid)
        return frame

    def _visit_card(self, overview: Overview, today: date) -> QFrame:
        frame, body = self._card("Next visit", "visit", "visit")
        visit = overview.next_visit
        if visit is None:
            body.addWidget(label("No visit planned.", "muted"))
            return frame
        values = visit.values
        body.addWidget(label(f"<b>{_when(values['starts_at'], today)}</b>"))
        who = " · ".join(v for v in (values.get("clinician"), values.get("specialty")) if v)
        for line in (who, values.get("place"), values.get("reason")):
            if line:
                body.addWidget(label(line))
        prepare = button("Prepare for this visit…")
        prepare.setIcon(icon("print"))
        prepare.setToolTip("Choose what goes in the appointment pack, look at it, then save "
                           "it as a PDF or print it")
        prepare.clicked.connect(lambda: self.sig_prepare_pack.emit(visit.id))
        body.addWidget(prepare, 0, Qt.AlignmentFlag.AlignLeft)
        return frame

    def _allergy_card(self, overview: Overview) -> QFrame:
        frame, body = self._card("Allergies", "warning", "condition")
        if not overview.allergies:
            body.addWidget(label("No allergies recorded.", "muted"))
        for allergy in overview.allergies:
            values = allergy.values
            severity = allergy.rtype.field("severity").choice_label(values.get("severity"))
            text = f"<b>{escape(values['substance'])}</b>"
            if values.get("reaction"):
                text += f" — {escape(values['reaction'])}"
            line = label(text + (f" <i>({severity.lower()})</i>" if severity else ""))
            if values.get("severity") == "severe":
                line.setStyleSheet(f"color: {current_colors().high};")
            body.addWidget(line)
        return frame

    def _medication_card(self, overview: Overview) -> QFrame:
        frame, body = self._card("Current medications", "medication", "medication")
        if not overview.current_medications:
            body.addWidget(label("No current medications recorded.", "muted"))
        for med in overview.current_medications:
            values = med.values
            detail = ", ".join(v for v in (values.get("dose"), values.get("schedule")) if v)
            body.addWidget(label(f"<b>{escape(values['name'])}</b>"
                                 + (f" — {escape(detail)}" if detail else "")))
        return frame

    def _condition_card(self, overview: Overview) -> QFrame:
        frame, body = self._card("Active conditions", "condition", "condition")
        if not overview.active_conditions:
            body.addWidget(label("No active conditions recorded.", "muted"))
        for condition in overview.active_conditions:
            since = condition.values.get("onset_date")
            suffix = f" <span>(since {format_date(since)})</span>" if since else ""
            body.addWidget(label(f"{escape(condition.values['name'])}{suffix}"))
        return frame

