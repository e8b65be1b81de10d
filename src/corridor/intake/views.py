"""Pages of the border hand-off and of hotline intake, and the SMS gateway webhook. Thin: parse,
call a service or a selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.services import audit_read, audit_read_many
from corridor.core.forms import PageAction, error_text, errors_to_form, page_action
from corridor.core.pagination import paginate
from corridor.intake import gateway, services
from corridor.intake.forms import (
    CloseForm,
    ConvertCaseForm,
    DispatchForm,
    DutyForm,
    IntakeForm,
    InterceptionForm,
    TipForm,
    TriageForm,
)
from corridor.intake.models import Handoff, Intake
from corridor.intake.selectors import (
    DUTY_KEEPERS,
    HANDOFF_READERS,
    INTAKE_READERS,
    INTAKE_TAKERS,
    is_handler,
    is_receiver,
    is_sender,
    is_taker,
    visible_duty_agencies,
    visible_handoffs,
    visible_intakes,
)

# --- border hand-offs --------------------------------------------------------------------------


@role_required(*HANDOFF_READERS)
def handoff_list(request: HttpRequest) -> HttpResponse:
    handoffs = visible_handoffs(request.user)
    status = request.GET.get("status", "")
    if status in Handoff.Status.values:
        handoffs = handoffs.filter(status=status)
    page = paginate(handoffs, request.GET.get("page"))
    audit_read_many(actor=request.user, records=page.object_list, kind="intake.handoff")
    return render(
        request,
        "intake/handoff_list.html",
        {"page": page, "status": status, "statuses": Handoff.Status.choices},
    )


def _handoff(request, uid) -> Handoff:
    return get_object_or_404(visible_handoffs(request.user), uid=uid)


@role_required(*HANDOFF_READERS)
def handoff_detail(request: HttpRequest, uid) -> HttpResponse:
    handoff = _handoff(request, uid)
    audit_read(actor=request.user, target=handoff)
    receiver = is_receiver(request.user, handoff)
    sender = is_sender(request.user, handoff)
    return render(
        request,
        "intake/handoff_detail.html",
        {
            "handoff": handoff,
            "receiver": receiver,
            "show_person": receiver or request.user.role == "coordinator",
            "interception_form": InterceptionForm(prefix="interception")
            if sender and not handoff.intel_report_id
            else None,
        },
    )


@require_POST
@role_required(*HANDOFF_READERS)
def handoff_act(request: HttpRequest, uid, action: str) -> HttpResponse:
    handoff = _handoff(request, uid)
    try:
        if action == "accept":
            services.handoff_accept(actor=request.user, handoff=handoff)
            messages.success(request, _("Hand-off accepted: the clock has stopped."))
        elif action == "open_case":
            case = services.handoff_open_case(actor=request.user, handoff=handoff)
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.ref})
            return redirect("cases:detail", pk=case.pk)
        elif action == "interception":
            form = InterceptionForm(request.POST, prefix="interception")
            if not form.is_valid():
                raise ValidationError(list(form.errors.values())[0])
            data = form.cleaned_data
            services.interception_report(
                actor=request.user,
                handoff=handoff,
                adults=data["adults"],
                vehicle_plate=data["vehicle_plate"],
                phones=data["phones"].split(","),
                route=data["route"],
                documents=data["documents"],
                handling=data["handling"],
            )
            messages.success(request, _("Interception report sent to the investigators."))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, _("Nothing was saved: %(p)s") % {"p": error_text(error)})
    return redirect("intake:handoff_detail", uid=handoff.uid)


@role_required(*DUTY_KEEPERS)
def duty_list(request: HttpRequest) -> HttpResponse:
    form = DutyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.duty_agency_set(
                actor=request.user,
                agency=form.cleaned_data["agency"],
                point=form.cleaned_data["point"],
                region=form.cleaned_data["region"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Agency on duty saved."))
            return redirect("intake:duty")
    return render(
        request,
        "intake/duty.html",
        {"form": form, "duties": visible_duty_agencies(request.user)},
    )


@require_POST
@role_required(*DUTY_KEEPERS)
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    duty = get_object_or_404(visible_duty_agencies(request.user), pk=pk)
    services.duty_agency_remove(actor=request.user, duty=duty)
    messages.success(request, _("Removed."))
    return redirect("intake:duty")


# --- hotline intake ----------------------------------------------------------------------------


@role_required(*INTAKE_READERS)
def intake_list(request: HttpRequest) -> HttpResponse:
    intakes = visible_intakes(request.user)
    status = request.GET.get("status", "")
    if status in Intake.Status.values:
        intakes = intakes.filter(status=status)
    page = paginate(intakes, request.GET.get("page"))
    audit_read_many(actor=request.user, records=page.object_list, kind="intake.intake")
    return render(
        request,
        "intake/intake_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Intake.Status.choices,
            "can_record": request.user.role in INTAKE_TAKERS,
        },
    )


@role_required(*INTAKE_TAKERS)
def intake_new(request: HttpRequest) -> HttpResponse:
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = services.intake_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Intake %(ref)s recorded. Tell the reporter: %(ack)s")
                % {"ref": intake.ref, "ack": intake.acknowledgement},
            )
            return redirect("intake:detail", uid=intake.uid)
    return render(request, "intake/intake_form.html", {"form": form})


ACTIONS: dict[str, PageAction] = {
    "triage": PageAction(
        TriageForm, lambda actor, i, d: services.intake_triage(actor=actor, intake=i, **d)
    ),
    "dispatch": PageAction(
        DispatchForm,
        lambda actor, i, d: services.intake_dispatch(actor=actor, intake=i, **d),
        lambda i: {"workers": services.dispatchable_workers()},
    ),
    "convert_case": PageAction(
        ConvertCaseForm,
        lambda actor, i, d: services.intake_convert_case(actor=actor, intake=i, **d),
    ),
    "convert_tip": PageAction(
        TipForm, lambda actor, i, d: services.intake_convert_tip(actor=actor, intake=i, **d)
    ),
    "close": PageAction(
        CloseForm, lambda actor, i, d: services.intake_close(actor=actor, intake=i, **d)
    ),
}


def _intake_forms(user, intake: Intake) -> dict:
    """The forms this user may use on this intake now (none on a closed one)."""
    taker, handler = is_taker(user, intake), is_handler(user, intake)
    status, forms = intake.status, {}
    if taker and status == Intake.Status.RECEIVED:
        forms["triage"] = TriageForm(
            prefix="triage",
            initial={
                "concern_type": intake.concern_type,
                "urgency": intake.urgency,
                "children_involved": intake.children_involved,
                "place": intake.place,
            },
        )
    if taker and status == Intake.Status.TRIAGED:
        forms["dispatch"] = DispatchForm(prefix="dispatch", workers=services.dispatchable_workers())
    if handler and status == Intake.Status.DISPATCHED:
        forms["convert_case"] = ConvertCaseForm(prefix="convert_case")
    if (taker or handler) and status != Intake.Status.CLOSED:
        forms["convert_tip"] = TipForm(prefix="convert_tip")
        forms["close"] = CloseForm(prefix="close")
    return forms


def _intake(request, uid) -> Intake:
    return get_object_or_404(visible_intakes(request.user), uid=uid)


@role_required(*INTAKE_READERS)
def intake_detail(request: HttpRequest, uid) -> HttpResponse:
    intake = _intake(request, uid)
    if request.method == "POST":
        return page_action(
            request,
            target=intake,
            action=request.POST.get("action", ""),
            actions={k: ACTIONS[k] for k in _intake_forms(request.user, intake)},
            redirect_to=reverse("intake:detail", args=[intake.uid]),
        )
    audit_read(actor=request.user, target=intake)
    return render(
        request,
        "intake/intake_detail.html",
        {"intake": intake, "forms": _intake_forms(request.user, intake)},
    )


@csrf_exempt
@require_POST
def sms_webhook(request: HttpRequest) -> HttpResponse:
    """The SMS gateway's door (see ``gateway``): 200 with the reference and the reply to send
    back, or a stable error code and a translated message."""
    body = request.body
    try:
        sms = gateway.open_request(request.headers, body)
        with transaction.atomic():
            gateway.nonce_use(request.headers["X-Corridor-Nonce"])
            intake, created = services.intake_from_sms(
                sender=sms.sender, text=sms.text, gateway_id=sms.gateway_id
            )
    except gateway.Refused as refused:
        return JsonResponse(
            {"error": refused.code, "detail": refused.message}, status=refused.status
        )
    except IntegrityError:
        return JsonResponse(
            {"error": "replay", "detail": _("This request was already received.")}, status=409
        )
    except ValidationError as error:
        code = "empty_text" if not sms.text.strip() else "bad_text"
        return JsonResponse({"error": code, "detail": error_text(error)}, status=400)
    return JsonResponse(
        {"reference": intake.ref, "reply": intake.acknowledgement, "created": created},
        status=201 if created else 200,
    )
