"""Entity resolution: proposed duplicates, reviewers' decisions (append-only), unmerge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from corridor.core.pagination import paginate
from corridor.intel import forms, resolution, selectors, services
from corridor.intel.models import Decision
from corridor.intel.views.common import audit_page, investigator_only


@investigator_only
@require_GET
def duplicates(request):
    user = request.user
    decisions = resolution.entity_decisions(selectors.visible_judgements(user))
    proposals = resolution.propose(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        decisions=decisions,
    )
    audit_page(request, "duplicates", {"proposals": len(proposals)})
    return render(
        request,
        "intel/duplicates.html",
        {"proposals": proposals[:100], "decisions": forms.Decision.choices},
    )


@investigator_only
@require_POST
def judge(request):
    """Record a reviewer's decision on a proposed pair; "same" merges the right into the left."""
    user = request.user
    form = forms.JudgementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision could not be read; nothing was changed."))
        return redirect("intel:duplicates")
    data = form.cleaned_data
    entities = selectors.visible_entities(user)
    left = get_object_or_404(entities, pk=data["left"])
    right = get_object_or_404(entities, pk=data["right"])
    try:
        if data["decision"] == Decision.POSITIVE:
            services.entity_merge(
                actor=user, survivor=left, duplicate=right, comment=data["comment"]
            )
            messages.success(
                request, _("Merged: %(b)s now counts as %(a)s.") % {"a": left, "b": right}
            )
        else:
            services.judgement_record(
                actor=user,
                left=left,
                right=right,
                decision=data["decision"],
                comment=data["comment"],
            )
            messages.success(request, _("Decision recorded."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("intel:duplicates")


@investigator_only
@require_POST
def unmerge(request, pk: int):
    user = request.user
    entity = get_object_or_404(selectors.visible_entities(user), pk=pk)
    form = forms.UnmergeForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.entity_unmerge(actor=user, entity=entity, comment=comment)
        messages.success(request, _("Unmerged: %(name)s stands alone again.") % {"name": entity})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("intel:entity_detail", pk=entity.pk)


@investigator_only
@require_GET
def judgements(request):
    log = selectors.visible_judgements(request.user).select_related("user")
    page = paginate(log, request.GET.get("page"))
    audit_page(request, "judgements")
    return render(request, "intel/judgements.html", {"page": page})
