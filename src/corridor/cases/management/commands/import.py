"""``corridor import htcds FILE --node NODE --user USERNAME [--keep-valid-rows]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.cases.htcds.importer import htcds_import
from corridor.cases.management.commands._actor import actor_for
from corridor.core.numbers import in_a_list


class Command(BaseCommand):
    help = _(
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
        summary = in_a_list(
            [
                ngettext("%(n)s case created", "%(n)s cases created", report.created)
                % {"n": report.created},
                ngettext(
                    "%(n)s row already imported", "%(n)s rows already imported", report.already
                )
                % {"n": report.already},
            ]
        )
        if report.rejected:
            n = len(report.errors)
            raise CommandError(
                ngettext(
                    "File rejected, nothing imported: %(n)s error.",
                    "File rejected, nothing imported: %(n)s errors.",
                    n,
                )
                % {"n": n}
            )
        self.stdout.write(summary)
        if report.errors:
            n = len({e.row for e in report.errors})
            raise CommandError(
                ngettext("%(n)s row refused (see above).", "%(n)s rows refused (see above).", n)
                % {"n": n}
            )
