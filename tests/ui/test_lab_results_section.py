"""The Lab results section: grouped by date and panel, flags in words, the trend chart and
the source page of a result read from a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from carebook.domain.records import Provenance, Record
from carebook.knowledge import load_catalogue
from carebook.services import documents as document_service
from carebook.services import records as record_service
from carebook.services.lab_results import build_trend, group_results
from carebook.ui.lab_results_model import FLAG, LabResultsModel
from carebook.ui.lab_trend import LabTrendView
from carebook.ui.record_table_model import RecordFilterProxy
from tests.conftest import PASSPHRASE
from tests.ui.conftest import open_section, unlock


@pytest.fixture
def catalogue():
    """The analyte catalogue Carebook ships (resources/knowledge/), as the app loads it."""
    return load_catalogue()


def _section(qtbot, make_window, folder, person: str | None = None):
    window, section = open_section(qtbot, make_window, folder, "lab_result", person)
    assert section.catalogue is load_catalogue()  # the real one, and it loaded
    return window, section


def _rows(model, parent=None):
    """Every index in column 0 of a tree model, depth first."""
    from PySide6.QtCore import QModelIndex
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found.extend(_rows(model, index))
    return found


def _latest(window, person: str, analyte: str) -> Record:
    profile = window.vault.profiles.find(person)
    return window.vault.records.lab_history(profile.id, analyte)[-1]


def _report_pdf(path: Path, pages: int = 3) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, f"Synthetic laboratory report - page {page}")
        if page == 2:
            pdf.drawString(72, 720, "Glucose, fasting    5.8    mmol/L    3.9 - 5.5    H")
        pdf.showPage()
    pdf.save()
    return path


def test_grouped_view_shows_dates_panels_and_flag_words(qtbot, make_window, demo_vault_dir,
                                                        catalogue):
    """Dad's results: newest date first, panels under it, flags as words with a shape."""
    window, section = _section(qtbot, make_window, demo_vault_dir, "Dad")
    proxy = section.proxy
    dates = [proxy.index(row, 0).data() for row in range(proxy.rowCount())]
    assert len(dates) == 9 and "results" in dates[0]
    first = proxy.index(0, 0)
    panels = [proxy.index(row, 0, first).data() for row in range(proxy.rowCount(first))]
    # Report order; every demo test is in the catalogue, so nothing is under "Other tests".
    assert panels == [catalogue.panel_title(catalogue.get(key).panel) for key in (
        "hemoglobin", "potassium", "ldl_cholesterol", "glucose", "creatinine")]
    assert panels[0] == "Complete blood count" and "Other tests" not in panels
    words = {index.siblingAtColumn(FLAG).data() for index in _rows(proxy)}
    assert {"High ▲", "Low ▼", "Normal"} <= words
    hba1c = _latest(window, "Dad", "hba1c")
    section.select_row(hba1c.id)
    assert section.selected_row().id == hba1c.id
    index = section.view.selectionModel().selectedRows()[0]
    assert index.parent().data() == catalogue.panel_title(catalogue.get("hba1c").panel)
    assert index.siblingAtColumn(FLAG).data() == "High ▲"
    assert index.siblingAtColumn(1).data() == "7.6" and index.siblingAtColumn(2).data() == "%"
    assert section.trend_button.isEnabled()
    assert not section.source_button.isEnabled()  # demo data has no source document


def test_trend_opens_a_chart_with_every_point_and_the_band(qtbot, make_window,
                                                           demo_vault_dir, catalogue):
    """Enter on Me's glucose opens its trend: 5 points in mg/dL, the band, the conversion."""
    window, section = _section(qtbot, make_window, demo_vault_dir, "Me")
    section.select_row(_latest(window, "Me", "glucose").id)
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_Return)
    dialog = section.trend_dialog
    assert dialog is not None and dialog.isVisible()
    assert section.dialog is None  # Enter opens the trend here, not the edit form
    view = dialog.view
    assert len(view.scatter.points()) == 5
    assert view.band is not None
    assert view.band.getRegion() == pytest.approx((70, 99))  # printed on the latest report
    notes = view.notes.text()
    assert "converted to mg/dL" in notes and "can't be converted" not in notes
    assert "mmol/L" in notes and "g/L" in notes
    assert "mg/dL" in view.plot.getAxis("left").labelText
    assert view.model.rowCount() == 5
    assert view.model.index(0, 3).data() == "101"  # newest first, converted column
    # Every point is the printed value put in mg/dL by the catalogue's own factors.
    glucose = catalogue.get("glucose")
    printed = [r.values for r in window.vault.records.lab_history(
        window.vault.profiles.find("Me").id, "glucose")]
    assert {v["unit"] for v in printed} == {"mg/dL", "mmol/L", "g/L"}
    expected = [glucose.convert(v["value"], v["unit"], "mg/dL") for v in printed]
    assert sorted(p.pos().y() for p in view.scatter.points()) == pytest.approx(sorted(expected))
    shapes = [p.symbol() for p in view.scatter.points()]
    assert shapes[-1] == "t1" and shapes[0] == "o"  # high is a triangle, in range a circle
    window.lock()
    assert section.trend_dialog is None or not section.trend_dialog.isVisible()


def test_source_opens_the_report_at_the_results_page(qtbot, make_window, vault_dir,
                                                     interaction, tmp_path):
    """A result read from page 2 of a stored PDF opens that PDF at page 2 (Ctrl+Shift+O)."""
    window = make_window(vault_dir)
    unlock(qtbot, window, PASSPHRASE)
    interaction.answer("Sam")
    window.actions.add_person.trigger()
    profile_id = window.workspace.state.profile_id
    info = document_service.add_document_file(window.vault, profile_id,
                                              _report_pdf(tmp_path / "report.pdf"))
    values = record_service.validate("lab_result", {
        "collected_at": "2026-02-01", "name": "Glucose, fasting", "analyte": "glucose",
        "value": "5.8", "unit": "mmol/L", "ref_low": "3.9", "ref_high": "5.5"})
    stored = record_service.store_record(window.vault, Record(
        "lab_result", profile_id, values,
        provenance=Provenance(source_kind="pdf", document_id=info.id, page=2)))
    window.workspace.show_section("lab_result")
    section = window.workspace.sections["lab_result"]
    section.reload()
    section.select_row(stored.id)
    assert section.source_button.isEnabled()
    index = section.view.selectionModel().selectedRows()[0]
    assert index.siblingAtColumn(5).data() == "Lab report, p. 2"
    section.view.setFocus()
    qtbot.keyClick(section.view, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = section.source_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.pdf.page_count() == 3, timeout=5000)
    assert dialog.pdf.current_page() == 2
    assert dialog.pdf.page_label.text() == "Page 2 of 3"
    assert dialog.windowTitle() == "report — page 2"
    dialog.pdf.show_page(3)
    assert dialog.pdf.current_page() == 3 and dialog.windowTitle() == "report — page 3"
    dialog.pdf.zoom_in()
    assert dialog.pdf.view.zoomMode().name == "Custom"
    dialog.pdf.fit_width()
    assert dialog.pdf.view.zoomMode().name == "FitToWidth"


def test_add_edit_delete_and_undo_still_work(qtbot, make_window, demo_vault_dir):
    """Deleting a grouped result and undoing it keeps the same record; Ctrl+E opens the form."""
    window, section = _section(qtbot, make_window, demo_vault_dir, "Dad")
    hba1c = _latest(window, "Dad", "hba1c")
    section.select_row(hba1c.id)
    window.actions.delete.trigger()
    assert window.vault.records.count("lab_result", hba1c.profile_id) == \
        section.model.result_count()
    assert not section.model.index_of(hba1c.id).isValid()
    window.actions.undo.trigger()
    assert section.model.index_of(hba1c.id).isValid()
    section.select_row(hba1c.id)
    window.actions.edit.trigger()
    assert section.dialog is not None and section.dialog.isVisible()
    section.dialog.reject()
    window.actions.add.trigger()
    assert section.dialog is not None
    section.dialog.reject()


def test_filter_keeps_each_results_date_and_panel(qtbot, make_window, demo_vault_dir):
    """Typing "a1c" leaves only HbA1c rows, each under its date and panel."""
    _window, section = _section(qtbot, make_window, demo_vault_dir, "Dad")
    qtbot.keyClicks(section.filter, "a1c")
    leaves = [i for i in _rows(section.proxy) if section.proxy.rowCount(i) == 0]
    assert {i.data() for i in leaves} == {"Hemoglobin A1c"} and len(leaves) == 9
    assert section.proxy.rowCount() == 9


def test_lab_models_pass_the_model_tester(qtmodeltester, demo_vault, catalogue):
    """The grouped model, the filter over it, and the trend table are consistent models."""
    dad = demo_vault.profiles.find("Dad")
    model = LabResultsModel()
    model.set_rows(group_results(demo_vault.records.list("lab_result", dad.id),
                                 catalogue))
    qtmodeltester.check(model, force_py=True)
    proxy = RecordFilterProxy()
    proxy.setRecursiveFilteringEnabled(True)
    proxy.setSourceModel(model)
    proxy.set_filter_text("glucose")
    qtmodeltester.check(proxy, force_py=True)
    view = LabTrendView()
    view.set_trend(build_trend(demo_vault, dad.id, "glucose", catalogue))
    qtmodeltester.check(view.model, force_py=True)
    assert len(view.scatter.points()) == 9
