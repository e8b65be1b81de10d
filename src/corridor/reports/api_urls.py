"""REST endpoints of reports (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.reports import api

router = SimpleRouter()
router.register("published", api.PublicationViewSet, basename="publication")
router.register("privacy-budgets", api.BudgetViewSet, basename="privacy-budget")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("trainings", api.TrainingViewSet, basename="training")

urlpatterns = router.urls
