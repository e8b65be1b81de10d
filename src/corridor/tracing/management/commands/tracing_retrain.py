from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.tracing.services import match_model_retrain


class Command(BaseCommand):
    help = _(
        "Re-fit the node's match model on the reviewers' decisions and store it as a new "
        "version, with its cross-validated numbers; a national coordinator puts it in force."
    )

    def handle(self, *args, **options):
        try:
            version = match_model_retrain(actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"version={version.pk} matches={version.matches} non_matches={version.non_matches} "
            f"folds={version.folds} accuracy={version.accuracy} f1={version.f1} "
            f"log_loss={version.log_loss} in_force_accuracy={version.baseline_accuracy} "
            f"in_force_f1={version.baseline_f1} in_force_log_loss={version.baseline_log_loss}"
        )
