"""``corridor crypto new-key`` and ``corridor crypto rotate --node N``: field keys."""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from corridor.audit.models import Action
from corridor.audit.services import audit_record, node_text
from corridor.core.crypto import rotate_encrypted_fields


class Command(BaseCommand):
    help = _(
        "Field encryption keys: `new-key` prints a new key to put first in CORRIDOR_FIELD_KEYS; "
        "`rotate` re-encrypts every encrypted field under the first key (safe to interrupt and "
        "run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["new-key", "rotate"])
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, action, batch_size, **options):
        if action == "new-key":
            self.stdout.write(Fernet.generate_key().decode())
            return

        def progress(label: str, seen: int, total: int) -> None:
            self.stdout.write(
                _("%(model)s: %(seen)s / %(total)s rows")
                % {"model": label, "seen": seen, "total": total}
            )

        done = rotate_encrypted_fields(batch_size=max(1, batch_size), report=progress)
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="core.fieldkeys",
            username="operator",
            summary=node_text(gettext_noop("encrypted fields re-encrypted under the newest key")),
            detail=done,
        )
        self.stdout.write(
            ngettext(
                "Re-encrypted %(n)s value under the newest key.",
                "Re-encrypted %(n)s values under the newest key.",
                sum(done.values()),
            )
            % {"n": sum(done.values())}
        )
