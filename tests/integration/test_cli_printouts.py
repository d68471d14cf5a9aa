"""`carebook prep` and `carebook card` as scripts use them: the real command, a real vault,
real PDFs read back with pypdf."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from carebook.services.visits import visit_lists
from carebook.vault.vault import Vault
from tests.conftest import PASSPHRASE
from tests.integration.test_cli import CAREBOOK, carebook


def _pages(path: Path) -> list[str]:
    """Each page's text with runs of white space as one space (Qt places words one by one,
    so pypdf reads tabs and line breaks between them)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def _dad(folder: Path):
    vault = Vault.unlock(folder, PASSPHRASE)
    try:
        dad = vault.profiles.find("Dad")
        # The newest entry is this unlock's own "vault_opened"; the one before is the command's.
        return dad, visit_lists(vault, dad.id), vault.audit.entries(limit=2)[1]
    finally:
        vault.close()


def test_prep_writes_the_pack_for_the_next_visit(demo_vault_dir, tmp_path):
    out = tmp_path / "pack.pdf"
    result = carebook("prep", "--vault", demo_vault_dir, "--profile", "dad", "--out", out,
                      "--json", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["profile"] == "Dad" and report["pages"] == len(_pages(out)) >= 2
    assert report["sections"] == ["person", "medications", "allergies", "conditions",
                                  "results", "questions", "vitals"]
    dad, _visits, audit = _dad(demo_vault_dir)
    assert "Diabetes review" in report["subtitle"]
    text = "\n".join(_pages(out))
    for expected in ("Henri Martin", "Metformin", "Penicillin", "Hemoglobin A1c", "7.6",
                     "Should my diabetes treatment change?", "Blood pressure"):
        assert expected in text
    for number, page in enumerate(_pages(out), start=1):
        assert "Henri Martin" in page and f"Page {number} of {report['pages']}" in page
    assert audit.action == "printout_exported" and audit.profile_id == dad.id
    assert PdfReader(out).pages[0].mediabox.width == pytest.approx(595.3, abs=2)


def test_prep_with_chosen_sections_letter_paper_and_a_past_visit(demo_vault_dir, tmp_path):
    _dad_profile, visits, _audit = _dad(demo_vault_dir)
    past = visits.past[0]
    out = tmp_path / "pack.pdf"
    result = carebook("prep", "--vault", demo_vault_dir, "--profile", "Dad", "--visit",
                      str(past.id), "--sections", "allergies,questions", "--paper", "Letter",
                      "--out", out, passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert "written to" in result.stdout
    text = "\n".join(_pages(out))
    assert "Penicillin" in text
    for unchosen in ("Metformin", "Hemoglobin A1c", "Blood pressure", "Current medications"):
        assert unchosen not in text
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((612, 792), abs=2)


@pytest.mark.parametrize(("args", "message"), [
    (("--profile", "Nobody"), "no person called"),
    (("--profile", "Dad", "--sections", "horoscope"), "Unknown pack section"),
    (("--profile", "Dad", "--sections", " , "), "names no section"),
    (("--profile", "Dad", "--visit", "999999"), "no longer exists"),
])
def test_prep_bad_input_is_exit_2_with_a_message_and_no_file(demo_vault_dir, tmp_path, args,
                                                             message):
    out = tmp_path / "pack.pdf"
    result = carebook("prep", "--vault", demo_vault_dir, *args, "--out", out,
                      passphrase=PASSPHRASE)
    assert result.returncode == 2 and message in result.stderr
    assert not out.exists()


def test_prep_into_a_missing_folder_or_not_a_pdf_name_is_exit_2(demo_vault_dir, tmp_path):
    for out in (tmp_path / "missing" / "pack.pdf", tmp_path / "pack.txt",
                tmp_path / ("x" * 300 + ".pdf")):
        result = carebook("prep", "--vault", demo_vault_dir, "--profile", "Dad", "--out", out,
                          passphrase=PASSPHRASE)
        assert result.returncode == 2, result.stderr
        assert out.name in result.stderr
        if out.parent.is_dir():
            assert out.name not in os.listdir(out.parent)


def test_prep_draws_off_screen_whatever_display_qt_was_told(demo_vault_dir, tmp_path):
    """QT_QPA_PLATFORM=xcb with no display would abort Qt; the command draws off screen."""
    out = tmp_path / "pack.pdf"
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    result = subprocess.run([*CAREBOOK, "prep", "--vault", str(demo_vault_dir), "--profile",
                             "Dad", "--out", str(out)],
                            env={**env, "QT_QPA_PLATFORM": "xcb",
                                 "CAREBOOK_PASSPHRASE": PASSPHRASE},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.is_file()


def test_prep_with_the_wrong_passphrase_is_exit_3(demo_vault_dir, tmp_path):
    result = carebook("prep", "--vault", demo_vault_dir, "--profile", "Dad", "--out",
                      tmp_path / "pack.pdf", passphrase="not the passphrase")
    assert result.returncode == 3


def test_card_is_wallet_sized_and_holds_the_essentials(demo_vault_dir, tmp_path):
    out = tmp_path / "card.pdf"
    result = carebook("card", "--vault", demo_vault_dir, "--profile", "Léa", "--out", out,
                      "--json", passphrase=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    box = PdfReader(out).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((242.6, 153.0), abs=1.5)
    text = "\n".join(_pages(out))
    for expected in ("Léa Martin", "Peanut", "Adrenaline", "Asthma", "A+",
                     "Claire Martin (mother)"):
        assert expected in text
    assert json.loads(result.stdout)["title"] == "Emergency card"


def test_a_person_with_no_records_gets_a_short_pack_and_card(vault_dir, tmp_path):
    assert carebook("profile", "add", "Newcomer", "--vault", vault_dir,
                    passphrase=PASSPHRASE).returncode == 0
    pack, card = tmp_path / "pack.pdf", tmp_path / "card.pdf"
    for command, out in (("prep", pack), ("card", card)):
        result = carebook(command, "--vault", vault_dir, "--profile", "Newcomer", "--out", out,
                          passphrase=PASSPHRASE)
        assert result.returncode == 0, result.stderr
    pages = _pages(pack)
    assert len(pages) == 1
    for expected in ("No visit planned", "No current medications recorded.",
                     "No allergies recorded.", "No open questions.", "Page 1 of 1"):
        assert expected in pages[0]
    assert "No contact recorded" in " ".join(_pages(card))
