"""Menu entry and home panel of screening."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.core.navigation import HomePanel, MenuItem, register_menu, register_panel
from corridor.screening.selectors import SCREENERS, visible_screenings


def _recent(request) -> dict:
    return {"screenings": list(visible_screenings(request.user)[:5])}


def register() -> None:
    register_menu(MenuItem(_("Screening"), "screening:list", frozenset(SCREENERS), order=15))
    register_panel(HomePanel("screening/panel.html", frozenset(SCREENERS), _recent, 15))
