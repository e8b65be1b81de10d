from rest_framework.routers import SimpleRouter

from corridor.childcare import api

router = SimpleRouter()
router.register("child-cases", api.ChildCaseViewSet, basename="child-case")
router.register("shelter-occupancy", api.OccupancyViewSet, basename="shelter-occupancy")
urlpatterns = router.urls
