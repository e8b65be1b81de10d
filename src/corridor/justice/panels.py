"""What justice adds to other pages: the menu entry, and on a protection case's page the dates
that concern its victim (next hearing, outcome, support), never the criminal file."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import MenuItem, register_menu
from corridor.core.page_panels import Panel
from corridor.justice.selectors import JUSTICE_ROLES, victim_dates


def _victim_panel(request, case) -> dict | None:
    """The case page has already read ``case`` through its own selector; nothing shows when the
    victim is linked to no criminal case."""
    dates = victim_dates(case)
    return {"proceedings": dates} if dates else None


def register() -> None:
    from corridor.cases.registry import register_case_panel

    register_menu(MenuItem(_("Criminal cases"), "justice:list", frozenset(JUSTICE_ROLES), order=45))
    register_menu(
        MenuItem(
            _("GLOTIP tables"),
            "justice:glotip",
            frozenset({Role.COORDINATOR, *JUSTICE_ROLES}),
            order=46,
        )
    )
    register_case_panel(
        "justice", Panel(template="justice/_case_panel.html", context=_victim_panel, order=60)
    )
