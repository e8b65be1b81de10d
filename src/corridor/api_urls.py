"""The REST API: each capability adds its router here (same services and scopes as the pages)."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("corridor.people.api_urls")),
    path("", include("corridor.cases.api_urls")),
    path("childcare/", include("corridor.childcare.api_urls")),
    path("", include("corridor.screening.api_urls")),
    path("", include("corridor.referrals.api_urls")),
    path("", include("corridor.flows.api_urls")),
    path("", include("corridor.reports.api_urls")),
    path("", include("corridor.tracing.api_urls")),
    path("justice/", include("corridor.justice.api_urls")),
    path("", include("corridor.intake.api_urls")),
    path("intel/", include("corridor.intel.api_urls")),
]
