from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.core.seeding import run_seeders


class Command(BaseCommand):
    help = _("Seed this node with the demo's synthetic agencies, staff and records (idempotent).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--federated",
            action="store_true",
            help="Seed what needs the other node as a peer (run once the nodes are federated).",
        )

    def handle(self, *args, **options):
        try:
            run_seeders(report=self.stdout.write, federated=options["federated"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
