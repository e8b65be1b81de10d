from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from corridor.core.seeding import run_seeders


class Command(BaseCommand):
    help = "Seed this node with the demo's synthetic agencies, staff and records (idempotent)."

    def handle(self, *args, **options):
        try:
            run_seeders(report=self.stdout.write)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
