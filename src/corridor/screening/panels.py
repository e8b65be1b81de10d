"""Menu entry and home panel of screening."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.core.navigation import PROTECTION, HomePanel, MenuItem, register_menu, register_panel
from corridor.screening.selectors import SCREENERS, visible_screenings


def _recent(request) -> dict:
    return {"screenings": list(visible_screenings(request.user)[:5])}


def register() -> None:
    from corridor.cases.registry import register_case_panel, register_timeline_source
    from corridor.core.page_panels import Panel

    register_menu(
        MenuItem(_("Screening"), "screening:list", frozenset(SCREENERS), order=15, group=PROTECTION)
    )
    register_panel(HomePanel("screening/panel.html", frozenset(SCREENERS), _recent, 15))
    register_case_panel("screening", Panel("screening/_case_panel.html", case_screenings, order=5))
    register_timeline_source("screening", case_timeline)


def case_screenings(request, case) -> dict | None:
    """The case page's screenings of its person (those this user may see), each with its
    proposed status and whether it already waits for a decision on the case."""
    from corridor.cases.selectors import can_manage

    screenings = list(visible_screenings(request.user).filter(case=case).select_related("approval"))
    if not screenings:
        return None
    return {"screenings": screenings, "can_manage": can_manage(request.user, case)}


def case_timeline(request, case) -> list[dict]:
    return [
        {
            "date": s.screened_on,
            "kind": "screening",
            "text": _("Screening: %(q)s, score %(s)s")
            % {"q": s.get_questionnaire_display(), "s": s.score},
        }
        for s in visible_screenings(request.user).filter(case=case)
    ]
