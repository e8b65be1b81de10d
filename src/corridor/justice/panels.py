"""What justice adds to other pages: the menu entry, and on a protection case's page the dates
that concern its victim (next hearing, outcome, support), never the criminal file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import JUSTICE, HomePanel, MenuItem, register_menu, register_panel
from corridor.core.page_panels import Panel
from corridor.justice.selectors import JUSTICE_ROLES, victim_dates


def _victim_panel(request, case) -> dict | None:
    """The case page has already read ``case`` through its own selector; nothing shows when the
    victim is linked to no criminal case."""
    dates = victim_dates(case)
    return {"proceedings": dates} if dates else None


def _mla_panel(request) -> dict:
    """The open requests this user reads, nearest deadline first, and their unread reminders."""
    from django.utils import timezone

    from corridor.flows.models import Notification
    from corridor.justice.models import MLA_OPEN, MlaStatus
    from corridor.justice.selectors import visible_mla_requests

    requests = visible_mla_requests(request.user).filter(status__in=[MlaStatus.DRAFT, *MLA_OPEN])
    reminders = Notification.objects.filter(
        recipient=request.user, alert__isnull=True, read_at__isnull=True
    )
    return {
        "requests": list(requests.order_by("deadline")[:6]),
        "reminders": list(reminders[:5]),
        "today": timezone.localdate(),
    }


def register() -> None:
    from corridor.cases.registry import register_case_panel

    register_menu(
        MenuItem(
            _("Criminal cases"), "justice:list", frozenset(JUSTICE_ROLES), order=45, group=JUSTICE
        )
    )
    register_menu(
        MenuItem(
            _("GLOTIP tables"),
            "justice:glotip",
            frozenset({Role.COORDINATOR, *JUSTICE_ROLES}),
            order=46,
            group=JUSTICE,
        )
    )
    register_menu(
        MenuItem(
            _("Cross-border requests"),
            "justice:mla_list",
            frozenset(JUSTICE_ROLES),
            order=47,
            group=JUSTICE,
        )
    )
    register_panel(HomePanel("justice/_mla_panel.html", frozenset(JUSTICE_ROLES), _mla_panel, 25))
    register_case_panel(
        "justice", Panel(template="justice/_case_panel.html", context=_victim_panel, order=60)
    )
