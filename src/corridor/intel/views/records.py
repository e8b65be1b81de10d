"""Intelligence records: the overview, entities, links, events and reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from corridor.audit.services import audit_read, node_text
from corridor.core.forms import errors_to_form
from corridor.core.pagination import paginate
from corridor.intel import analysis, forms, selectors, services
from corridor.intel.models import EntityKind
from corridor.intel.views.common import audit_page, grading, investigator_only


@investigator_only
@require_GET
def home(request):
    user = request.user
    data = analysis.load_network(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        events=selectors.visible_events(user),
    )
    audit_page(request, "home")
    return render(
        request,
        "intel/home.html",
        {
            "networks": analysis.networks(data),
            "counts": selectors.intel_aggregates(user),
            "imports": selectors.visible_imports(user)[:5],
            "reports": selectors.visible_reports(user)[:5],
        },
    )


@investigator_only
@require_GET
def entity_list(request):
    entities = selectors.visible_entities(request.user).active()
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    if kind in EntityKind.values:
        entities = entities.filter(kind=kind)
    if query:
        entities = entities.filter(Q(name__icontains=query) | Q(key__icontains=query))
    entities = entities.annotate(n_events=Count("participations")).order_by("kind", "name", "id")
    page = paginate(entities, request.GET.get("page"))
    audit_page(request, "entities", {"kind": kind, "q": query[:50]})
    return render(
        request,
        "intel/entity_list.html",
        {"page": page, "kinds": EntityKind.choices, "kind": kind, "q": query},
    )


@investigator_only
@require_GET
def entity_detail(request, pk: int):
    user = request.user
    entity = get_object_or_404(selectors.visible_entities(user), pk=pk)
    audit_read(actor=user, target=entity, summary=entity.get_kind_display())
    links = selectors.visible_links(user).filter(Q(source_entity=entity) | Q(target_entity=entity))
    events = (
        selectors.visible_events(user)
        .filter(participations__entity__in=[entity, *entity.merged.all()])
        .distinct()
        .prefetch_related("participations__entity")
    )
    judgements = selectors.visible_judgements(user).filter(
        Q(left_id=str(entity.pk)) | Q(right_id=str(entity.pk))
    )
    return render(
        request,
        "intel/entity_detail.html",
        {
            "entity": entity,
            "links": links,
            "events": events[:200],
            "merged": entity.merged.all(),
            "judgements": judgements,
            "unmerge_form": forms.UnmergeForm(),
        },
    )


@investigator_only
@require_http_methods(["GET", "POST"])
def entity_create(request):
    user = request.user
    form = forms.EntityForm(request.POST or None, reports=selectors.visible_reports(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = services.entity_create(
                actor=user,
                kind=data["kind"],
                name=data["name"],
                country=data["country"],
                roles=data["roles"],
                aliases=data["aliases"],
                notes=data["notes"],
                report=data["report"],
                **grading(data),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Entity recorded."))
            return redirect("intel:entity_detail", pk=entity.pk)
    audit_page(request, "entity_create")
    return render(request, "intel/form.html", {"form": form, "title": _("New entity")})


@investigator_only
@require_http_methods(["GET", "POST"])
def link_create(request):
    user = request.user
    entities = selectors.visible_entities(user).active()
    form = forms.LinkForm(request.POST or None, entities=entities, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = services.link_create(
                actor=user,
                kind=data["kind"],
                source_entity=data["source_entity"],
                target_entity=data["target_entity"],
                start=data["start"],
                end=data["end"],
                description=data["description"],
                **grading(data),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Link recorded."))
            return redirect("intel:entity_detail", pk=link.source_entity_id)
    audit_page(request, "link_create")
    return render(request, "intel/form.html", {"form": form, "title": _("New link")})


@investigator_only
@require_http_methods(["GET", "POST"])
def event_create(request):
    user = request.user
    entities = selectors.visible_entities(user).active()
    form = forms.EventForm(request.POST or None, entities=entities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_create(
                actor=user,
                kind=data["kind"],
                at=data["at"],
                participants=[(e, e.kind) for e in data["participants"]],
                place=data["place"],
                description=data["description"],
                amount=data["amount"],
                currency=data["currency"],
                **grading(data),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Event recorded."))
            first = event.participations.first()
            return redirect("intel:entity_detail", pk=first.entity_id)
    audit_page(request, "event_create")
    return render(request, "intel/form.html", {"form": form, "title": _("New event")})


@investigator_only
@require_http_methods(["GET", "POST"])
def report_create(request):
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                actor=request.user,
                title=data["title"],
                received_on=data["received_on"],
                narrative=data["narrative"],
                **grading(data),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Report recorded. Add the entities it mentions."))
            return redirect("intel:report_detail", pk=report.pk)
    audit_page(request, "report_create")
    return render(request, "intel/form.html", {"form": form, "title": _("New intelligence report")})


@investigator_only
@require_GET
def report_detail(request, pk: int):
    user = request.user
    report = get_object_or_404(selectors.visible_reports(user), pk=pk)
    audit_read(actor=user, target=report, summary=node_text(gettext_noop("intelligence report")))
    entities = selectors.visible_entities(user).filter(report=report)
    return render(
        request, "intel/report_detail.html", {"report": report, "entities": entities[:500]}
    )
