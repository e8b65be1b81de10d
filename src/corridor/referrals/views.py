"""Referral pages: in-country referrals and the service directory, and cross-border referrals
(the refer form, the coordinator's inbox, the shared page of one referral)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read
from corridor.cases.selectors import CASE_ROLES, can_manage, visible_cases
from corridor.cases.views import error_text
from corridor.core.pagination import paginate
from corridor.federation.selectors import topic_messages
from corridor.referrals import cross_border, services
from corridor.referrals.cross_border_fields import purposes_for_people, shared_rows
from corridor.referrals.forms import (
    CrossBorderDecideForm,
    CrossBorderReferForm,
    CrossBorderStatusForm,
    CrossBorderUpdateForm,
    DecisionForm,
    DirectoryFilterForm,
    ReferralForm,
)
from corridor.referrals.models import CrossBorderReferral
from corridor.referrals.selectors import (
    CROSS_BORDER_ROLES,
    is_receiver,
    visible_cross_border_referrals,
    visible_providers,
    visible_referrals,
    waiting_decision,
)


@role_required(*CASE_ROLES)
def referral_list(request):
    referrals = visible_referrals(request.user).order_by("-sent_at", "-pk")
    mine = request.user.agency_id
    incoming = referrals.filter(to_agency_id=mine)
    outgoing = referrals.filter(from_agency_id=mine).exclude(to_agency_id=mine)
    # A coordinator or a supervisor also sees referrals between other agencies of their scope:
    # listed apart, so "sent" means sent by their own agency.
    others = referrals.exclude(to_agency_id=mine).exclude(from_agency_id=mine)
    return render(
        request,
        "referrals/referral_list.html",
        {
            "incoming": paginate(incoming, request.GET.get("page")),
            "outgoing": paginate(outgoing, request.GET.get("sent_page")),
            "others": paginate(others, request.GET.get("other_page")),
        },
    )


@role_required(*CASE_ROLES)
def referral_create(request, case_pk: int):
    case = get_object_or_404(visible_cases(request.user), pk=case_pk)
    if not can_manage(request.user, case):
        raise PermissionDenied
    form = ReferralForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("Referral sent to %(agency)s.") % {"agency": referral.to_agency}
            )
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/referral_form.html", {"form": form, "case": case})


@role_required(*CASE_ROLES)
def referral_detail(request, pk: int):
    referral = get_object_or_404(visible_referrals(request.user), pk=pk)
    audit_read(actor=request.user, target=referral, summary=referral.case.ref)
    receiver = is_receiver(request.user, referral)
    sender = can_manage(request.user, referral.case) and not receiver
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
            try:
                services.referral_answer(
                    actor=request.user, referral=referral, decision=decision, reason=reason
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request, _("Nothing was saved: %(problems)s") % {"problems": error_text(error)}
                )
            else:
                messages.success(request, _("Saved."))
        return redirect("referrals:detail", pk=pk)
    person = referral.case.person
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "person": person,
            "receiver": receiver,
            "sender": sender,
            # one indexed look-up, not the user's whole caseload (issue 11, item 7)
            "full_case": visible_cases(request.user).filter(pk=referral.case_id).exists(),
        },
    )


@role_required(*CASE_ROLES)
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    providers = visible_providers(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["country"]:
            providers = providers.filter(country=data["country"])
        if data["age"] is not None:
            age = data["age"]
            providers = providers.filter(Q(min_age__isnull=True) | Q(min_age__lte=age)).filter(
                Q(max_age__isnull=True) | Q(max_age__gte=age)
            )
        if data["service"]:
            providers = [p for p in providers if data["service"] in p.services]
    return render(request, "referrals/directory.html", {"form": form, "providers": providers})


# --- Cross-border referrals -----------------------------------------------------------------


@role_required(*CASE_ROLES)
def cross_border_refer(request, case_id: int):
    """Refer a case to the other country's node (linked from the case page)."""
    case = get_object_or_404(visible_cases(request.user), pk=case_id)
    if not can_manage(request.user, case):
        raise PermissionDenied
    form = CrossBorderReferForm(request.POST or None)
    basis = cross_border.legal_basis(case)
    if request.method == "POST" and form.is_valid():
        try:
            referral = cross_border.referral_send(
                actor=request.user, case=case, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The referral is on its way to the other node."))
            return redirect("referrals:cross_border_detail", pk=referral.pk)
    sent = visible_cross_border_referrals(request.user).filter(
        case=case, direction=CrossBorderReferral.Direction.OUTGOING
    )
    return render(
        request,
        "referrals/cross_border_refer.html",
        {
            "case": case,
            "form": form,
            "basis": basis,
            "purposes": purposes_for_people(),
            "sent": sent,
            "no_peer": not form.fields["peer"].queryset.exists(),
        },
    )


@role_required(*CROSS_BORDER_ROLES)
def cross_border_list(request):
    """The coordinator's inbox of referrals from the other node, and every referral the user may
    see, incoming and outgoing."""
    referrals = visible_cross_border_referrals(request.user)
    direction = request.GET.get("direction", "")
    if direction in CrossBorderReferral.Direction.values:
        referrals = referrals.filter(direction=direction)
    return render(
        request,
        "referrals/cross_border_inbox.html",
        {
            "waiting": paginate(waiting_decision(request.user), request.GET.get("waiting_page")),
            "page": paginate(referrals, request.GET.get("page")),
            "direction": direction,
        },
    )


@role_required(*CROSS_BORDER_ROLES)
def cross_border_detail(request, pk: int):
    referral = get_object_or_404(visible_cross_border_referrals(request.user), pk=pk)
    audit_read(actor=request.user, target=referral)
    user = request.user
    status_form = CrossBorderStatusForm(current=referral.status)
    return render(
        request,
        "referrals/cross_border_detail.html",
        {
            "referral": referral,
            "shared_rows": shared_rows(json.loads(referral.shared_data or "{}")),
            "events": _with_node_labels(referral),
            "can_work": cross_border.can_work_on(user, referral) and not referral.sharing_stopped,
            "can_decide": cross_border.can_decide(user, referral),
            "decide_form": CrossBorderDecideForm(),
            "status_form": status_form if status_form.fields["status"].choices else None,
            "update_form": CrossBorderUpdateForm(),
            "outbound": topic_messages(referral.topic),
        },
    )


def _with_node_labels(referral: CrossBorderReferral) -> list:
    """The shared timeline, each entry saying which country's node wrote it."""
    from corridor.core.countries import country_name

    own = country_name(settings.NODE_COUNTRY)
    events = list(referral.events.all())
    for event in events:
        event.by_label = own if event.by_node == settings.NODE_NAME else referral.peer.label
    return events


ACTIONS = {
    "decide": (CrossBorderDecideForm, cross_border.referral_decide),
    "status": (CrossBorderStatusForm, cross_border.referral_set_status),
    "update": (CrossBorderUpdateForm, cross_border.referral_add_update),
}


@role_required(*CROSS_BORDER_ROLES)
@require_POST
def cross_border_action(request, pk: int, action: str):
    referral = get_object_or_404(visible_cross_border_referrals(request.user), pk=pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form_class, service = ACTIONS[action]
    kwargs = {"current": referral.status} if action == "status" else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("referrals:cross_border_detail", pk=pk)
    try:
        service(actor=request.user, referral=referral, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Saved and shared with the other node."))
    return redirect("referrals:cross_border_detail", pk=pk)
