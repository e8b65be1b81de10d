"""Menu entries of governance."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.core.navigation import MenuItem, register_menu
from corridor.governance.joint import JOINT_READERS
from corridor.governance.selectors import ADMINISTRATORS, AGREEMENT_READERS, COORDINATORS


def register() -> None:
    register_menu(MenuItem(_("Agreements"), "governance:agreements", AGREEMENT_READERS, order=80))
    register_menu(MenuItem(_("Joint picture"), "governance:joint", JOINT_READERS, order=79))
    register_menu(MenuItem(_("Retention"), "governance:retention", ADMINISTRATORS, order=81))
    register_menu(
        MenuItem(_("Processing and breaches"), "governance:register", ADMINISTRATORS, order=82)
    )
    register_menu(
        MenuItem(_("Data-subject requests"), "governance:requests", COORDINATORS, order=83)
    )
