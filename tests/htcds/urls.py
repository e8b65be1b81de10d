"""The node's URLs with the HTCDS pages mounted where the case pages will include them
(``cases/urls.py``: ``path("htcds/", include("corridor.cases.urls_htcds"))``)."""

from django.urls import include, path

from corridor import urls as root
from corridor.cases import urls as cases_urls

cases_patterns = (
    [*cases_urls.urlpatterns, path("htcds/", include("corridor.cases.urls_htcds"))],
    "cases",
)
urlpatterns = [path("cases/", include(cases_patterns)), *root.urlpatterns]
handler403 = root.handler403
handler404 = root.handler404
