"""Overview: what matters first for the person shown."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from carebook.domain.flags import effective_flag
from carebook.domain.values import format_date, format_datetime, format_range
from carebook.services.overview import Overview, build_overview
from carebook.ui.icons import icon
from carebook.ui.record_table_model import FLAG_TEXT, flag_color, lab_value_text
from carebook.ui.theme import current_colors
from carebook.ui.widgets import button, card, label
from carebook.ui.workspace_state import WorkspaceState


def _age(birth_date: str | None, today: date) -> str:
    if not birth_date:
        return ""
    born = date.fromisoformat(birth_date)
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years} years"


def _when(starts_at: str, today: date) -> str:
    days = (date.fromisoformat(starts_at[:10]) - today).days
    weekday = datetime.fromisoformat(starts_at).strftime("%A")
    relative = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    return f"{weekday} {format_datetime(starts_at)} · {relative}"


class OverviewPage(QWidget):
    """Cards for out-of-range results, the next visit, allergies, medications, conditions."""

    sig_navigate = Signal(str)
    """Go to the section with this key ("lab_result", "medication", …)."""

    def __init__(self, state: WorkspaceState) -> None:
        super().__init__()
        self.title = "Overview"
        self.icon_name = "overview"
        self.state = state
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
        # Each rebuild starts from a new widget; the scroll area deletes the previous one,
        # so no card of another person can linger.
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
        header = QVBoxLayout()
        header.setSpacing(2)
        header.addWidget(label(profile.name, "title"))
        details = " · ".join(part for part in (profile.full_name, _age(profile.birth_date, today))
                             if part)
        if overview.latest_results_date:
            details += f" · latest results {format_date(overview.latest_results_date)}"
        header.addWidget(label(details, "muted"))
        self._layout.addLayout(header)
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
        self._fresh_body()

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
            name = label(f"<b>{result.values['name']}</b>", wrap=False)
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
        return frame

    def _allergy_card(self, overview: Overview) -> QFrame:
        frame, body = self._card("Allergies", "warning", "condition")
        if not overview.allergies:
            body.addWidget(label("No known allergies recorded.", "muted"))
        for allergy in overview.allergies:
            values = allergy.values
            severity = allergy.rtype.field("severity").choice_label(values.get("severity"))
            text = f"<b>{values['substance']}</b>"
            if values.get("reaction"):
                text += f" — {values['reaction']}"
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
            body.addWidget(label(f"<b>{values['name']}</b>" + (f" — {detail}" if detail else "")))
        return frame

    def _condition_card(self, overview: Overview) -> QFrame:
        frame, body = self._card("Active conditions", "condition", "condition")
        if not overview.active_conditions:
            body.addWidget(label("No active conditions recorded.", "muted"))
        for condition in overview.active_conditions:
            since = condition.values.get("onset_date")
            suffix = f" <span>(since {format_date(since)})</span>" if since else ""
            body.addWidget(label(f"{condition.values['name']}{suffix}"))
        return frame

