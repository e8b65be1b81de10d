"""Home panels of the platform itself: my account, staff overview, recent audit."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.accounts.selectors import visible_users
from corridor.audit.models import AuditEntry
from corridor.audit.selectors import AUDIT_READERS, visible_audit_entries
from corridor.core.navigation import (
    ADMINISTRATION,
    HomePanel,
    MenuItem,
    register_menu,
    register_panel,
)

ALL_ROLES = frozenset(Role.values)


def _account(request) -> dict:
    user = request.user
    return {
        "has_totp": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        "my_activity": list(AuditEntry.objects.filter(actor=user).order_by("-seq")[:5]),
    }


def _staff(request) -> dict:
    rows = (
        visible_users(request.user)
        .filter(is_active=True)
        .values("role")
        .annotate(n=Count("id"))
        .order_by("role")
    )
    labels = dict(Role.choices)
    return {"staff": [(labels.get(r["role"], r["role"]), r["n"]) for r in rows]}


def _recent_audit(request) -> dict:
    return {"entries": list(visible_audit_entries(request.user)[:8])}


def register() -> None:
    register_menu(MenuItem(_("Home"), "home", ALL_ROLES, order=0))
    register_menu(
        MenuItem(
            _("Users"),
            "accounts:user_list",
            frozenset({Role.ADMINISTRATOR}),
            90,
            group=ADMINISTRATION,
        )
    )
    register_menu(
        MenuItem(_("Audit"), "audit:list", frozenset(AUDIT_READERS), order=95, group=ADMINISTRATION)
    )
    register_panel(HomePanel("core/panel_account.html", ALL_ROLES, _account, order=99))
    register_panel(HomePanel("core/panel_staff.html", frozenset({Role.ADMINISTRATOR}), _staff, 10))
    register_panel(HomePanel("core/panel_audit.html", frozenset(AUDIT_READERS), _recent_audit, 80))
