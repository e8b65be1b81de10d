"""REST endpoints of flow monitoring (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.flows import api

router = SimpleRouter()
router.register("flows/points", api.PointViewSet, basename="flow-point")
router.register("flows/daily", api.DailyViewSet, basename="flow-daily")
router.register("flows/sheets", api.SheetViewSet, basename="flow-sheet")
router.register("flows/surveys", api.SurveyViewSet, basename="flow-survey")
router.register("flows/submissions", api.SubmissionViewSet, basename="flow-submission")
router.register("flows/alerts", api.AlertViewSet, basename="flow-alert")
router.register("flows/notifications", api.NotificationViewSet, basename="flow-notification")

urlpatterns = router.urls
