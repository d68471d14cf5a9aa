"""Composition root: build the context, then hand it to the GUI."""

from __future__ import annotations

from pathlib import Path

from carebook.context import AppContext
from carebook.paths import default_vault_dir


def build_context(vault_dir: Path | None = None, demo: bool = False) -> AppContext:
    """The context for one run of the program."""
    return AppContext(vault_dir=Path(vault_dir) if vault_dir else default_vault_dir(), demo=demo)


def run_gui(vault_dir: Path | None = None, demo: bool = False) -> int:
    """Start the desktop program; return its exit code."""
    context = build_context(vault_dir, demo)
    # The GUI door is the only place the core hands over to Qt.
    from carebook.ui.launcher import launch

    try:
        return launch(context)
    finally:
        context.cleanup()


def pdf_writer():
    """The Qt PDF writer, for the CLI's printouts (`carebook prep`, `carebook card`).

    The core never imports Qt; like the GUI, the printouts reach it through this door. Qt
    draws text only with a QGuiApplication, so one is made here, off screen when there is no
    display, exactly as the tests run.
    """
    from carebook.ui.gui_app import ensure_gui_application
    from carebook.ui.print_pdf import write_pdf

    ensure_gui_application()
    return write_pdf
