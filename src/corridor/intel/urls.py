from django.urls import path

from corridor.intel import views

app_name = "intel"
urlpatterns = [
    path("", views.home, name="home"),
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_create, name="entity_create"),
    path("entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/unmerge/", views.unmerge, name="unmerge"),
    path("entities/<int:pk>/neighbours.json", views.neighbours_json, name="neighbours_json"),
    path("links/new/", views.link_create, name="link_create"),
    path("events/new/", views.event_create, name="event_create"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/judge/", views.judge, name="judge"),
    path("judgements/", views.judgements, name="judgements"),
    path("network/", views.network, name="network"),
    path("network.json", views.network_json, name="network_json"),
    path("export/ftm/", views.export_ftm, name="export_ftm"),
    path("export/gexf/", views.export_gexf, name="export_gexf"),
    path("export/graphml/", views.export_graphml, name="export_graphml"),
    path("export/pdf/", views.export_pdf, name="export_pdf"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
]
