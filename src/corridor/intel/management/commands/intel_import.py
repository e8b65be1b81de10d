"""``corridor intel_import cdr|money FILE --node NODE``: load an operator file from the shell."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.intel import services
from corridor.intel.models import Credibility, ImportKind, ImportStatus, Reliability


class Command(BaseCommand):
    help = _(
        "Import call detail records (cdr) or mobile-money transactions (money) from a CSV file. "
        "All or nothing unless --skip-bad; importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help=_("operator and requisition reference"))
        parser.add_argument("--reliability", default="B", choices=Reliability.values)
        parser.add_argument("--credibility", default="2", choices=Credibility.values)
        parser.add_argument(
            "--skip-bad", action="store_true", help=_("import the valid rows and report the others")
        )
        parser.add_argument("--errors", type=Path, help=_("write the error report (CSV) here"))

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            batch = services.import_run(
                actor=None,
                kind=options["kind"],
                filename=path.name,
                content=path.read_bytes(),
                source=options["source"],
                reliability=options["reliability"],
                credibility=options["credibility"],
                skip_bad=options["skip_bad"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["errors"] and batch.errors:
            from corridor.intel.ingest import error_report_csv

            options["errors"].write_text(error_report_csv(batch.errors), encoding="utf-8")
        for error in batch.errors[:50]:
            self.stderr.write(str(error["message"]))
        if len(batch.errors) > 50:
            more = len(batch.errors) - 50
            self.stderr.write(
                ngettext("… and %(n)s more error", "… and %(n)s more errors", more) % {"n": more}
            )
        counts = ", ".join(
            message % {"n": n}
            for message, n in (
                (ngettext("%(n)s row", "%(n)s rows", batch.rows_total), batch.rows_total),
                (
                    ngettext("%(n)s imported", "%(n)s imported", batch.rows_imported),
                    batch.rows_imported,
                ),
                (
                    ngettext("%(n)s already known", "%(n)s already known", batch.rows_duplicate),
                    batch.rows_duplicate,
                ),
                (ngettext("%(n)s in error", "%(n)s in error", batch.rows_error), batch.rows_error),
            )
        )
        summary = _("%(status)s: %(counts)s (import #%(id)s)") % {
            "status": batch.get_status_display(),
            "counts": counts,
            "id": batch.pk,
        }
        if batch.status == ImportStatus.REJECTED:
            raise CommandError(summary)
        self.stdout.write(summary)
