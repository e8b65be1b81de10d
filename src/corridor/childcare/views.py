"""The child's file (every record of a child's case, with its forms) and shelter occupancy.

Each form posts to one service. On a refusal the page is shown again with the form as typed and
the errors beside its fields; on success the page reloads at the form's section."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, node_about
from corridor.cases.selectors import CASE_ROLES, can_manage
from corridor.childcare import forms, services
from corridor.childcare.models import Placement
from corridor.childcare.selectors import (
    OCCUPANCY_ROLES,
    child_file,
    handovers_of,
    shelter_occupancy,
    visible_child_case,
)
from corridor.core.forms import errors_to_form


@dataclass(frozen=True)
class Action:
    form: type[django_forms.Form]
    run: Callable
    case_form: bool = False  # the form needs the case (e.g. its placements)


def _placement_update(actor, case, d):
    placement = get_object_or_404(Placement, pk=d["placement"], case=case)
    return services.placement_update(
        actor=actor,
        placement=placement,
        expected_version=d["version"],
        end_on=d["end_on"],
        end_reason=d["end_reason"],
        review_on=d["review_on"],
        caregiver=d["caregiver"],
        caregiver_from=d["caregiver_from"],
    )


def _placement_start(actor, case, d):
    return services.placement_start(
        actor=actor,
        case=case,
        kind=d["kind"],
        provider=d["provider"],
        start_on=d["start_on"],
        review_dates=[d["review_on"]] if d["review_on"] else [],
        caregiver=d["caregiver"],
    )


def _countersign(actor, case, d):
    handover = get_object_or_404(handovers_of(case), pk=d["handover"])
    return services.handover_countersign(actor=actor, handover=handover, remarks=d["remarks"])


def _family_share(actor, case, d):
    assessment = get_object_or_404(case.family_assessments, pk=d["assessment"])
    return services.family_assessment_share(actor=actor, assessment=assessment)


def _visit(actor, case, form_data):
    return services.visit_record(actor=actor, case=case, **form_data)


ACTIONS: dict[str, Action] = {
    "assessment": Action(
        forms.AssessmentForm,
        lambda actor, case, d: services.assessment_record(actor=actor, case=case, **d),
    ),
    "determination": Action(
        forms.DeterminationForm,
        lambda actor, case, d: services.determination_record(actor=actor, case=case, **d),
    ),
    "family": Action(
        forms.FamilyAssessmentForm,
        lambda actor, case, d: services.family_assessment_record(actor=actor, case=case, **d),
    ),
    "family_share": Action(forms.FamilyShareForm, _family_share),
    "tracing": Action(
        forms.TracingActionForm,
        lambda actor, case, d: services.tracing_action_record(actor=actor, case=case, **d),
    ),
    "placement": Action(forms.PlacementForm, _placement_start),
    "placement_update": Action(forms.PlacementUpdateForm, _placement_update),
    "handover": Action(
        forms.HandOverForm,
        lambda actor, case, d: services.handover_sign(actor=actor, case=case, **d),
    ),
    "countersign": Action(forms.CountersignForm, _countersign),
    "visit": Action(forms.VisitForm, _visit, case_form=True),
}


def _blank_forms(case) -> dict:
    today = timezone.localdate()
    blank = {}
    for name, action in ACTIONS.items():
        kwargs = {"case": case} if action.case_form else {}
        initial = {}
        for field in ("assessed_on", "decided_on", "date", "start_on", "visited_on"):
            if field in action.form.base_fields:
                initial[field] = today
        blank[name] = action.form(prefix=name, initial=initial, **kwargs)
    return blank


def _render(request, case, bound: dict | None = None, status: int = 200):
    blank = _blank_forms(case)
    bound = bound or {}
    posted = bound.get("placement_update")
    context = {
        "shares_with_peer": services.open_referral(case) is not None,
        "case": case,
        "person": case.person,
        "can_manage": can_manage(request.user, case),
        "sees_occupancy": request.user.has_role(*OCCUPANCY_ROLES),
        "forms": {**blank, **bound},
        "blank_placement_update": blank["placement_update"],
        # the placement whose form was refused: only its block shows the typed values and errors
        "bound_placement": str(posted["placement"].value()) if posted is not None else "",
        **child_file(case),
    }
    return render(request, "childcare/child_file.html", context, status=status)


@role_required(*CASE_ROLES)
def child_file_page(request, pk: int):
    case = visible_child_case(request.user, pk)
    audit_read(
        actor=request.user, target=case, summary=node_about(case.ref, gettext_noop("child's file"))
    )
    return _render(request, case)


@require_POST
@role_required(*CASE_ROLES)
def child_action(request, pk: int, action: str):
    case = visible_child_case(request.user, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    if not can_manage(request.user, case):
        raise PermissionDenied(_("You cannot change this case."))
    spec = ACTIONS[action]
    kwargs = {"case": case} if spec.case_form else {}
    form = spec.form(request.POST, prefix=action, **kwargs)
    if form.is_valid():
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        try:
            spec.run(request.user, case, data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("childcare:file", args=[case.pk]) + f"#{action}")
    messages.error(request, _("Nothing was saved: see the errors in the form."))
    return _render(request, case, {action: form}, status=400)


@role_required(*OCCUPANCY_ROLES)
def occupancy(request):
    providers = shelter_occupancy(request.user)
    return render(request, "childcare/occupancy.html", {"providers": providers})
