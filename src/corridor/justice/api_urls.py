from rest_framework.routers import SimpleRouter

from corridor.justice import api

router = SimpleRouter()
router.register("criminal-cases", api.CriminalCaseViewSet, basename="criminal-case")
router.register("accused", api.AccusedViewSet, basename="accused")
router.register("victims", api.VictimViewSet, basename="victim")
router.register("mla-requests", api.MlaRequestViewSet, basename="mla-request")
urlpatterns = router.urls
