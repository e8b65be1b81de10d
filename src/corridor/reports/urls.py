from django.urls import path, re_path

from corridor.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(r"^indicators\.(?P<fmt>pdf|png)$", views.export, name="export"),
    path("training/", views.training, name="training"),
    path("publish/", views.publish, name="publish"),
    path("published/", views.published, name="published"),
    path("published/<int:pk>.csv", views.publication_download, name="download"),
]
