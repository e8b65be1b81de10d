"""The node's URLs plus the federation API, as ``corridor.api_urls`` will include it."""

from django.urls import include, path

from corridor.urls import handler403, handler404  # noqa: F401
from corridor.urls import urlpatterns as node_urls

urlpatterns = [path("api/federation/", include("corridor.federation.api_urls")), *node_urls]
