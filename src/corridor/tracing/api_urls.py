"""REST endpoints of family tracing (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.tracing import api

router = SimpleRouter()
router.register("tracing-requests", api.TracingRequestViewSet, basename="tracing-request")
router.register("duplicates", api.DuplicateViewSet, basename="duplicate")
router.register("merges", api.MergeViewSet, basename="merge")
router.register("match-models", api.MatchModelViewSet, basename="match-model")

urlpatterns = router.urls
