"""Menu entries and home panels of flow monitoring."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import BORDER, HomePanel, MenuItem, register_menu, register_panel
from corridor.flows.selectors import (
    COUNT_WRITERS,
    FLOW_READERS,
    visible_daily,
    visible_notifications,
    writable_points,
)


def _notifications(request) -> dict:
    return {"notifications": list(visible_notifications(request.user).filter(read_at=None)[:6])}


def _flows(request) -> dict:
    today = timezone.localdate()
    week = visible_daily(request.user).filter(day__gt=today - timedelta(days=7))
    return {
        "week_total": week.aggregate(n=Sum("persons"))["n"] or 0,
        "week_children": week.aggregate(n=Sum("children"))["n"] or 0,
        "can_enter": request.user.role in COUNT_WRITERS and writable_points(request.user).exists(),
    }


def register() -> None:
    register_menu(
        MenuItem(_("Flows"), "flows:dashboard", frozenset(FLOW_READERS), order=40, group=BORDER)
    )
    register_menu(
        MenuItem(
            _("Daily counts"),
            "flows:sheet_list",
            frozenset({Role.BORDER_OFFICER}),
            order=41,
            group=BORDER,
        )
    )
    register_menu(
        MenuItem(
            _("Field submissions"),
            "flows:submissions",
            frozenset({Role.COORDINATOR}),
            42,
            group=BORDER,
        )
    )
    register_panel(
        HomePanel("flows/panel_alerts.html", frozenset({Role.COORDINATOR}), _notifications, 5)
    )
    register_panel(HomePanel("flows/panel_flows.html", frozenset(FLOW_READERS), _flows, 20))
