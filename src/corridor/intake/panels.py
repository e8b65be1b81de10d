"""Menu entries and home panels of intake: the hand-offs waiting for the agency on duty, the
coordinator's clock and hotline counts, the call-taker's open intakes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import BORDER, HomePanel, MenuItem, register_menu, register_panel
from corridor.intake import stats
from corridor.intake.models import HANDOFF_HOURS, Channel, Intake
from corridor.intake.selectors import (
    DUTY_KEEPERS,
    HANDOFF_READERS,
    INTAKE_READERS,
    RECEIVERS,
    visible_intakes,
    waiting_handoffs,
)


def _waiting(request) -> dict:
    """The receiving agency's hand-offs to act on; for a border officer, those their post sent
    that nobody has taken up yet (the clock still runs)."""
    waiting = list(waiting_handoffs(request.user)[:8])
    sent = request.user.role == Role.BORDER_OFFICER
    return {"waiting": waiting, "limit": HANDOFF_HOURS, "sent": sent}


def _coordinator(request) -> dict:
    waiting = list(waiting_handoffs(request.user))
    intakes = stats.intake_figures()
    channels = dict(Channel.choices)
    outcomes = {**dict(Intake.Outcome.choices), "open": _("Open")}
    return {
        "handoffs": stats.handoff_figures(),
        "overdue": [h for h in waiting if h.overdue][:8],
        "limit": HANDOFF_HOURS,
        "outcomes": list(outcomes.values()),
        "intake_rows": [
            (channels[c], [row.get(o, 0) for o in outcomes], sum(row.values()))
            for c, row in intakes["by_channel_and_outcome"].items()
        ],
    }


def _open_intakes(request) -> dict:
    intakes = visible_intakes(request.user).exclude(status=Intake.Status.CLOSED)
    return {"open_intakes": list(intakes[:8]), "open_count": intakes.count()}


def register() -> None:
    register_menu(
        MenuItem(_("Hand-offs"), "intake:handoffs", frozenset(HANDOFF_READERS), 35, group=BORDER)
    )
    register_menu(
        MenuItem(_("Hotline"), "intake:list", frozenset(INTAKE_READERS), 36, group=BORDER)
    )
    register_menu(
        MenuItem(_("Agencies on duty"), "intake:duty", frozenset(DUTY_KEEPERS), 37, group=BORDER)
    )
    register_panel(
        HomePanel(
            "intake/panel_waiting.html",
            frozenset({*RECEIVERS, Role.BORDER_OFFICER}),
            _waiting,
            3,
        )
    )
    register_panel(
        HomePanel("intake/panel_coordinator.html", frozenset({Role.COORDINATOR}), _coordinator, 4)
    )
    register_panel(
        HomePanel(
            "intake/panel_intakes.html", frozenset({Role.CALL_TAKER, *RECEIVERS}), _open_intakes, 6
        )
    )
