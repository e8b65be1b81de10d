"""Referral pages and the service directory."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read
from corridor.cases.selectors import CASE_ROLES, can_manage, visible_cases
from corridor.cases.views import error_text
from corridor.referrals import services
from corridor.referrals.forms import DecisionForm, DirectoryFilterForm, ReferralForm
from corridor.referrals.models import Referral
from corridor.referrals.selectors import is_receiver, visible_providers, visible_referrals


@role_required(*CASE_ROLES)
def referral_list(request):
    referrals = visible_referrals(request.user)
    incoming = referrals.filter(to_agency_id=request.user.agency_id)
    outgoing = referrals.exclude(to_agency_id=request.user.agency_id)
    return render(
        request,
        "referrals/referral_list.html",
        {"incoming": incoming[:100], "outgoing": outgoing[:100]},
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
                if decision in ("accept", "decline"):
                    services.referral_decide(
                        actor=request.user,
                        referral=referral,
                        accept=decision == "accept",
                        reason=reason,
                    )
                else:
                    target = (
                        Referral.Status.COMPLETED
                        if decision == "complete"
                        else Referral.Status.WITHDRAWN
                    )
                    services.referral_close(
                        actor=request.user, referral=referral, to=target, reason=reason
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
            "full_case": referral.case in visible_cases(request.user),
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
