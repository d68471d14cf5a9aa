"""Why a lab report could not be read, in words a person can act on."""

from __future__ import annotations

from carebook.errors import BadInput


class UnreadableReport(BadInput):
    """A file the lab importer cannot read; the message says why and what to do."""


class NotAPdf(UnreadableReport):
    """The file is not a PDF at all."""

    def __init__(self) -> None:
        super().__init__("This file is not a PDF. Carebook can import lab reports saved as PDF.")


class DamagedPdf(UnreadableReport):
    """The PDF is cut short or broken inside."""

    def __init__(self) -> None:
        super().__init__("This PDF is damaged or incomplete, so Carebook can't read it. "
                         "Try downloading or saving the report again.")


class ScannedPdf(UnreadableReport):
    """The PDF holds pictures of pages and no text layer."""

    def __init__(self) -> None:
        super().__init__("This PDF is a scanned image; Carebook can't read scans yet, "
                         "you can type the values in.")


class EncryptedPdf(UnreadableReport):
    """The PDF needs a password; `wrong_password` tells a retry from a first attempt."""

    def __init__(self, wrong_password: bool = False) -> None:
        self.wrong_password = wrong_password
        super().__init__("That password does not open this PDF." if wrong_password else
                         "This PDF is protected by a password. Enter it to import the report.")


class ReportTooLarge(UnreadableReport):
    """Reading the PDF went over the time or memory limit (a hostile or enormous file)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(f"This PDF is too large or too complex to read safely ({what}). "
                         "You can type the values in instead.")
