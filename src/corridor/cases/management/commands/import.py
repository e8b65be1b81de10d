"""``corridor import htcds FILE --node NODE --user USERNAME [--keep-valid-rows]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.cases.htcds.importer import htcds_import
from corridor.cases.management.commands._actor import actor_for


class Command(BaseCommand):
    help = (
        "Import an HTCDS 2.0 file (IOM's Excel template or CSV). All-or-nothing unless "
        "--keep-valid-rows; re-importing the same rows adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["htcds"])
        parser.add_argument("file")
        parser.add_argument(
            "--user",
            required=True,
            help="username of the national coordinator the import is recorded against",
        )
        parser.add_argument("--keep-valid-rows", action="store_true")

    def handle(self, *args, kind, file, user, keep_valid_rows, **options):
        actor = actor_for(user)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(f)s") % {"f": file})
        report = htcds_import(
            actor=actor,
            name=path.name,
            content=path.read_bytes(),
            keep_valid_rows=keep_valid_rows,
        )
        for error in report.errors:
            self.stderr.write(str(error))
        summary = _("%(created)s case(s) created, %(already)s row(s) already imported.") % {
            "created": report.created,
            "already": report.already,
        }
        if report.rejected:
            raise CommandError(
                _("File rejected, nothing imported: %(n)s error(s).") % {"n": len(report.errors)}
            )
        self.stdout.write(summary)
        if report.errors:
            raise CommandError(
                _("%(n)s row(s) refused (see above).") % {"n": len({e.row for e in report.errors})}
            )
