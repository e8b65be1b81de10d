"""Home panels of case work: my cases, tasks due, approvals waiting, referrals in and out."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from corridor.accounts.models import Role
from corridor.cases.models import Stage, Status
from corridor.cases.selectors import CASE_ROLES, my_tasks, pending_approvals, visible_cases
from corridor.core.navigation import (
    ADMINISTRATION,
    PROTECTION,
    HomePanel,
    MenuItem,
    register_menu,
    register_panel,
)
from corridor.people.selectors import PERSON_ROLES

CASE_ROLE_SET = frozenset(CASE_ROLES)


def _stage_rows(cases) -> list[tuple[str, int]]:
    """Cases per stage, in the order a case moves through them."""
    counts = dict(cases.values_list("stage").annotate(n=Count("id")).order_by())
    return [(label, counts[code]) for code, label in Stage.choices if code in counts]


def _my_cases(request) -> dict:
    user = request.user
    cases = visible_cases(user).exclude(status__in=[Status.CLOSED, Status.CLOSED_REFERRED])
    if user.role == Role.CASEWORKER:
        cases = cases.filter(owner=user) | cases.filter(assigned_to=user)
    return {"cases": list(cases.order_by("-identified_on")[:6]), "open_count": cases.count()}


def _tasks(request) -> dict:
    tasks = my_tasks(request.user)
    return {"tasks": list(tasks[:8]), "task_count": tasks.count()}


def _approvals(request) -> dict:
    approvals = pending_approvals(request.user)
    return {"approvals": list(approvals[:8]), "approval_count": approvals.count()}


def _referrals(request) -> dict:
    from corridor.referrals.models import Referral
    from corridor.referrals.selectors import visible_referrals

    referrals = visible_referrals(request.user)
    waiting = referrals.filter(to_agency_id=request.user.agency_id, status=Referral.Status.SENT)
    sent = referrals.exclude(to_agency_id=request.user.agency_id).filter(
        status__in=[Referral.Status.SENT, Referral.Status.ACCEPTED]
    )
    return {
        "incoming": list(waiting[:6]),
        "incoming_count": waiting.count(),
        "outgoing_count": sent.count(),
    }


def _national(request) -> dict:
    cases = visible_cases(request.user)
    return {
        "total": cases.count(),
        "children": cases.filter(is_child=True).count(),
        "open": cases.exclude(status__in=[Status.CLOSED, Status.CLOSED_REFERRED]).count(),
        "cross_border": cases.filter(cross_border=True).count(),
        "by_stage": _stage_rows(cases),
    }


def register() -> None:
    register_menu(MenuItem(_("Cases"), "cases:list", CASE_ROLE_SET, order=10, group=PROTECTION))
    register_menu(
        MenuItem(_("People"), "people:list", frozenset(PERSON_ROLES), order=20, group=PROTECTION)
    )
    register_menu(
        MenuItem(
            _("HTCDS import and export"),
            "cases:htcds:index",
            frozenset({Role.COORDINATOR}),
            order=31,
            group=ADMINISTRATION,
        )
    )
    register_panel(HomePanel("cases/panel_my_cases.html", CASE_ROLE_SET, _my_cases, order=10))
    register_panel(HomePanel("cases/panel_tasks.html", CASE_ROLE_SET, _tasks, order=20))
    register_panel(
        HomePanel(
            "cases/panel_approvals.html",
            frozenset({Role.SUPERVISOR, Role.COORDINATOR}),
            _approvals,
            order=15,
        )
    )
    register_panel(HomePanel("cases/panel_referrals.html", CASE_ROLE_SET, _referrals, order=30))
    register_panel(
        HomePanel("cases/panel_national.html", frozenset({Role.COORDINATOR}), _national, order=5)
    )
