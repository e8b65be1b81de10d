"""REST endpoints of family tracing (include from ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.tracing import api

router = SimpleRouter()
router.register("tracing-requests", api.TracingRequestViewSet, basename="tracing-request")
router.register("duplicates", api.DuplicateViewSet, basename="duplicate")

urlpatterns = router.urls
