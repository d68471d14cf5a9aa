"""The `carebook` command: the GUI by default, or one of the scripting commands.

Exit codes: 0 success, 2 bad input, 3 authentication failed, 4 vault damaged,
1 anything unexpected. Messages go to stderr; --json output goes to stdout.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from carebook import __version__
from carebook.diagnostics import log_unexpected
from carebook.errors import BadInput, CarebookError
from carebook.interop.printable import CARD_SETUP, TEXT_SIZES, PageSetup
from carebook.paths import default_vault_dir
from carebook.services import demo, profiles, vault_access
from carebook.services.visit_pack import SECTION_KEYS
from carebook.vault.errors import NotAVault
from carebook.vault.migrations import schema_version
from carebook.vault.vault import Vault, is_vault


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `carebook` command."""
    args = _parser().parse_args(argv)
    try:
        if args.command is None:
            from carebook.app import run_gui  # imported late: the CLI never needs Qt

            return run_gui(vault_dir=args.vault, demo=args.demo)
        return args.handler(args)
    except CarebookError as error:
        print(f"carebook: {error.message}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("carebook: interrupted.", file=sys.stderr)
        return 1
    except Exception as error:
        log = log_unexpected(error, f"cli {args.command}")
        where = f" A diagnostic without health data is in {log}." if log else ""
        print(f"carebook: unexpected error ({type(error).__name__}).{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", type=Path, default=argparse.SUPPRESS,
                        help="vault folder (default: the per-user data folder)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print machine-readable JSON on stdout")

    parser = argparse.ArgumentParser(
        prog="carebook", description="Offline, encrypted family health records.")
    parser.add_argument("--version", action="version", version=f"carebook {__version__}")
    parser.add_argument("--vault", type=Path, default=None, help="vault folder to open")
    parser.add_argument("--json", action="store_true", default=False, help=argparse.SUPPRESS)
    parser.add_argument("--demo", action="store_true",
                        help="open a throwaway vault filled with a synthetic family")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    vault = commands.add_parser("vault", help="create, check or re-key a vault")
    vault_commands = vault.add_subparsers(dest="action", metavar="ACTION", required=True)
    vault_commands.add_parser("init", parents=[common], help="create a new vault"
                              ).set_defaults(handler=_vault_init)
    vault_commands.add_parser("check", parents=[common],
                              help="unlock, run the integrity checks, count records"
                              ).set_defaults(handler=_vault_check)
    passwd = vault_commands.add_parser("passwd", parents=[common], help="change the passphrase")
    passwd.add_argument("--recovery-code", action="store_true",
                        help="unlock with the recovery code instead of the passphrase")
    passwd.set_defaults(handler=_vault_passwd)

    profile = commands.add_parser("profile", help="add or list people")
    profile_commands = profile.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = profile_commands.add_parser("add", parents=[common], help="add a person")
    add.add_argument("name", help='display name, e.g. "Dad"')
    add.set_defaults(handler=_profile_add)
    profile_commands.add_parser("list", parents=[common], help="list people"
                                ).set_defaults(handler=_profile_list)

    demo_parser = commands.add_parser("demo", help="synthetic demo data")
    demo_commands = demo_parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    demo_commands.add_parser("create", parents=[common],
                             help="write the synthetic family into a vault (created if needed)"
                             ).set_defaults(handler=_demo_create)

    labs_parser = commands.add_parser("labs", help="read lab-report PDFs")
    labs_commands = labs_parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    parse = labs_commands.add_parser(
        "parse", help="print the results a lab-report PDF holds (nothing is saved); "
                      "a password-protected PDF's password comes from CAREBOOK_PDF_PASSWORD")
    parse.add_argument("file", type=Path, help="the PDF to read")
    parse.add_argument("--json", action="store_true", help="print the contract's JSON on stdout")
    parse.set_defaults(handler=_labs_parse)

    explain = commands.add_parser(
        "explain", help="explain lab results in plain language with the on-device model")
    explain.add_argument("--results", type=Path, required=True,
                         help="a `carebook labs parse --json` output file")
    explain.add_argument("--json", action="store_true", help="print the contract's JSON")
    explain.add_argument("--model", type=Path, default=None, help="another GGUF model file")
    explain.add_argument("--max-tokens", type=int, default=300,
                         help="bound the model's answer (default 300)")
    explain.set_defaults(handler=_explain)

    prep = commands.add_parser("prep", parents=[common],
                               help="write the appointment pack for a visit as a PDF")
    prep.add_argument("--profile", required=True, help="whose pack (the name in Carebook)")
    prep.add_argument("--visit", type=int, default=None,
                      help="the visit's id (default: the next upcoming visit)")
    prep.add_argument("--sections", default=None,
                      help="comma-separated sections to include (default: all): "
                           + ",".join(SECTION_KEYS))
    _page_options(prep)
    prep.set_defaults(handler=_prep)

    card = commands.add_parser("card", parents=[common],
                               help="write a person's wallet-size emergency card as a PDF")
    card.add_argument("--profile", required=True, help="whose card (the name in Carebook)")
    card.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    card.set_defaults(handler=_card)
    return parser


def _page_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="the PDF file to write")
    parser.add_argument("--paper", choices=("A4", "Letter"), default="A4")
    parser.add_argument("--text-size", choices=tuple(TEXT_SIZES), default="normal")


# --- secrets --------------------------------------------------------------------------------

def _ask(prompt: str, env_name: str, *, confirm: bool = False) -> str:
    """A secret from the environment, else from the terminal (asked twice when confirming)."""
    value = os.environ.get(env_name)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise BadInput(f"No terminal to ask for the {prompt.lower()}; set {env_name}.")
    first = getpass.getpass(f"{prompt}: ", stream=sys.stderr)
    if confirm and getpass.getpass(f"{prompt} again: ", stream=sys.stderr) != first:
        raise BadInput("The two entries do not match; nothing was changed.")
    return first


def _folder(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "vault", None) or default_vault_dir())


def _emit(args: argparse.Namespace, data: dict, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text)


def _unlock(args: argparse.Namespace) -> Vault:
    folder = _folder(args)
    if not is_vault(folder):
        raise NotAVault(folder)  # say so before asking for a passphrase
    return vault_access.unlock_vault(folder, _ask("Passphrase", "CAREBOOK_PASSPHRASE"))


# --- commands -------------------------------------------------------------------------------

def _vault_init(args: argparse.Namespace) -> int:
    folder = _folder(args)
    passphrase = _ask("New passphrase", "CAREBOOK_PASSPHRASE", confirm=True)
    vault, code = vault_access.create_vault(folder, passphrase)
    vault.close()
    _emit(args, {"vault": str(folder), "recovery_code": code},
          f"Vault created in {folder}.\n\nRecovery code (shown once; keep it somewhere safe,"
          f" away from this computer):\n\n    {code}\n")
    return 0


def _vault_check(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        counts, version = vault.counts(), schema_version(vault.db)
    finally:
        vault.close()
    _emit(args, {"vault": str(_folder(args)), "integrity": "ok", "schema_version": version,
                 "counts": counts},
          "Integrity: ok\n" + "\n".join(f"{kind:>14}: {n}" for kind, n in counts.items()))
    return 0


def _vault_passwd(args: argparse.Namespace) -> int:
    folder = _folder(args)
    if not is_vault(folder):
        raise NotAVault(folder)
    if args.recovery_code:
        vault = vault_access.recover_vault(
            folder, _ask("Recovery code", "CAREBOOK_RECOVERY_CODE"))
        current = None
    else:
        current = _ask("Current passphrase", "CAREBOOK_PASSPHRASE")
        vault = vault_access.unlock_vault(folder, current)
    try:
        new = _ask("New passphrase", "CAREBOOK_NEW_PASSPHRASE", confirm=True)
        vault_access.change_passphrase(vault, new, current)
    finally:
        vault.close()
    _emit(args, {"vault": str(folder), "passphrase_changed": True}, "Passphrase changed.")
    return 0


def _profile_add(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        person = profiles.add_profile(vault, args.name)
    finally:
        vault.close()
    _emit(args, {"id": person.id, "name": person.name}, f"Added {person.name}.")
    return 0


def _profile_list(args: argparse.Namespace) -> int:
    vault = _unlock(args)
    try:
        people = profiles.list_profiles(vault)
    finally:
        vault.close()
    _emit(args, {"profiles": [{"id": p.id, "name": p.name, "full_name": p.full_name,
                               "birth_date": p.birth_date, "sex": p.sex} for p in people]},
          "\n".join(p.name for p in people) or "No people yet.")
    return 0


def _demo_create(args: argparse.Namespace) -> int:
    if getattr(args, "vault", None) is None:
        raise BadInput("Say where to write the demo family: carebook demo create --vault PATH")
    folder = Path(args.vault)
    code = None
    if is_vault(folder):
        vault = _unlock(args)
    else:
        vault, code = vault_access.create_vault(
            folder, _ask("New passphrase", "CAREBOOK_PASSPHRASE", confirm=True))
    try:
        people = demo.create_demo_family(vault)
        counts = vault.counts()
    finally:
        vault.close()
    data = {"vault": str(folder), "profiles": [p.name for p in people], "counts": counts}
    if code:
        data["recovery_code"] = code
    text = f"Demo family written to {folder}: " + ", ".join(p.name for p in people) + "."
    if code:
        text += f"\nRecovery code (shown once): {code}"
    _emit(args, data, text)
    return 0


def _labs_parse(args: argparse.Namespace) -> int:
    from carebook import labs  # imported late: only this command needs the parser

    parsed = labs.parse_pdf_file(args.file, os.environ.get("CAREBOOK_PDF_PASSWORD"))
    lines = [f"{args.file.name}: {len(parsed['results'])} results, collected "
             f"{parsed['collected_at'] or 'on an unknown date'}"]
    for row in parsed["results"]:
        range_text = row["ref_text"] or ""
        lines.append(f"  p{row['page']}  {row['name'][:40]:40}  {row['value_text']:>10} "
                     f"{row['unit'] or '':10} {range_text:20} {row['flag'] or '':2} "
                     f"{row['confidence']:.2f}")
    _emit(args, labs.contract_view(parsed), "\n".join(lines))
    return 0


def _explain(args: argparse.Namespace) -> int:
    from carebook.services.explain_file import explain_results_file

    if args.max_tokens < 1 or args.max_tokens > 4096:
        raise BadInput("--max-tokens must be between 1 and 4096.")
    data = explain_results_file(args.results, args.model, args.max_tokens)
    lines = [data["summary"], ""]
    lines += [f"!! {item['message']}" for item in data["critical"]]
    lines += [item["text"] for item in data["items"]]
    lines += ["", "Questions for your clinician:"] + [f"- {q['text']}" for q in data["questions"]]
    lines += ["", "This explains your records; it is not medical advice."]
    _emit(args, data, "\n".join(lines))
    return 0


def _prep(args: argparse.Namespace) -> int:
    from carebook.services.visit_pack import build_pack

    sections = None if args.sections is None else [
        part.strip() for part in args.sections.split(",") if part.strip()]
    if sections == []:
        raise BadInput("--sections names no section; leave it out for all of them.")
    setup = PageSetup(paper=args.paper, text_size=args.text_size)
    return _printout(args, lambda vault, person: build_pack(
        vault, person.id, sections, args.visit), setup)


def _card(args: argparse.Namespace) -> int:
    from carebook.services.emergency_card import build_card

    return _printout(args, lambda vault, person: build_card(vault, person.id), CARD_SETUP)


def _printout(args: argparse.Namespace, build, setup: PageSetup) -> int:
    """Unlock, build the document for --profile, write it to --out, report what was written."""
    from carebook.app import pdf_writer
    from carebook.services.printouts import export_printout

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        raise BadInput(f"{out.name}: the output file should end in .pdf.")
    vault = _unlock(args)
    try:
        person = vault.profiles.find(args.profile)
        document = build(vault, person)
        result = export_printout(vault, person.id, document, out, setup, pdf_writer())
    finally:
        vault.close()
    _emit(args, {"out": str(out), "pages": result.pages, "profile": person.name,
                 "title": document.title, "sections": list(document.section_keys),
                 "subtitle": document.subtitle},
          f"{document.title} for {person.name} written to {out} ({result.pages} "
          f"page{'s' if result.pages != 1 else ''}).")
    return 0
