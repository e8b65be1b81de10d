from django.urls import path, re_path

from corridor.flows import views

app_name = "flows"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    re_path(r"^dashboard\.(?P<fmt>pdf|png)$", views.dashboard_export, name="dashboard_export"),
    path("sheets/", views.sheet_list, name="sheet_list"),
    path("sheets/new/", views.sheet_entry, name="sheet_entry"),
    path("surveys/new/", views.survey_entry, name="survey_entry"),
    path("submissions/", views.submission_upload, name="submissions"),
    path("alerts/", views.alert_list, name="alerts"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
