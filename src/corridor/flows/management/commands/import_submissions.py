"""``corridor import_submissions FILE --node NODE``: import an ODK Central or KoboToolbox export."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.flows import importers


class Command(BaseCommand):
    help = _("Import field submissions (ODK Central / KoboToolbox CSV or JSON export).")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--form", default="", help=_("Form id, when the file does not say."))
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help=_(
                "Import as this coordinator (needed to hand HTCDS submissions over to cases; "
                "without it they wait for a caseworker)."
            ),
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["username"]:
            from corridor.accounts.models import Role, User

            actor = User.objects.filter(username=options["username"]).first()
            if actor is None or not actor.has_role(Role.COORDINATOR):
                raise CommandError(
                    _("%(u)s is not an active coordinator of this node.")
                    % {"u": options["username"]}
                )
        report = importers.import_file(
            actor=actor, content=path.read_bytes(), filename=path.name, form_id=options["form"]
        )
        self.stdout.write(report.as_text())
        if report.errors:
            raise CommandError(report.refused_text())
