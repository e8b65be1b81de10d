"""HTCDS import and export pages, included by ``cases/urls.py`` under ``htcds/``."""

from django.urls import path

from corridor.cases import views_htcds

app_name = "htcds"
urlpatterns = [
    path("", views_htcds.htcds_page, name="index"),
    path("import/report.csv", views_htcds.htcds_error_report, name="report"),
    path("export/<str:fmt>/", views_htcds.htcds_download, name="export"),
]
