"""Intelligence pages for investigators: records, imports, entity resolution, network analysis,
the interactive network view and the exports. Every page and export is audited."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from corridor.accounts.models import Role
from corridor.accounts.permissions import role_required
from corridor.audit.models import Action
from corridor.audit.services import audit_read, audit_record
from corridor.intel import analysis, exports, forms, graph, ingest, resolution, selectors, services
from corridor.intel.models import Decision, EntityKind

investigator_only = role_required(Role.INVESTIGATOR)


def _audit_page(request, what: str, detail: dict | None = None) -> None:
    """Record that an investigator opened an intelligence page (object type ``intel.page``)."""
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type="intel.page",
        object_id=what,
        summary=request.get_full_path()[:300],
        detail=detail or {},
    )


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)


# --- overview and records --------------------------------------------------------------------


@investigator_only
@require_GET
def home(request):
    user = request.user
    data = analysis.load_network(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        events=selectors.visible_events(user),
    )
    _audit_page(request, "home")
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
    page = Paginator(entities, 50).get_page(request.GET.get("page"))
    _audit_page(request, "entities", {"kind": kind, "q": query[:50]})
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


def _grading(data: dict) -> dict:
    return {k: data[k] for k in ("source", "reliability", "credibility", "handling")}


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
                **_grading(data),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Entity recorded."))
            return redirect("intel:entity_detail", pk=entity.pk)
    _audit_page(request, "entity_create")
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
                **_grading(data),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Link recorded."))
            return redirect("intel:entity_detail", pk=link.source_entity_id)
    _audit_page(request, "link_create")
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
                **_grading(data),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Event recorded."))
            first = event.participations.first()
            return redirect("intel:entity_detail", pk=first.entity_id)
    _audit_page(request, "event_create")
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
                **_grading(data),
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Report recorded. Add the entities it mentions."))
            return redirect("intel:report_detail", pk=report.pk)
    _audit_page(request, "report_create")
    return render(request, "intel/form.html", {"form": form, "title": _("New intelligence report")})


@investigator_only
@require_GET
def report_detail(request, pk: int):
    user = request.user
    report = get_object_or_404(selectors.visible_reports(user), pk=pk)
    audit_read(actor=user, target=report, summary=_("intelligence report"))
    entities = selectors.visible_entities(user).filter(report=report)
    return render(
        request, "intel/report_detail.html", {"report": report, "entities": entities[:500]}
    )


# --- imports ---------------------------------------------------------------------------------


@investigator_only
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        content = upload.read()
        try:
            batch = services.import_run(
                actor=request.user,
                kind=data["kind"],
                filename=upload.name,
                content=content,
                source=data["source"],
                reliability=data["reliability"],
                credibility=data["credibility"],
                skip_bad=data["skip_bad"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            if batch.status == "rejected":
                messages.error(
                    request,
                    _(
                        "Nothing was imported: %(n)d problem(s). Correct the file and upload it again."
                    )
                    % {"n": len(batch.errors)},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(imported)d row(s) imported, %(duplicate)d already known, %(errors)d in error."
                    )
                    % {
                        "imported": batch.rows_imported,
                        "duplicate": batch.rows_duplicate,
                        "errors": batch.rows_error,
                    },
                )
            return redirect("intel:import_detail", pk=batch.pk)
    _audit_page(request, "import_upload")
    return render(
        request,
        "intel/import_upload.html",
        {"form": form, "imports": selectors.visible_imports(request.user)[:20]},
    )


@investigator_only
@require_GET
def import_detail(request, pk: int):
    batch = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    audit_read(actor=request.user, target=batch, summary=batch.filename)
    return render(
        request, "intel/import_detail.html", {"batch": batch, "errors": batch.errors[:200]}
    )


@investigator_only
@require_GET
def import_errors(request, pk: int):
    batch = get_object_or_404(selectors.visible_imports(request.user), pk=pk)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        target=batch,
        summary=_("import error report"),
        detail={"errors": len(batch.errors)},
    )
    response = HttpResponse(
        ingest.error_report_csv(batch.errors), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="errors-{batch.pk}.csv"'
    return response


# --- entity resolution -----------------------------------------------------------------------


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
    _audit_page(request, "duplicates", {"proposals": len(proposals)})
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
        for message in _error_messages(error):
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
        for message in _error_messages(error):
            messages.error(request, message)
    return redirect("intel:entity_detail", pk=entity.pk)


@investigator_only
@require_GET
def judgements(request):
    log = selectors.visible_judgements(request.user).select_related("user")
    page = Paginator(log, 50).get_page(request.GET.get("page"))
    _audit_page(request, "judgements")
    return render(request, "intel/judgements.html", {"page": page})


# --- network analysis, the network view and the exports ---------------------------------------


def _network(request) -> tuple[analysis.NetworkData, forms.NetworkForm, dict]:
    """The network the request asks for: the component of ``anchor`` (default the largest) in
    the ``start``–``end`` window, from the user's visible records only."""
    user = request.user
    form = forms.NetworkForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    data = analysis.load_network(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        events=selectors.visible_events(user),
        start=params.get("start"),
        end=params.get("end"),
    )
    anchor = params.get("anchor")
    if anchor:
        canonical = str(data.canonical.get(anchor, anchor))
        if canonical not in data.entities:
            raise Http404(_("This entity has no tie in the chosen period."))
        data = analysis.component_of(data, canonical)
    else:
        data = analysis.largest_component(data)
    return data, form, params


def _query(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@investigator_only
@require_GET
def network(request):
    data, form, params = _network(request)
    n = data.network.graph.vcount()
    result = analysis.analyse(data, key_player_count=params.get("k") or 3) if n > 1 else None
    entities = selectors.visible_entities(request.user).filter(
        pk__in=[int(i) for i in data.entities]
    )
    path_form = forms.PathForm(request.GET if "source" in request.GET else None, entities=entities)
    path = temporal = None
    path_error = ""
    if path_form.is_bound and path_form.is_valid():
        source = str(path_form.cleaned_data["source"].pk)
        target = str(path_form.cleaned_data["target"].pk)
        ids = graph.shortest_path(data.network, source=source, target=target)
        path = [data.entities[i] for i in ids] if ids else None
        hops = graph.temporal_path(data.network, source=source, target=target)
        temporal = (
            [
                {
                    "from": data.entities[h.source],
                    "to": data.entities[h.target],
                    "time": h.time,
                    "kind": h.kind,
                }
                for h in hops.hops
            ]
            if hops
            else None
        )
        if path is None:
            path_error = _("No chain links these two entities in this network and period.")
    _audit_page(
        request,
        "network",
        {
            "nodes": n,
            "anchor": params.get("anchor"),
            "start": str(params.get("start") or ""),
            "end": str(params.get("end") or ""),
        },
    )

    def named(rows):
        return [{**row, "entity": data.entities.get(str(row["id"]))} for row in rows]

    summary = result["summary"] if result else {}
    context = {
        "form": form,
        "path_form": path_form,
        "path": path,
        "temporal": temporal,
        "path_error": path_error,
        "n_nodes": n,
        "n_edges": data.network.graph.ecount(),
        "summary": summary,
        "central": {name: named(rows) for name, rows in summary.get("central_actors", {}).items()},
        "community_brokers": named(summary.get("community_brokers", [])),
        "country_brokers": named(summary.get("country_brokers", [])),
        "key_players": [data.entities[i] for i in summary.get("key_players", {}).get("ids", [])],
        "disruption": summary.get("key_players", {}),
        "remaining": [
            [data.entities[i] for i in group]
            for group in summary.get("key_players", {}).get("remaining_components", [])
        ],
        "communities": [
            [data.entities[i] for i in members]
            for members in summary.get("communities", {}).get("members", [])
        ],
        "events": data.events[:300],
        "elements": analysis.cytoscape_elements(data, result),
        "query": _query({**request.GET.dict()}),
        "path_ids": [str(e.pk) for e in path] if path else [],
    }
    return render(request, "intel/network.html", context)


@investigator_only
@require_GET
def network_json(request):
    data, _form, params = _network(request)
    result = (
        analysis.analyse(data, key_player_count=params.get("k") or 3)
        if data.network.graph.vcount() > 1
        else None
    )
    _audit_page(request, "network_json", {"nodes": data.network.graph.vcount()})
    return JsonResponse(analysis.cytoscape_elements(data, result))


@investigator_only
@require_GET
def neighbours_json(request, pk: int):
    """The entity's direct neighbours and ties, to expand a node in the network view."""
    user = request.user
    entity = get_object_or_404(selectors.visible_entities(user), pk=pk).canonical
    data = analysis.load_network(
        entities=selectors.visible_entities(user),
        links=selectors.visible_links(user),
        events=selectors.visible_events(user),
    )
    node = str(entity.pk)
    if node not in data.entities:
        return JsonResponse({"nodes": [], "edges": []})
    index = data.network.index(node)
    keep = {node, *(data.network.ids[j] for j in data.network.graph.neighbors(index))}
    sub = analysis._restrict(data, keep)
    elements = analysis.cytoscape_elements(sub)
    elements["edges"] = [
        e for e in elements["edges"] if node in (e["data"]["source"], e["data"]["target"])
    ]
    audit_read(actor=user, target=entity, summary=_("neighbours in the network view"))
    return JsonResponse(elements)


def _export(request, fmt: str, data, **extra) -> None:
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="intel.network",
        object_id=fmt,
        summary=_("network export (%(fmt)s)") % {"fmt": fmt},
        detail={"nodes": data.network.graph.vcount(), "query": request.GET.dict(), **extra},
    )


def _download(content, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    stem, _dot, ext = filename.partition(".")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{ext}"'
    return response


@investigator_only
@require_GET
def export_ftm(request):
    data, _form, _params = _network(request)
    result, problems, count = exports.ftm_export(data, links=selectors.visible_links(request.user))
    _export(request, "ftm", data, entities=count, ftm_problems=[str(p) for p in problems[:50]])
    return _download(
        result, content_type="application/x-ndjson; charset=utf-8", filename="network.ftm.json"
    )


@investigator_only
@require_GET
def export_gexf(request):
    data, _form, params = _network(request)
    content = exports.gexf_export(data)
    _export(request, "gexf", data)
    return _download(
        content, content_type="application/xml; charset=utf-8", filename="network.gexf"
    )


@investigator_only
@require_GET
def export_graphml(request):
    data, _form, params = _network(request)
    content = exports.graphml_export(data)
    _export(request, "graphml", data)
    return _download(
        content, content_type="application/xml; charset=utf-8", filename="network.graphml"
    )


@investigator_only
@require_GET
def export_pdf(request):
    data, _form, params = _network(request)
    content = exports.case_file_pdf(
        data,
        key_player_count=params.get("k") or 3,
        author=request.user.get_full_name() or request.user.get_username(),
        period=(params.get("start"), params.get("end")),
    )
    _export(request, "pdf", data)
    return _download(content, content_type="application/pdf", filename="case-file.pdf")


# --- cross-border intelligence requests -------------------------------------------------------


@investigator_only
@require_http_methods(["GET", "POST"])
def requests(request):
    from corridor.federation.selectors import active_peers
    from corridor.intel import exchange

    user = request.user
    form = forms.IntelRequestForm(request.POST or None, peers=active_peers())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exchange.intel_request_send(
                actor=user,
                peer=data["peer"],
                identifiers=data["identifiers"],
                purpose=data["purpose"],
                legal_basis=data["legal_basis"],
            )
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("Request queued for the other node."))
            return redirect("intel:requests")
    _audit_page(request, "requests")
    return render(
        request,
        "intel/requests.html",
        {"form": form, "items": selectors.visible_intel_requests(user)[:100]},
    )


@investigator_only
@require_POST
def request_answer(request, pk: int):
    from corridor.intel import exchange

    item = get_object_or_404(selectors.visible_intel_requests(request.user), pk=pk)
    try:
        exchange.intel_response_send(actor=request.user, request=item)
        messages.success(request, _("Answer queued for the other node."))
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    return redirect("intel:requests")
