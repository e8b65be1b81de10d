from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.tracing.services import DUPLICATE_THRESHOLD, duplicates_find


class Command(BaseCommand):
    help = _(
        "Score every pair of registered people that share a block and store the likely "
        "duplicates for review (idempotent; run it nightly)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--threshold",
            type=float,
            default=DUPLICATE_THRESHOLD,
            help="Store pairs at or above this match probability (0 to 1).",
        )

    def handle(self, *args, threshold: float, **options):
        if not 0.0 <= threshold <= 1.0:
            raise CommandError("--threshold must be between 0 and 1")
        counts = duplicates_find(threshold=threshold)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
