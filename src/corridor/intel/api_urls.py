"""REST endpoints of intelligence (investigators only), mounted at ``/api/intel/``."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from corridor.intel import api

router = SimpleRouter()
router.register("entities", api.EntityViewSet, basename="intel-entity")
router.register("events", api.EventViewSet, basename="intel-event")

urlpatterns = [
    path("", include(router.urls)),
    path("network/", api.network_summary, name="intel-network"),
    path("imports/", api.import_file, name="intel-import"),
]
