"""The node's URLs plus the flows API, as the lead wires it in ``corridor.api_urls``."""

from django.urls import include, path

from corridor.urls import handler403, handler404  # noqa: F401
from corridor.urls import urlpatterns as node_urlpatterns

urlpatterns = [*node_urlpatterns, path("api/", include("corridor.flows.api_urls"))]
