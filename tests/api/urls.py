"""Only the API this area owns, to check its schema on its own."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("api/", include(("corridor.cases.api_urls", "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]

# What docs/api.md asks settings.SPECTACULAR_SETTINGS to carry; passed with --custom-settings.
from corridor.cases.api import ENUM_NAME_OVERRIDES  # noqa: E402

SPECTACULAR = {"ENUM_NAME_OVERRIDES": ENUM_NAME_OVERRIDES}
