"""``corridor reports ctdc --node N --user U --out FILE.csv``: what a CTDC publication would
contain, built as that user (their scope) and audited as their export."""

from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.models import User
from corridor.reports import indicators, services


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(_("“%(d)s” is not a date (YYYY-MM-DD).") % {"d": text}) from exc


class Command(BaseCommand):
    help = _(
        "Reports: `ctdc` writes the k-anonymous CTDC export of the period (default: the last "
        "365 days) exactly as a publication would contain it, as the given user."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["ctdc", "glotip"])
        parser.add_argument("--user")
        parser.add_argument("--out")
        parser.add_argument("--year", type=int)  # glotip: justice's command prints the tables
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--from", dest="start")
        parser.add_argument("--to", dest="end")

    def handle(self, *args, action, user, out, start, end, **options):
        if action == "glotip":
            return call_command(
                "glotip", year=options["year"], as_json=options["json"], stdout=self.stdout
            )
        if not (user and out):
            raise CommandError(_("ctdc needs --user and --out."))
        actor = User.objects.filter(username=user).select_related("agency").first()
        if actor is None:
            raise CommandError(_("No user “%(u)s” on this node.") % {"u": user})
        default_start, default_end = indicators.default_period()
        start = _day(start) if start else default_start
        end = _day(end) if end else default_end
        if start > end:
            raise CommandError(_("The start date is after the end date."))
        try:
            content = services.ctdc_export_file(actor=actor, start=start, end=end)
        except (PermissionDenied, ValidationError) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError(" ".join(messages)) from exc
        Path(out).write_text(content, encoding="utf-8")
        rows = max(0, content.count("\n") - 1)
        self.stdout.write(
            ngettext("%(n)s record written to %(out)s.", "%(n)s records written to %(out)s.", rows)
            % {"n": rows, "out": out}
        )
