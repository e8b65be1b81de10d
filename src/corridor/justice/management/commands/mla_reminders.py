"""``corridor mla_reminders --node N``: remind the people concerned of cross-border requests
whose deadline is near or has passed (run it daily, e.g. from cron; idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.justice.mla import mla_reminders


class Command(BaseCommand):
    help = _("Remind the authors and prosecutors of cross-border requests whose deadline nears.")

    def handle(self, *args, **options):
        sent = mla_reminders()
        self.stdout.write(
            ngettext("%(n)s reminder sent.", "%(n)s reminders sent.", sent) % {"n": sent}
        )
