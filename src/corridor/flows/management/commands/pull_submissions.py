"""``corridor pull_submissions --central URL --project P --form F --email E --secret-file S``
or ``--kobo URL --asset A --secret-file S``: read a form's submissions from ODK Central or
KoboToolbox through their REST APIs and import them (see ``corridor.flows.remote``). Run it on a
schedule (cron or a systemd timer, see docs/flows.md); interrupting it is safe and rerunning it
imports nothing twice."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.flows import remote


class Command(BaseCommand):
    help = _("Pull field submissions from ODK Central or KoboToolbox and import them.")

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--central", metavar="URL", help=_("ODK Central server address"))
        where.add_argument("--kobo", metavar="URL", help=_("KoboToolbox server address"))
        parser.add_argument("--project", default="", help=_("Central project id"))
        parser.add_argument("--asset", default="", help=_("Kobo asset uid"))
        parser.add_argument("--form", required=True, help=_("Form id (the XLSForm's form_id)"))
        parser.add_argument("--email", default="", help=_("Central account e-mail"))
        parser.add_argument(
            "--secret-file",
            type=Path,
            required=True,
            help=_("File holding the Central password or the Kobo API token (mode 0600)"),
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="",
            help=_("Import as this coordinator (needed to hand HTCDS submissions over to cases)."),
        )

    def handle(self, *args, **options):
        try:
            secret = remote.read_secret(options["secret_file"])
        except remote.RemoteError as exc:
            raise CommandError(str(exc)) from exc
        central = options["central"]
        source = remote.Source(
            kind="central" if central else "kobo",
            url=central or options["kobo"],
            form=options["form"],
            secret=secret,
            project=options["project"],
            asset=options["asset"],
            email=options["email"],
        )
        if central and not (source.project and source.email):
            raise CommandError(_("ODK Central needs --project and --email."))
        if not central and not source.asset:
            raise CommandError(_("KoboToolbox needs --asset."))
        actor = None
        if options["username"]:
            from corridor.accounts.models import Role, User

            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None or not actor.has_role(Role.COORDINATOR):
                raise CommandError(
                    _("%(u)s is not an active coordinator of this node.")
                    % {"u": options["username"]}
                )

        def progress(report: remote.PullReport) -> None:
            self.stderr.write(
                _("page %(p)s: %(s)s submissions read")
                % {"p": report.pages, "s": report.submissions}
            )

        try:
            report = remote.pull(actor=actor, source=source, progress=progress)
        except remote.RemoteError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.as_text())
        if report.report.errors:
            raise CommandError(report.report.refused_text())
