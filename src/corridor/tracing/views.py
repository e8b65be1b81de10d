"""Tracing pages: requests, ranked candidates with their explanation, decisions, duplicates,
and the versions of the node's match model.

Thin views: parse, call a selector or a service, render. Every page that shows a person or a
request writes a read entry to the audit log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from corridor.accounts.permissions import role_required
from corridor.audit.models import Action
from corridor.audit.services import audit_read, audit_read_many, audit_record, node_text
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.people.models import Person
from corridor.people.selectors import visible_persons
from corridor.tracing import services
from corridor.tracing.forms import (
    CloseForm,
    DecisionForm,
    DuplicateDecisionForm,
    FilterForm,
    MergeForm,
    TracingRequestForm,
)
from corridor.tracing.ranking import FOLDS
from corridor.tracing.selectors import (
    ACTIVATE_ROLES,
    MERGE_ROLES,
    MODEL_ROLES,
    TRACING_ROLES,
    active_model,
    candidates_elsewhere,
    current_decisions_about,
    decision_counts,
    duplicate_decisions,
    judgements_about,
    person_duplicate_pairs,
    ranked_candidates,
    visible_duplicates,
    visible_match_models,
    visible_merges,
    visible_tracing_requests,
)


def _first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@role_required(*TRACING_ROLES)
def request_list(request):
    form = FilterForm(request.GET or None)
    requests = visible_tracing_requests(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            requests = requests.filter(status=data["status"])
        for word in data["q"].split():
            requests = requests.filter(
                Q(given_names__icontains=word)
                | Q(family_name__icontains=word)
                | Q(ref__icontains=word)
            )
    page = paginate(requests, request.GET.get("page"))
    query = form.cleaned_data["q"] if form.is_valid() else ""
    audit_read_many(actor=request.user, records=page, kind="tracing.tracingrequest", query=query)
    return render(request, "tracing/request_list.html", {"form": form, "page": page})


@role_required(*TRACING_ROLES)
def request_create(request):
    form = TracingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            created = services.tracing_request_create(actor=request.user, **values)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("Tracing request %(ref)s filed.") % {"ref": created.ref})
            return redirect("tracing:detail", pk=created.pk)
    return render(request, "tracing/request_form.html", {"form": form})


def _visible_request_or_404(user, pk):
    return get_object_or_404(visible_tracing_requests(user), pk=pk)


@role_required(*TRACING_ROLES)
def request_detail(request, pk: int):
    tracing_request = _visible_request_or_404(request.user, pk)
    candidates = ranked_candidates(request.user, tracing_request)
    audit_record(
        actor=request.user,
        action=Action.READ,
        target=tracing_request,
        summary=tracing_request.ref,
        detail={"candidates": [c["person"].pk for c in candidates]},
    )
    return render(
        request,
        "tracing/request_detail.html",
        {
            "req": tracing_request,
            "candidates": candidates,
            "elsewhere": candidates_elsewhere(request.user, tracing_request),
            "history": _history(request.user, tracing_request),
            "lookups": tracing_request.lookups.all()[:10],
            "close_form": CloseForm(),
            "can_lookup": _peer_available(),
        },
    )


def _history(user, tracing_request) -> list[dict]:
    """The judgement log of a request, newest first, naming the children the user may see."""
    judgements = list(judgements_about(tracing_request)[:100])
    ids = {int(j.left_id) for j in judgements if j.left_type == "people.person"}
    names = {p.pk: p.display_name for p in visible_persons(user).filter(pk__in=ids)}
    return [
        {"judgement": j, "child": names.get(int(j.left_id), f"#{j.left_id}")} for j in judgements
    ]


@require_POST
@role_required(*TRACING_ROLES)
def request_decide(request, pk: int):
    tracing_request = _visible_request_or_404(request.user, pk)
    form = DecisionForm(request.POST)
    detail = reverse("tracing:detail", args=[tracing_request.pk])
    if not form.is_valid():
        messages.error(request, _("Choose match, no match or unsure."))
        return redirect(detail)
    person = Person.objects.filter(pk=form.cleaned_data["person"]).first()
    if person is None:
        raise Http404
    decision = form.cleaned_data["decision"]
    try:
        services.tracing_decide(
            actor=request.user,
            request=tracing_request,
            person=person,
            decision=decision,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
        return redirect(detail)
    if request.headers.get("HX-Request") and decision != "positive":
        tracing_request.refresh_from_db()
        current = current_decisions_about(tracing_request).get(("people.person", str(person.pk)))
        # The decision's cell, and the history again out of band: the log shows the new entry.
        return render(
            request,
            "tracing/_decision_saved.html",
            {
                "req": tracing_request,
                "person": person,
                "decision": current,
                "history": _history(request.user, tracing_request),
                "oob": True,
            },
        )
    messages.success(request, _("Decision recorded."))
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = detail
        return response
    return redirect(detail)


@require_POST
@role_required(*TRACING_ROLES)
def request_close(request, pk: int):
    tracing_request = _visible_request_or_404(request.user, pk)
    form = CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the request is closed."))
        services.tracing_request_close(
            actor=request.user, request=tracing_request, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Request closed."))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("tracing:detail", pk=tracing_request.pk)


def _peer_available() -> bool:
    from corridor.tracing import lookup

    return lookup.federation_peer() is not None


@require_POST
@role_required(*TRACING_ROLES)
def request_lookup(request, pk: int):
    from corridor.tracing import lookup

    tracing_request = _visible_request_or_404(request.user, pk)
    try:
        lookup.lookup_send(actor=request.user, request=tracing_request)
        messages.success(request, _("Look-up sent to the peer node; the answer will appear here."))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("tracing:detail", pk=tracing_request.pk)


@role_required(*TRACING_ROLES)
def duplicates(request):
    pairs = visible_duplicates(request.user)
    person_pk = request.GET.get("person", "")
    if person_pk.isdigit():
        pairs = pairs.filter(Q(first_id=person_pk) | Q(second_id=person_pk))
    page = paginate(pairs, request.GET.get("page"), per_page=30)
    rows = _duplicate_rows(page.object_list)
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type="tracing.duplicatecandidate",
        summary=node_text(gettext_noop("possible duplicates")),
        detail={"pairs": [[r["pair"].first_id, r["pair"].second_id] for r in rows]},
    )
    return render(
        request,
        "tracing/duplicates.html",
        {
            "page": page,
            "rows": rows,
            "merges": visible_merges(request.user)[:20],
            "can_merge": request.user.has_role(*MERGE_ROLES),
        },
    )


def _duplicate_rows(pairs) -> list[dict]:
    """Each pair with the decision in force and the engine's reasons, in a fixed number of
    queries however many pairs the page shows."""
    from corridor.tracing import ranking

    model = active_model()
    decisions = duplicate_decisions(pairs)
    parents = ranking.parent_names([p for pair in pairs for p in (pair.first, pair.second)])
    rows = []
    for pair in pairs:
        first, second = (
            ranking.person_record(p, parents=parents.get(p.pk, {}))
            for p in (pair.first, pair.second)
        )
        rows.append(
            {
                "pair": pair,
                "decision": decisions.get(pair.pk),
                "reasons": ranking.reasons(first, second, model=model)[:6],
            }
        )
    return rows


def _visible_pair_or_404(user, pk):
    return get_object_or_404(visible_duplicates(user), pk=pk)


@require_POST
@role_required(*TRACING_ROLES)
def duplicate_decide(request, pk: int):
    pair = _visible_pair_or_404(request.user, pk)
    form = DuplicateDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose same person, not the same or unsure."))
        return redirect("tracing:duplicates")
    services.duplicate_decide(
        actor=request.user,
        candidate=pair,
        decision=form.cleaned_data["decision"],
        comment=form.cleaned_data["comment"],
    )
    if request.headers.get("HX-Request"):
        current = current_decisions_about(pair.first).get(("people.person", str(pair.second_id)))
        return render(
            request,
            "tracing/_duplicate_decision.html",
            {"pair": pair, "decision": current, "can_merge": request.user.has_role(*MERGE_ROLES)},
        )
    messages.success(request, _("Decision recorded."))
    return redirect("tracing:duplicates")


@require_POST
@role_required(*MERGE_ROLES)
def duplicate_merge(request, pk: int):
    pair = _visible_pair_or_404(request.user, pk)
    form = MergeForm(request.POST)
    if not form.is_valid() or form.cleaned_data["survivor"] not in (pair.first_id, pair.second_id):
        messages.error(request, _("Choose which record to keep."))
        return redirect("tracing:duplicates")
    keep = form.cleaned_data["survivor"]
    survivor, duplicate = (
        (pair.first, pair.second) if keep == pair.first_id else (pair.second, pair.first)
    )
    try:
        services.person_merge(
            actor=request.user,
            survivor=survivor,
            duplicate=duplicate,
            comment=form.cleaned_data["comment"],
        )
        messages.success(
            request,
            _("%(dup)s merged into %(keep)s.")
            % {"dup": duplicate.display_name, "keep": survivor.display_name},
        )
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("tracing:duplicates")


@require_POST
@role_required(*MERGE_ROLES)
def merge_undo(request, pk: int):
    merge = get_object_or_404(visible_merges(request.user), pk=pk)
    try:
        services.person_unmerge(actor=request.user, merge=merge)
        messages.success(request, _("Merge undone."))
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    return redirect("tracing:duplicates")


@role_required(*TRACING_ROLES)
def person_duplicates(request, pk: int):
    """The person page's panel (htmx): possible duplicates of one person the user can see."""
    person = get_object_or_404(visible_persons(request.user), pk=pk)
    audit_read(
        actor=request.user, target=person, summary=node_text(gettext_noop("possible duplicates"))
    )
    pairs = person_duplicate_pairs(request.user, person)
    return render(
        request, "tracing/_duplicates.html", {"person": person, "panel": {"pairs": pairs}}
    )


@role_required(*MODEL_ROLES)
def match_models(request):
    """The versions of the node's match model with the numbers they were judged by."""
    versions = visible_match_models(request.user)
    page = paginate(versions, request.GET.get("page"), per_page=30)
    return render(
        request,
        "tracing/match_models.html",
        {
            "page": page,
            "in_force": versions.filter(is_active=True).first(),
            "counts": decision_counts(),
            "needed": services.MIN_DECISIONS,
            "folds": FOLDS,
            "can_activate": request.user.has_role(*ACTIVATE_ROLES),
        },
    )


@require_POST
@role_required(*MODEL_ROLES)
def match_model_retrain(request):
    try:
        version = services.match_model_retrain(actor=request.user)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(
            request,
            _("Version %(n)s trained. It is not in force until a national coordinator says so.")
            % {"n": version.pk},
        )
    return redirect("tracing:models")


@require_POST
@role_required(*ACTIVATE_ROLES)
def match_model_activate(request, pk: int | None = None):
    """Put a version in force; without ``pk``, go back to the model shipped with the engine."""
    version = None if pk is None else get_object_or_404(visible_match_models(request.user), pk=pk)
    try:
        services.match_model_activate(actor=request.user, version=version)
    except ValidationError as exc:
        messages.error(request, _first_error(exc))
    else:
        messages.success(request, _("Model in force changed."))
    return redirect("tracing:models")
