"""REST endpoints of screenings (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.screening import api

router = SimpleRouter()
router.register("screenings", api.ScreeningViewSet, basename="screening")

urlpatterns = router.urls
