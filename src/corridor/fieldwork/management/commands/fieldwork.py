"""``corridor fieldwork xlsform --out DIR``: the follow-up visit XLSForm for ODK Collect and
KoboCollect; ``corridor fieldwork push-entities --central URL --project P --email E
--secret-file S``: the entity list of open children's cases on ODK Central (see
``corridor.fieldwork.odk`` and docs/fieldwork.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.fieldwork import odk
from corridor.flows import remote
from corridor.flows.xlsforms import write_xlsform


class Command(BaseCommand):
    help = _("Field work with ODK: the follow-up visit XLSForm and the entity list of cases.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        form = sub.add_parser("xlsform", help=_("write the follow-up visit XLSForm"))
        form.add_argument("--out", type=Path, required=True)
        push = sub.add_parser("push-entities", help=_("update the entity list on ODK Central"))
        push.add_argument("--central", required=True, metavar="URL")
        push.add_argument("--project", required=True)
        push.add_argument("--email", required=True)
        push.add_argument("--secret-file", type=Path, required=True)

    def handle(self, *args, action: str, **options):
        if action == "xlsform":
            path = write_xlsform(odk.follow_up_form(), options["out"] / f"{odk.FORM_ID}.xlsx")
            self.stdout.write(str(path))
            return
        try:
            source = remote.Source(
                kind="central",
                url=options["central"],
                form=odk.FORM_ID,
                secret=remote.read_secret(options["secret_file"]),
                project=options["project"],
                email=options["email"],
            )
            counts = odk.entities_push(source=source)
        except remote.RemoteError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("entities: %(created)s, %(updated)s, %(unchanged)s")
            % {
                "created": ngettext("%(n)s created", "%(n)s created", counts["created"])
                % {"n": counts["created"]},
                "updated": ngettext("%(n)s updated", "%(n)s updated", counts["updated"])
                % {"n": counts["updated"]},
                "unchanged": ngettext("%(n)s unchanged", "%(n)s unchanged", counts["unchanged"])
                % {"n": counts["unchanged"]},
            }
        )
