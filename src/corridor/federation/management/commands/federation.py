"""``corridor federation …``: identity, peers, keys, status, delivery and sealed files."""

from __future__ import annotations

import json
import sys
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.federation import identity
from corridor.federation.delivery import deliver_due
from corridor.federation.models import (
    InboundMessage,
    KeyStatus,
    NodeKey,
    OutboundMessage,
    Peer,
)
from corridor.federation.peers import identity_rotate, keys_retire, peer_register
from corridor.federation.sealed import sealed_export, sealed_import


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text()
    except OSError as exc:
        raise CommandError(_("Cannot read %(p)s: %(e)s") % {"p": path, "e": exc}) from None


def _write(path: str | None, data: dict, stdout) -> None:
    text = json.dumps(data, indent=1, ensure_ascii=False)
    if not path or path == "-":
        stdout.write(text)
    else:
        Path(path).write_text(text + "\n")


def reachable(peer: Peer) -> str:
    try:
        with urllib.request.urlopen(peer.url.rstrip("/") + "/federation/hello/", timeout=3) as r:
            data = json.loads(r.read())
    except (OSError, ValueError) as exc:
        return _("unreachable (%(e)s)") % {"e": exc.__class__.__name__}
    known = set(peer.keys.exclude(status=KeyStatus.RETIRED).values_list("kid", flat=True))
    if data.get("node") != peer.name:
        return _("reachable, but it says it is «%(n)s»") % {"n": data.get("node")}
    if not set(data.get("keys", [])) & known:
        return _("reachable, but none of its keys is registered here")
    return _("reachable")


class Command(BaseCommand):
    help = _("Federation: identity, peers, key rotation, status, delivery and sealed files.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("identity", help="print this node's public identity (JSON)")
        p.add_argument("--url", default="", help="the address the peer will reach this node at")
        p.add_argument("--out", default=None)
        p = sub.add_parser("add-peer", help="register a peer from its identity file")
        p.add_argument("file")
        sub.add_parser("status", help="peers, fingerprints, reachability, outbox and inbox")
        sub.add_parser("rotate-keys", help="new key pairs; the old ones retire gracefully")
        p = sub.add_parser("retire-keys", help="retire keys retiring for longer than --days")
        p.add_argument("--days", type=float, default=None)
        sub.add_parser("deliver", help="one delivery pass over the outbox")
        p = sub.add_parser("worker", help="run the delivery loop in the foreground")
        p.add_argument("--poll", type=float, default=1.0)
        p = sub.add_parser("export-sealed", help="seal the waiting messages for a peer to a file")
        p.add_argument("--peer", required=True)
        p.add_argument("--out", required=True)
        p = sub.add_parser("import-sealed", help="import a sealed file (or a receipts file)")
        p.add_argument("file")
        p.add_argument("--receipts-out", default=None)

    def handle(self, *args, action, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None

    def do_identity(self, *, url, out, **_options):
        _write(out, identity.exported_identity(url), self.stdout)

    def do_add_peer(self, *, file, **_options):
        peer = peer_register(actor=None, data=_read(file))
        self.stdout.write(_("Peer %(p)s registered at %(u)s.") % {"p": peer.name, "u": peer.url})
        for key in peer.keys.exclude(status=KeyStatus.RETIRED):
            self.stdout.write(f"  {key.use} {key.kid} ({key.status})")
        self.stdout.write(_("Compare these fingerprints with the peer's administrator."))

    def do_status(self, **_options):
        identity.ensure_identity()
        self.stdout.write(
            _("Node %(n)s (%(c)s)") % {"n": settings.NODE_NAME, "c": settings.NODE_COUNTRY}
        )
        for key in NodeKey.objects.exclude(status=KeyStatus.RETIRED):
            self.stdout.write(f"  {key.use} {key.kid} ({key.status})")
        peers = list(Peer.objects.all())
        if not peers:
            self.stdout.write(_("No peer registered."))
        for peer in peers:
            out = OutboundMessage.objects.filter(peer=peer)
            self.stdout.write(
                _("Peer %(p)s at %(u)s: %(r)s")
                % {"p": peer.name, "u": peer.url, "r": reachable(peer)}
            )
            for key in peer.keys.exclude(status=KeyStatus.RETIRED):
                self.stdout.write(f"  {key.use} {key.kid} ({key.status})")
            delivered = out.filter(state=OutboundMessage.State.DELIVERED).count()
            rejected = out.filter(state=OutboundMessage.State.REJECTED).count()
            received = InboundMessage.objects.filter(peer=peer).count()
            self.stdout.write(
                "  "
                + _("outbox: %(p)s waiting, %(delivered)s, %(rejected)s; inbox: %(received)s")
                % {
                    "p": out.filter(state=OutboundMessage.State.PENDING).count(),
                    "delivered": ngettext("%(n)s delivered", "%(n)s delivered", delivered)
                    % {"n": delivered},
                    "rejected": ngettext("%(n)s rejected", "%(n)s rejected", rejected)
                    % {"n": rejected},
                    "received": ngettext("%(n)s received", "%(n)s received", received)
                    % {"n": received},
                }
            )

    def do_rotate_keys(self, **_options):
        new = identity_rotate(actor=None)
        for key in new.values():
            self.stdout.write(f"  {key.use} {key.kid} (active)")
        self.stdout.write(_("Old keys are retiring; the peers are sent the new public keys."))

    def do_retire_keys(self, *, days, **_options):
        older = timedelta(days=days) if days is not None else None
        count = keys_retire(actor=None, older_than=older)
        self.stdout.write(
            ngettext("%(n)s key retired.", "%(n)s keys retired.", count) % {"n": count}
        )

    def do_deliver(self, **_options):
        self.stdout.write(json.dumps(deliver_due()))

    def do_worker(self, *, poll, **_options):
        import threading

        from corridor.federation.worker import run_forever

        try:
            run_forever(threading.Event(), poll=poll)
        except KeyboardInterrupt:
            pass

    def do_export_sealed(self, *, peer, out, **_options):
        target = Peer.objects.filter(name=peer).first()
        if target is None:
            raise CommandError(_("No peer named %(p)s.") % {"p": peer})
        data = sealed_export(actor=None, peer=target)
        _write(out, data, self.stdout)
        self.stdout.write(
            ngettext(
                "%(n)s message sealed to %(f)s.",
                "%(n)s messages sealed to %(f)s.",
                len(data["messages"]),
            )
            % {"n": len(data["messages"]), "f": out}
        )

    def do_import_sealed(self, *, file, receipts_out, **_options):
        result = sealed_import(actor=None, data=_read(file))
        receipts = result.pop("receipts", None)
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if receipts is not None:
            out = receipts_out or str(Path(file).with_suffix("")) + ".receipts.json"
            _write(out, receipts, self.stdout)
            self.stdout.write(_("Receipts written to %(f)s: carry them back.") % {"f": out})
