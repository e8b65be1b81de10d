"""``corridor forms xlsform --out DIR``: write Corridor's XLSForms for ODK Collect and
KoboCollect. Needs no node and no Django."""

from __future__ import annotations

import argparse
from pathlib import Path

from corridor.i18n import _


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="corridor forms", description=_("Field data collection forms (XLSForm).")
    )
    commands = parser.add_subparsers(dest="command", required=True)
    xls = commands.add_parser("xlsform", help=_("Write the XLSForms to a folder."))
    xls.add_argument("--out", required=True, type=Path, help=_("Folder to write into."))
    xls.add_argument(
        "--check",
        action="store_true",
        help=_("Also convert each form with pyxform and report errors."),
    )
    args = parser.parse_args(argv)

    from corridor.flows.xlsforms import WRITTEN, registry, write_xlsform

    if args.out.exists() and not args.out.is_dir():
        parser.error(_("%(path)s exists and is not a folder.") % {"path": args.out})
    failures = 0
    for form_id in WRITTEN:
        spec = registry()[form_id]
        path = write_xlsform(spec, args.out / f"{form_id}.xlsx")
        line = f"{path}  ({spec.form_id}, version {spec.version})"
        if args.check:
            problem = convert(path)
            if problem:
                failures += 1
                line += "  " + _("ERROR: %(problem)s") % {"problem": problem}
        print(line)
    return 1 if failures else 0


def convert(path: Path) -> str:
    """Run pyxform on ``path``; return the error message, or "" when it converts."""
    from pyxform.xls2xform import convert as xls2xform

    try:
        xls2xform(xlsform=str(path), validate=False)
    except Exception as exc:  # pyxform raises several unrelated types for bad forms
        return str(exc)
    return ""
