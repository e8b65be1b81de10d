"""``corridor audit verify [--against SEQ:HASH]``, ``corridor audit checkpoint`` and
``corridor audit checkpoints`` (the peer's checkpoints kept here): the node's audit chain."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from corridor.audit import checkpoint
from corridor.audit.models import PeerCheckpoint
from corridor.audit.services import audit_verify, audit_verify_against


class Command(BaseCommand):
    help = _(
        "Audit log tools: `verify` checks the keyed chain and the last checkpoint, names the "
        "first broken entry, and checkpoints an intact head; `checkpoint` only writes the "
        "checkpoint of the head (for a scheduler); `checkpoints` lists the checkpoints of the "
        "peer node's chain that the peer sent here; `verify --against SEQ:HASH` also holds this "
        "chain against one such checkpoint, read on the peer node."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "checkpoint", "checkpoints"])
        parser.add_argument("--against", default="", metavar="SEQ:HASH")

    def handle(self, *args, action, against="", **options):
        if action == "checkpoints":
            for held in PeerCheckpoint.objects.all()[:20]:
                self.stdout.write(f"{held.peer} {held.seq}:{held.hash} {held.at}")
            return
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
        if against:  # first: a failed verify must not checkpoint the forged head
            seq, _sep, digest = against.partition(":")
            if not seq.isdigit() or len(digest) != 64:
                raise CommandError(_("--against takes SEQ:HASH, as `audit checkpoints` prints it."))
            held = audit_verify_against(seq=int(seq), hash=digest)
            if not held.ok:
                raise CommandError(_("Audit chain BROKEN: %(problem)s") % {"problem": held.problem})
        report = audit_verify()
        if not report.ok:
            raise CommandError(
                _("Audit chain BROKEN after %(n)s intact entries: %(problem)s")
                % {"n": report.checked, "problem": report.problem}
            )
        self.stdout.write(_("Audit chain intact: %(n)s entries verified.") % {"n": report.checked})
