"""Menu entries of governance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.core.navigation import (
    ADMINISTRATION,
    FIGURES,
    HomePanel,
    MenuItem,
    register_menu,
    register_panel,
)
from corridor.governance.framework import FRAMEWORK_READERS, late_items
from corridor.governance.joint import JOINT_READERS
from corridor.governance.logframe import RESULTS_READERS
from corridor.governance.selectors import ADMINISTRATORS, AGREEMENT_READERS, COORDINATORS


def _late(request) -> dict:
    late = late_items(request.user)
    return {**late, "activities": late["activities"][:5], "decisions": late["decisions"][:5]}


def register() -> None:
    register_menu(
        MenuItem(
            _("Agreements"),
            "governance:agreements",
            AGREEMENT_READERS,
            order=80,
            group=ADMINISTRATION,
        )
    )
    register_menu(
        MenuItem(_("Joint picture"), "governance:joint", JOINT_READERS, order=79, group=FIGURES)
    )
    register_menu(
        MenuItem(
            _("Retention"), "governance:retention", ADMINISTRATORS, order=81, group=ADMINISTRATION
        )
    )
    register_menu(
        MenuItem(
            _("Processing and breaches"),
            "governance:register",
            ADMINISTRATORS,
            order=82,
            group=ADMINISTRATION,
        )
    )
    register_menu(
        MenuItem(
            _("Data-subject requests"),
            "governance:requests",
            COORDINATORS,
            order=83,
            group=ADMINISTRATION,
        )
    )
    register_menu(
        MenuItem(_("Results framework"), "governance:results", RESULTS_READERS, 77, group=FIGURES)
    )
    register_menu(
        MenuItem(
            _("Action plans and committee"),
            "governance:framework",
            FRAMEWORK_READERS,
            78,
            group=FIGURES,
        )
    )
    register_panel(
        HomePanel("governance/panel_late.html", frozenset({Role.COORDINATOR}), _late, order=5)
    )
