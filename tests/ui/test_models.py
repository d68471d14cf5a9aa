"""Every table model passes Qt's own model tester, filled with the real demo records."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from carebook.domain.record_types import RECORD_TYPES
from carebook.services.activity import list_activity
from carebook.services.documents import add_document_file, list_documents
from carebook.ui.documents_section import DOCUMENT_COLUMNS
from carebook.ui.record_table_model import (
    SORT_ROLE,
    Column,
    RecordFilterProxy,
    RecordTableModel,
    RowTableModel,
)


@pytest.mark.parametrize("type_key", sorted(RECORD_TYPES))
def test_record_models_pass_the_model_tester(qtmodeltester, demo_vault, type_key):
    """Each record type's model, and the filter proxy over it, are consistent models."""
    people = demo_vault.profiles.list()
    dad = next(p for p in people if p.name == "Dad")
    model = RecordTableModel(RECORD_TYPES[type_key])
    model.set_records(demo_vault.records.list(type_key, dad.id))
    qtmodeltester.check(model, force_py=True)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    proxy.set_filter_text("a")
    qtmodeltester.check(proxy, force_py=True)


def test_document_and_activity_models_pass_the_model_tester(qtmodeltester, demo_vault,
                                                            tmp_path):
    """The documents and audit-log tables are consistent models too."""
    dad = demo_vault.profiles.find("Dad")
    letter = tmp_path / "letter.txt"
    letter.write_text("Synthetic referral letter.")
    add_document_file(demo_vault, dad.id, letter)
    documents = RowTableModel(DOCUMENT_COLUMNS)
    documents.set_rows(list_documents(demo_vault, dad.id))
    assert documents.rowCount() == 1
    qtmodeltester.check(documents, force_py=True)
    audit = RowTableModel([Column("Action", lambda e: e.action, lambda e: e.action)])
    audit.set_rows(list_activity(demo_vault))
    assert audit.rowCount() > 5
    qtmodeltester.check(audit, force_py=True)


def test_lab_model_shows_flags_units_ranges_and_provenance(demo_vault):
    """A lab row reads as a person expects and says where it came from."""
    dad = demo_vault.profiles.find("Dad")
    model = RecordTableModel(RECORD_TYPES["lab_result"])
    model.set_records(demo_vault.records.list("lab_result", dad.id))
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Collected", "Test (as printed)", "Result", "Range", "Flag", "Source"]
    row = next(r for r in range(model.rowCount())
               if model.record_at(r).values["name"] == "Hemoglobin A1c")
    shown = [model.index(row, c).data() for c in range(model.columnCount())]
    assert shown[1:] == ["Hemoglobin A1c", "7.6 %", "4–5.6", "▲ High", "Demo"]
    assert model.index(row, 2).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(row, 2).data(SORT_ROLE) == pytest.approx(7.6)
    assert model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == "Synthetic demo data"


def test_proxy_sorts_numbers_as_numbers_and_blanks_last(demo_vault):
    """9 sorts before 10, and a result without a number goes after every number."""
    me = demo_vault.profiles.find("Me")
    model = RecordTableModel(RECORD_TYPES["lab_result"])
    records = demo_vault.records.list("lab_result", me.id)
    text_only = records[0].__class__(records[0].type_key, me.id,
                                     {**records[0].values, "value": None, "value_text": "Neg"})
    model.set_records([*records, text_only])
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(2, Qt.SortOrder.AscendingOrder)
    values = [proxy.index(r, 2).data(SORT_ROLE) for r in range(proxy.rowCount())]
    numbers = [v for v in values if v is not None]
    assert numbers == sorted(numbers)
    assert values[-1] is None
