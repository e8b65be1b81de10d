"""Menu entries and home panels of reports and publication."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import FIGURES, HomePanel, MenuItem, register_menu, register_panel
from corridor.reports.selectors import (
    PUBLICATION_READERS,
    PUBLISHERS,
    REPORT_READERS,
    TRAINING_MANAGERS,
    visible_publications,
)


def _published(request) -> dict:
    return {"publications": list(visible_publications(request.user)[:6])}


def _caseloads(request) -> dict:
    """The node's persons on the move by caseload and its smuggled migrants (what
    ``corridor stats caseloads`` prints), for the coordinator."""
    from corridor.reports import caseloads

    return caseloads.dashboard(caseloads.node_caseloads(), caseloads.node_smuggling())


def register() -> None:
    register_menu(
        MenuItem(_("Indicators"), "reports:index", REPORT_READERS, order=70, group=FIGURES)
    )
    register_menu(
        MenuItem(_("Trainings"), "reports:training", TRAINING_MANAGERS, order=71, group=FIGURES)
    )
    register_menu(MenuItem(_("Publish"), "reports:publish", PUBLISHERS, order=72, group=FIGURES))
    register_menu(
        MenuItem(
            _("Published statistics"),
            "reports:published",
            PUBLICATION_READERS,
            order=73,
            group=FIGURES,
        )
    )
    register_panel(
        HomePanel(
            "reports/panel_caseloads.html", frozenset({Role.COORDINATOR}), _caseloads, order=5
        )
    )
    register_panel(
        HomePanel("reports/panel_published.html", frozenset({Role.PARTNER}), _published, order=1)
    )
