"""The house rules that keep the core usable without Qt (ARCHITECTURE.md)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "desktop" / "carebook"
QT_ROOTS = ("PySide6", "shiboken6")


def _core_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "ui" not in path.relative_to(
        PACKAGE).parts)


def _imports(tree: ast.AST, *, top_level_only: bool) -> list[tuple[str, int]]:
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, node.lineno))
    return found


def test_no_module_outside_ui_imports_qt_anywhere():
    """Not at the top, not inside a function: the core never touches PySide6."""
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{path.relative_to(PACKAGE)}:{line} imports {name}"
                      for name, line in _imports(tree, top_level_only=False)
                      if name.split(".")[0] in QT_ROOTS]
    assert offenders == []


def test_only_the_gui_door_reaches_into_ui_and_only_lazily():
    """app.py hands over to carebook.ui inside a function; nothing else imports it."""
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = [n for n, _ in _imports(tree, top_level_only=True) if n.startswith("carebook.ui")]
        anywhere = [n for n, _ in _imports(tree, top_level_only=False)
                    if n.startswith("carebook.ui")]
        relative = str(path.relative_to(PACKAGE))
        if top or (anywhere and relative != "app.py"):
            offenders.append(relative)
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    """The proof by running it: import the whole core in a fresh interpreter."""
    names = [".".join(("carebook", *path.relative_to(PACKAGE).with_suffix("").parts))
             .removesuffix(".__init__") for path in _core_modules()
             if path.name != "__main__.py"]
    script = ("import importlib, sys\n"
              f"for name in {names!r}: importlib.import_module(name)\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in "
              f"{QT_ROOTS!r}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    assert len(names) > 30
    assert result.stdout.strip() == "[]"
