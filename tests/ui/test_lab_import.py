"""Importing lab PDFs through the window: review beside the page, save, re-import, bad files."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from carebook.ui.lab_review_model import FIELD_OF_COLUMN
from tests.conftest import PASSPHRASE
from tests.lab_fixtures import hostile
from tests.lab_fixtures.build import LAYOUTS
from tests.ui.conftest import unlock


def _open_with_person(qtbot, make_window, folder, interaction):
    window = make_window(folder)
    unlock(qtbot, window, PASSPHRASE)
    interaction.answer("Mum")
    window.actions.add_person.trigger()
    return window


def _report(tmp_path, name="us_quest"):
    data, truth = LAYOUTS[name]()
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path, truth


def _wait_for_review(qtbot, window):
    qtbot.waitUntil(lambda: window.importer.dialog is not None
                    and window.importer.dialog.isVisible(), timeout=20_000)
    return window.importer.dialog


def _import(qtbot, window, interaction, path, *answers):
    """Choose `path` in the file dialog (then answer the next questions) and wait for review."""
    interaction.answer([path], *answers)
    window.actions.import_labs.trigger()
    return _wait_for_review(qtbot, window)


def _lab_count(window) -> int:
    return window.vault.records.count("lab_result", window.state.profile_id)


def test_import_review_and_save_with_provenance(qtbot, make_window, vault_dir, interaction,
                                                tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    path, truth = _report(tmp_path)
    dialog = _import(qtbot, window, interaction, path)
    assert dialog.pdf.page_count() == truth_pages(truth)
    assert dialog.model.rowCount() >= len(truth["results"])
    assert dialog.date.iso() == truth["collected_at"]

    # Every cell is editable: correct the first row's value and exclude the second row.
    value_index = dialog.model.index(0, FIELD_OF_COLUMN.index("value"))
    assert dialog.model.flags(value_index) & Qt.ItemFlag.ItemIsEditable
    dialog.model.setData(value_index, "99.5")
    dialog.table.selectRow(1)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    included = dialog.model.rowCount() - 1
    dialog.accept()
    assert not dialog.isVisible()
    assert _lab_count(window) == included

    stored = window.vault.records.list("lab_result", window.state.profile_id)
    assert any(record.values["value"] == 99.5 for record in stored)
    origin = stored[0].provenance
    assert origin.source_kind == "pdf" and origin.document_id is not None
    assert origin.page >= 1
    document = window.vault.documents.get(origin.document_id)
    assert window.vault.documents.content(document.id) == path.read_bytes()
    actions = [entry.action for entry in window.vault.audit.entries()]
    assert "lab_report_imported" in actions

    # The same file again is recognised; declining leaves the vault as it was.
    interaction.answer([path], False)
    window.actions.import_labs.trigger()
    qtbot.waitUntil(lambda: any(kind == "confirm" and "already imported" in text
                                for kind, _title, text in interaction.messages), timeout=20_000)
    assert _lab_count(window) == included


def truth_pages(truth) -> int:
    return max(row["page"] for row in truth["results"])


def test_a_missing_date_keeps_the_dialog_open(qtbot, make_window, vault_dir, interaction,
                                              tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    path, _truth = _report(tmp_path)
    dialog = _import(qtbot, window, interaction, path)
    dialog.date.set_iso("")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.date_error.isVisibleTo(dialog)
    assert _lab_count(window) == 0
    dialog.date.set_iso("2026-05-04")
    dialog.accept()
    assert not dialog.isVisible()
    assert _lab_count(window) > 0


def test_dropped_files_are_imported_and_bad_ones_explained(qtbot, make_window, vault_dir,
                                                           interaction, tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(hostile.scanned_pdf())
    good, _truth = _report(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(scan)), QUrl.fromLocalFile(str(good))])
    drop = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    dialog = _wait_for_review(qtbot, window)
    assert any("scanned image" in text for text in interaction.warnings())
    dialog.accept()
    assert _lab_count(window) > 0


def test_a_protected_pdf_asks_for_its_password(qtbot, make_window, vault_dir, interaction,
                                              tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    path = tmp_path / "locked.pdf"
    path.write_bytes(hostile.encrypted_pdf("s3cret"))
    dialog = _import(qtbot, window, interaction, path, "wrong", "s3cret")
    asked = [text for kind, _title, text in interaction.messages if kind == "ask_secret"]
    assert len(asked) == 2 and "does not open" in asked[1]
    dialog.reject()


def test_locking_closes_the_review_without_saving(qtbot, make_window, vault_dir, interaction,
                                                 tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    path, _truth = _report(tmp_path)
    dialog = _import(qtbot, window, interaction, path)
    dialog.model.setData(dialog.model.index(0, FIELD_OF_COLUMN.index("value")), "1")
    window.lock()
    assert not dialog.isVisible()
    assert window.importer is None


def test_the_review_model_passes_the_model_tester(qtmodeltester, tmp_path):
    from carebook import labs
    from carebook.ui.lab_review_model import ReviewTableModel

    path, _truth = _report(tmp_path, "en_hospital")  # has names printed over two lines
    model = ReviewTableModel(labs.parse_pdf_file(path)["results"])
    qtmodeltester.check(model)
    # A doubtful cell explains itself and is marked by a shape, not colour alone.
    doubtful = next(row for row in range(model.rowCount()) if model.row_data(row)["doubts"])
    field = model.row_data(doubtful)["doubts"][0]["field"]
    index = model.index(doubtful, FIELD_OF_COLUMN.index(field))
    assert "Please check" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is not None
    # Editing that cell settles the doubt; editing a value re-computes the flag.
    model.setData(index, model.data(index, Qt.ItemDataRole.EditRole))
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) is None
    ranged = next(row for row in range(model.rowCount())
                  if model.row_data(row)["ref_high"] is not None)
    high = model.row_data(ranged)["ref_high"]
    model.setData(model.index(ranged, FIELD_OF_COLUMN.index("value")), str(high * 3))
    assert model.row_data(ranged)["flag"] == "H"
    assert model.row_data(ranged)["value"] == high * 3


def test_an_unknown_name_is_given_its_analyte_with_the_picker(qtbot, tmp_path):
    from carebook import labs
    from carebook.ui.lab_review import AnalytePicker
    from carebook.ui.lab_review_model import ReviewTableModel

    path, _truth = _report(tmp_path, "en_hospital")  # prints "Adjusted calcium"
    model = ReviewTableModel(labs.parse_pdf_file(path)["results"])
    row = next(r for r in range(model.rowCount()) if model.row_data(r)["analyte"] is None)
    index = model.index(row, FIELD_OF_COLUMN.index("analyte"))
    assert model.data(index) == "Not recognised"
    picker = AnalytePicker()
    editor = picker.createEditor(None, None, index)
    qtbot.addWidget(editor)
    picker.setEditorData(editor, index)
    editor.setCurrentIndex(editor.findData("calcium"))
    picker.setModelData(editor, model, index)
    chosen = model.row_data(row)
    assert chosen["analyte"] == "calcium"
    assert chosen["loinc"]  # the code follows the analyte and the row's unit
    assert model.data(index) == "Calcium"


def test_selecting_a_row_marks_its_value_on_its_page(qtbot, make_window, vault_dir,
                                                     interaction, tmp_path):
    window = _open_with_person(qtbot, make_window, vault_dir, interaction)
    path, _truth = _report(tmp_path, "en_hospital")  # three pages
    dialog = _import(qtbot, window, interaction, path)
    on_page_two = next(r for r in range(dialog.model.rowCount())
                       if dialog.model.row_data(r)["page"] == 2)
    dialog.table.selectRow(on_page_two)
    qtbot.waitUntil(lambda: dialog.pdf.highlighted_page() == 2, timeout=5_000)
    assert dialog.pdf.current_page() == 2
    dialog.done(0)
