"""REST endpoints of flows and published statistics (wired in ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.flows import api

router = SimpleRouter()
router.register("flows/points", api.PointViewSet, basename="flow-point")
router.register("flows/daily", api.DailyViewSet, basename="flow-daily")
router.register("flows/sheets", api.SheetViewSet, basename="flow-sheet")
router.register("flows/submissions", api.SubmissionImportViewSet, basename="flow-submission")
router.register("published", api.PublicationViewSet, basename="publication")

urlpatterns = router.urls
