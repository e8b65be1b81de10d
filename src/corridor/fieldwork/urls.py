from django.urls import path

from corridor.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("", views.app, name="app"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("pack/", views.pack, name="pack"),
    path("sync/", views.sync, name="sync"),
    path("conflicts/", views.conflicts, name="conflicts"),
]
