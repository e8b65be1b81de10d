"""Menu entry of field work without network."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from corridor.cases.selectors import CASE_ROLES
from corridor.core.navigation import PROTECTION, MenuItem, register_menu


def register() -> None:
    register_menu(
        MenuItem(
            _("Field work (offline)"), "fieldwork:app", frozenset(CASE_ROLES), 14, group=PROTECTION
        )
    )
