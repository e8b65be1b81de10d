"""Menu entries and the home panel of referrals (the in-country panel is the case panels')."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.core.navigation import PROTECTION, HomePanel, MenuItem, register_menu, register_panel


def _cross_border(request) -> dict:
    from corridor.referrals.selectors import visible_cross_border_referrals, waiting_decision

    waiting = waiting_decision(request.user)
    return {
        "waiting_count": waiting.count(),
        "waiting": list(waiting[:5]),
        "recent": list(
            visible_cross_border_referrals(request.user).exclude(pk__in=waiting.values("pk"))[:5]
        ),
    }


def register() -> None:
    from corridor.cases.selectors import CASE_ROLES
    from corridor.referrals.selectors import CROSS_BORDER_ROLES

    register_menu(
        MenuItem(
            _("Referrals"), "referrals:list", frozenset(CASE_ROLES), order=30, group=PROTECTION
        )
    )
    register_menu(
        MenuItem(
            _("Cross-border"),
            "referrals:cross_border_list",
            frozenset(CROSS_BORDER_ROLES),
            order=45,
            group=PROTECTION,
        )
    )
    register_panel(
        HomePanel(
            "referrals/cross_border_panel.html",
            frozenset(CROSS_BORDER_ROLES),
            _cross_border,
            order=35,
        )
    )
