"""``corridor audit verify``: check the node's audit chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools: `verify` checks the hash chain and names the first broken entry."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                _("Audit chain BROKEN after %(n)s intact entries: %(problem)s")
                % {"n": report.checked, "problem": report.problem}
            )
        self.stdout.write(_("Audit chain intact: %(n)s entries verified.") % {"n": report.checked})
