"""Only this area's API, to check its OpenAPI schema on its own."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/", include(("corridor.tracing.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]
