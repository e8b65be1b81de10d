"""The whole site plus this area's API, until ``corridor.api_urls`` includes it."""

from django.urls import include, path

from corridor.urls import urlpatterns as site

urlpatterns = [
    path("api/", include(("corridor.tracing.api_urls", "tracing_api"))),
    *site,
]
