from django.urls import path

from corridor.intel.views import cross_border, imports, network, records, resolution

app_name = "intel"
urlpatterns = [
    path("", records.home, name="home"),
    path("entities/", records.entity_list, name="entity_list"),
    path("entities/new/", records.entity_create, name="entity_create"),
    path("entities/<int:pk>/", records.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/unmerge/", resolution.unmerge, name="unmerge"),
    path("entities/<int:pk>/neighbours.json", network.neighbours_json, name="neighbours_json"),
    path("links/new/", records.link_create, name="link_create"),
    path("events/new/", records.event_create, name="event_create"),
    path("reports/new/", records.report_create, name="report_create"),
    path("reports/<int:pk>/", records.report_detail, name="report_detail"),
    path("imports/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", imports.import_errors, name="import_errors"),
    path("duplicates/", resolution.duplicates, name="duplicates"),
    path("duplicates/judge/", resolution.judge, name="judge"),
    path("judgements/", resolution.judgements, name="judgements"),
    path("network/", network.network, name="network"),
    path("network.json", network.network_json, name="network_json"),
    path("export/ftm/", network.export_ftm, name="export_ftm"),
    path("export/gexf/", network.export_gexf, name="export_gexf"),
    path("export/graphml/", network.export_graphml, name="export_graphml"),
    path("export/pdf/", network.export_pdf, name="export_pdf"),
    path("requests/", cross_border.requests, name="requests"),
    path("requests/<int:pk>/answer/", cross_border.request_answer, name="request_answer"),
]
