"""Network analysis, the interactive network view and the network exports."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from corridor.audit.models import Action
from corridor.audit.services import audit_read, audit_record, node_text
from corridor.intel import analysis, exports, forms, graph, selectors
from corridor.intel.views.common import audit_page, investigator_only


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
                    "time": parse_datetime(h.time) if h.time else None,
                    "kind": h.kind,
                }
                for h in hops.hops
            ]
            if hops
            else None
        )
        if path is None:
            path_error = _("No chain links these two entities in this network and period.")
    audit_page(
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
    audit_page(request, "network_json", {"nodes": data.network.graph.vcount()})
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
    audit_read(
        actor=user, target=entity, summary=node_text(gettext_noop("neighbours in the network view"))
    )
    return JsonResponse(elements)


def _export(request, fmt: str, data, **extra) -> None:
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="intel.network",
        object_id=fmt,
        summary=node_text(gettext_noop("network export (%(fmt)s)"), fmt=fmt),
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
