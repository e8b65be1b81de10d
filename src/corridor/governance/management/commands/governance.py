"""``corridor governance share-figures --node NODE [--as USERNAME]``: record this node's
k-anonymous figures and send them to every active peer (schedule it weekly with cron or a
systemd timer; coordinators also send them on demand from the joint page).
``corridor governance send-pending --node NODE``: send the committee meetings recorded before a
peer was registered, and the figures (the demo runs it once both nodes are federated).
``corridor governance compute-logframe --node NODE --year YEAR``: store the logframe values
computed from the records."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from corridor.accounts.models import Role, User
from corridor.core.numbers import in_a_list


def _coordinator(username: str | None):
    users = User.objects.filter(is_active=True, role=Role.COORDINATOR)
    if username:
        users = users.filter(username=username)
    else:
        users = users.filter(agency__country=settings.NODE_COUNTRY).order_by("pk")
    user = users.first()
    if user is None or not user.has_role(Role.COORDINATOR):
        raise CommandError(_("No active national coordinator of this node to act as."))
    return user


class Command(BaseCommand):
    help = _("Governance tasks: share the joint figures, compute the logframe values.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        share = sub.add_parser("share-figures", help=_("record and send this node's figures"))
        share.add_argument("--as", dest="username", help=_("the coordinator acting"))
        pending = sub.add_parser(
            "send-pending",
            help=_("send the figures and the committee meetings the peers have not received"),
        )
        pending.add_argument("--as", dest="username", help=_("the coordinator acting"))
        compute = sub.add_parser("compute-logframe", help=_("compute the logframe values"))
        compute.add_argument("--year", type=int, default=None)
        compute.add_argument("--as", dest="username", help=_("the coordinator acting"))

    def handle(self, *args, action, username=None, year=None, **options):
        from corridor.federation.models import Peer
        from corridor.federation.peers import node_label
        from corridor.governance import joint, logframe

        actor = _coordinator(username)
        try:
            if action == "share-figures":
                peers = list(Peer.objects.filter(is_active=True))
                own = joint.figures_share(actor=actor, peers=peers)
                self.stdout.write(
                    ngettext(
                        "%(n)s figure recorded and sent to: %(peers)s.",
                        "%(n)s figures recorded and sent to: %(peers)s.",
                        len(own.sections),
                    )
                    % {
                        "n": len(own.sections),
                        "peers": ", ".join(node_label(p) for p in peers) or "—",
                    }
                )
            elif action == "send-pending":
                from corridor.federation.models import OutboundMessage
                from corridor.governance import framework

                peers = list(Peer.objects.filter(is_active=True))
                sent = framework.pending_send(actor=actor, peers=peers)
                # Figures only to a peer that never had any: running it again sends nothing.
                unfed = [
                    p
                    for p in peers
                    if not OutboundMessage.objects.filter(peer=p, type=joint.FIGURES_TYPE).exists()
                ]
                if unfed:
                    joint.figures_share(actor=actor, peers=unfed)
                figures = (
                    ngettext(
                        "figures sent to the node %(peers)s",
                        "figures sent to the nodes %(peers)s",
                        len(unfed),
                    )
                    % {"peers": ", ".join(node_label(p) for p in unfed)}
                    if unfed
                    else _("figures already shared")
                )
                meetings = ngettext(
                    "%(n)s committee meeting sent", "%(n)s committee meetings sent", sent
                ) % {"n": sent}
                self.stdout.write(in_a_list([meetings, figures]) + ".")
            elif action == "compute-logframe":
                year = year or timezone.localdate().year
                n = logframe.values_compute(actor=actor, year=year)
                self.stdout.write(
                    ngettext(
                        "%(n)s value computed for %(year)s.",
                        "%(n)s values computed for %(year)s.",
                        n,
                    )
                    % {"n": n, "year": year}
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
