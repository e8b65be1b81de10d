"""``corridor export htcds --node NODE --out FILE --user USERNAME`` (.csv or .xlsx)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.cases.htcds.exporter import htcds_export
from corridor.cases.management.commands._actor import actor_for


class Command(BaseCommand):
    help = _("Export the cases a coordinator can see as an HTCDS 2.0 file (.csv or .xlsx).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["htcds"])
        parser.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
        parser.add_argument(
            "--user",
            required=True,
            help="username of the national coordinator the export is recorded against",
        )

    def handle(self, *args, kind, out, user, **options):
        actor = actor_for(user)
        fmt = Path(out).suffix.lower().lstrip(".")
        if fmt not in ("csv", "xlsx"):
            raise CommandError(_("--out must end in .csv or .xlsx."))
        data = htcds_export(actor=actor, fmt=fmt)
        Path(out).write_bytes(data)
        self.stdout.write(_("Written %(out)s.") % {"out": out})
