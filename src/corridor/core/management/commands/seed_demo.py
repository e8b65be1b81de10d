from django.core.management.base import BaseCommand

from corridor.core.seeding import run_seeders


class Command(BaseCommand):
    help = "Seed this node with the demo's synthetic agencies, staff and records (idempotent)."

    def handle(self, *args, **options):
        run_seeders(report=self.stdout.write)
