"""``corridor flow_alerts --node NODE [--days N]``: run anomaly detection over recent sheets."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.flows.services.alerts import flow_alerts_scan


class Command(BaseCommand):
    help = _("Detect unusual counts of unaccompanied children and notify coordinators.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        end = timezone.localdate()
        raised = flow_alerts_scan(actor=None, start=end - timedelta(days=options["days"]), end=end)
        self.stdout.write(ngettext("%(n)s new alert.", "%(n)s new alerts.", raised) % {"n": raised})
