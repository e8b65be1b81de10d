"""Re-key the audit chain once: from bare SHA-256 to HMAC-SHA256 under the node's audit secret.

The existing chain is verified first, as ``audit verify`` did before this release; if it is
already broken the migration stops and names the entry (re-keying would launder the break):
restore the audit table from a backup, or investigate, before upgrading. The hash functions are
frozen here, as they were when this migration was written.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations

GENESIS = "0" * 64
BATCH = 2000


def _payload(entry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "summary": entry.summary,
        "detail": entry.detail,
        "ip": entry.ip,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key_the_chain(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    if not AuditEntry.objects.exists():
        return
    key = settings.NODE.secret("audit").encode()
    expected_seq, legacy_prev, keyed_prev = 1, GENESIS, GENESIS
    while batch := list(AuditEntry.objects.filter(seq__gte=expected_seq).order_by("seq")[:BATCH]):
        for entry in batch:
            expected_seq, legacy_prev, keyed_prev = _rekey(
                entry, key, expected_seq, legacy_prev, keyed_prev
            )
        AuditEntry.objects.bulk_update(batch, ["prev_hash", "hash"])


def _rekey(entry, key, expected_seq, legacy_prev, keyed_prev):
    legacy = hashlib.sha256((legacy_prev + _payload(entry)).encode()).hexdigest()
    if entry.seq != expected_seq or entry.prev_hash != legacy_prev or entry.hash != legacy:
        raise RuntimeError(
            f"The audit chain is already broken at entry #{expected_seq} (before it was "
            "keyed): restore the audit table from a backup or investigate before upgrading; "
            "see docs/operations.md."
        )
    entry.prev_hash = keyed_prev
    entry.hash = hmac.new(key, (keyed_prev + _payload(entry)).encode(), hashlib.sha256).hexdigest()
    return entry.seq + 1, legacy, entry.hash


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(key_the_chain, migrations.RunPython.noop)]
