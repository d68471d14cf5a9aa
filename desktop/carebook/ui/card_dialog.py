"""The emergency card: a bank-card-sized PDF of what a first responder needs, previewed large
enough to read, with a note on where the blood type and contacts come from when missing."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from carebook.domain.people import contact_lines
from carebook.interop.printable import CARD_SETUP, PageSetup, PrintDocument
from carebook.services.emergency_card import build_card
from carebook.ui.printout_dialog import PrintoutDialog
from carebook.ui.widgets import label, set_role
from carebook.ui.workspace_state import WorkspaceState
from carebook.vault.vault import Vault

CONTENTS = ("On the card: allergies with their reactions, current medications, active "
            "conditions, blood type and who to call in an emergency, on pages the size of a "
            "bank card (85.6 × 54 mm).")
WHERE_TO_FILL = "Blood type and emergency contacts come from People → Person details…"


class CardDialog(PrintoutDialog):
    """The emergency card of the person shown."""

    kind_title = "Emergency card"
    page_word = "side"

    def __init__(self, state: WorkspaceState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.missing: list[str] = []
        self.side_panel.hide()
        self.heading.setText(CONTENTS)
        set_role(self.heading, "text")  # running text, not a caption
        self.hint = label("")
        self.layout().insertWidget(1, self.hint)
        self.resize(860, 820)
        self.refresh()

    def page_setup(self) -> PageSetup:
        """Always the wallet card."""
        return CARD_SETUP

    def build(self, vault: Vault) -> PrintDocument:
        """The card, noting which of blood type and contacts are not recorded."""
        profile = vault.profiles.get(self.profile_id)
        self.missing = [what for what, known in (
            ("blood type", profile.blood_type),
            ("emergency contact", contact_lines(profile.emergency_contacts))) if not known]
        return build_card(vault, self.profile_id)

    def refreshed(self) -> None:
        """Say what is missing and where to fill it in."""
        if self.missing:
            self.hint.setText(f"No {' and no '.join(self.missing)} recorded for {self.person}. "
                              + WHERE_TO_FILL)
            set_role(self.hint, "banner")
        else:
            self.hint.setText(WHERE_TO_FILL)
            set_role(self.hint, "muted")
        if self.pages > 1:
            self.pages_label.setText(f"{self.pages} sides: print double-sided, or fold the "
                                     "card in two")
