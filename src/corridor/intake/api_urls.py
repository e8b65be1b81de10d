"""REST endpoints of intake (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.intake import api

router = SimpleRouter()
router.register("handoffs", api.HandoffViewSet, basename="handoff")
router.register("intakes", api.IntakeViewSet, basename="intake")

urlpatterns = router.urls
