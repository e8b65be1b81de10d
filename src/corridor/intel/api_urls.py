"""REST endpoints of intelligence (investigators only), mounted at ``/api/intel/``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from corridor.intel import api

router = SimpleRouter()
router.register("entities", api.EntityViewSet, basename="intel-entity")
router.register("events", api.EventViewSet, basename="intel-event")
router.register("links", api.LinkViewSet, basename="intel-link")
router.register("reports", api.ReportViewSet, basename="intel-report")
router.register("imports", api.ImportViewSet, basename="intel-import")
router.register("duplicates", api.DuplicateViewSet, basename="intel-duplicate")
router.register("judgements", api.JudgementViewSet, basename="intel-judgement")
router.register("requests", api.IntelRequestViewSet, basename="intel-request")

urlpatterns = [
    path("", include(router.urls)),
    path("network/", api.NetworkView.as_view(), name="intel-network"),
]
