"""The appointment pack: choose what goes in, see it page by page, save it as a PDF or print it.

Only what is ticked is printed. The choice of sections, paper and text size is remembered
(UI state: keys and sizes, never anything from the records).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from carebook.interop.printable import PageSetup, PrintDocument
from carebook.services.visit_pack import PACK_SECTIONS, build_pack, pack_source, visit_line
from carebook.ui.printout_dialog import PrintoutDialog, default_paper
from carebook.ui.widgets import label
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.vault import Vault

# A mnemonic letter for each section (Alt+letter ticks it); "p" and "t" belong to the combos.
SECTION_LABELS = {
    "person": "P&erson summary",
    "medications": "Current &medications",
    "allergies": "&Allergies",
    "conditions": "Active &conditions",
    "results": "&Results since the last visit",
    "questions": "&Questions to ask",
    "vitals": "Recent &vitals",
}
PAPERS = (("A4", "A4"), ("Letter", "US Letter"))
TEXT_SIZES = (("normal", "Normal"), ("large", "Large"), ("largest", "Largest"))
# UiSettings choices: section keys and sizes only.
SECTIONS_KEY, PAPER_KEY, TEXT_SIZE_KEY = "pack/sections", "pack/paper", "pack/textSize"


def _mnemonic(text: str) -> str:
    """" (Alt+M)" for "Current &medications"; "" without a marked letter."""
    at = text.find("&")
    return f" (Alt+{text[at + 1].upper()})" if 0 <= at < len(text) - 1 else ""


class PackDialog(PrintoutDialog):
    """The appointment pack for the person shown and one visit (None: their next one)."""

    kind_title = "Appointment pack"
    empty_text = "Choose at least one part to include in the pack."

    def __init__(self, state: WorkspaceState, visit_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        source = state.runner.task(pack_source, state.vault, self.profile_id,
                                   visit_id).bound_to(self).run_now()
        visit = source.visit if source is not None else None
        self.visit_id = visit.id if visit is not None else visit_id
        self.visit_day = visit.values["starts_at"][:10] if visit is not None else None
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setText(visit_line(visit) if visit is not None else
                             "No visit planned: the pack is dated today.")
        self.resize(1120, 820)
        self._build_choices()
        self.refresh()

    def _build_choices(self) -> None:
        side = self.side
        side.addWidget(label("Include", "subheading"))
        side.addWidget(label("Only what is ticked goes in the pack.", "muted"))
        remembered = self._remembered(SECTIONS_KEY)
        chosen = set(remembered.split(",")) if remembered else {k for k, _t in PACK_SECTIONS}
        self.checks: dict[str, QCheckBox] = {}
        for key, title in PACK_SECTIONS:
            check = QCheckBox(SECTION_LABELS.get(key, title))
            check.setChecked(key in chosen)
            check.setToolTip(f"Put “{title}” in the pack{_mnemonic(check.text())}")
            check.toggled.connect(self._sections_changed)
            side.addWidget(check)
            self.checks[key] = check
        side.addSpacing(12)
        self.paper = self._combo("&Paper", PAPERS, self._remembered(PAPER_KEY) or default_paper(),
                                 "The sheet size of your printer (Alt+P)")
        self.text_size = self._combo("&Text size", TEXT_SIZES,
                                     self._remembered(TEXT_SIZE_KEY) or "normal",
                                     "Larger text is easier to read; the pack gets longer "
                                     "(Alt+T)")
        side.addStretch(1)

    def _combo(self, title: str, choices: tuple[tuple[str, str], ...], current: str,
               tip: str) -> QComboBox:
        combo = QComboBox()
        for key, text in choices:
            combo.addItem(text, key)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.setToolTip(tip)
        caption = label(title, "subheading")
        caption.setBuddy(combo)
        self.side.addWidget(caption)
        self.side.addWidget(combo)
        combo.currentIndexChanged.connect(self._setup_changed)
        return combo

    # --- choices --------------------------------------------------------------------------

    def chosen_sections(self) -> list[str]:
        """The ticked section keys, in print order."""
        return [key for key, check in self.checks.items() if check.isChecked()]

    def page_setup(self) -> PageSetup:
        """The paper and text size chosen."""
        return PageSetup(paper=self.paper.currentData(), text_size=self.text_size.currentData())

    def build(self, vault: Vault) -> PrintDocument | None:
        """The pack with the ticked sections; None when none is ticked."""
        sections = self.chosen_sections()
        if not sections:
            return None
        return build_pack(vault, self.profile_id, sections, self.visit_id)

    def file_date(self) -> str:
        """The visit's day, else today."""
        return self.visit_day or date.today().isoformat()

    def _sections_changed(self) -> None:
        chosen = self.chosen_sections()
        if chosen:  # an empty choice is not remembered: next time would open empty
            self._remember(SECTIONS_KEY, ",".join(chosen))
        self.refresh()

    def _setup_changed(self) -> None:
        self._remember(PAPER_KEY, self.paper.currentData())
        self._remember(TEXT_SIZE_KEY, self.text_size.currentData())
        self.refresh()

    def _remembered(self, key: str) -> str:
        return self.state.settings.load_choice(key)

    def _remember(self, key: str, value: str) -> None:
        self.state.settings.save_choice(key, value)
