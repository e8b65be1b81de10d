"""The addresses cross-border referral pages had under ``/federation/`` before they moved to the
referrals app: permanent redirects, so bookmarks and links in old e-mails keep working."""

from django.urls import path
from django.views.generic import RedirectView


def _moved(name: str):
    return RedirectView.as_view(pattern_name=name, permanent=True, query_string=True)


urlpatterns = [
    path("referrals/", _moved("referrals:cross_border_list")),
    path("referrals/<int:pk>/", _moved("referrals:cross_border_detail")),
    path("refer/<int:case_id>/", _moved("referrals:cross_border_refer")),
]
