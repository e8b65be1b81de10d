"""``corridor audit verify`` and ``corridor audit checkpoint``: the node's audit chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.audit import checkpoint
from corridor.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Audit log tools: `verify` checks the keyed chain and the last checkpoint, names the "
        "first broken entry, and checkpoints an intact head; `checkpoint` only writes the "
        "checkpoint of the head (for a scheduler)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def handle(self, *args, action, **options):
        if action == "checkpoint":
            written = checkpoint.write_head()
            if written is None:
                raise CommandError(
                    _(
                        "No checkpoint written: the chain is empty, or the last checkpoint does "
                        "not match it any more (run `corridor audit verify`)."
                    )
                )
            self.stdout.write(
                _("Audit chain checkpointed at #%(seq)s in %(path)s.")
                % {"seq": written["seq"], "path": checkpoint.path()}
            )
            return
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                _("Audit chain BROKEN after %(n)s intact entries: %(problem)s")
                % {"n": report.checked, "problem": report.problem}
            )
        self.stdout.write(_("Audit chain intact: %(n)s entries verified.") % {"n": report.checked})
