from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.core.numbers import decimal
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
            help=_("Store pairs at or above this match probability (0 to 1)."),
        )

    def handle(self, *args, threshold: float, **options):
        if not 0.0 <= threshold <= 1.0:
            raise CommandError(_("--threshold must be between 0 and 1."))
        counts = duplicates_find(threshold=threshold)
        new = counts["new_candidates"]
        self.stdout.write(
            ngettext(
                "%(pairs)s pairs of the %(people)s people registered scored; %(new)s new possible "
                "duplicate to review.",
                "%(pairs)s pairs of the %(people)s people registered scored; %(new)s new possible "
                "duplicates to review.",
                new,
            )
            % {
                "pairs": decimal(counts["pairs_scored"], 0),
                "people": decimal(counts["people"], 0),
                "new": decimal(new, 0),
            }
        )
