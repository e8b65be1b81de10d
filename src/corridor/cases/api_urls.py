"""REST endpoints of people, cases, screenings and approvals (referrals come with their app)."""

from rest_framework.routers import SimpleRouter

from corridor.cases import api

router = SimpleRouter()
router.register("persons", api.PersonViewSet, basename="person")
router.register("cases", api.CaseViewSet, basename="case")
router.register("screenings", api.ScreeningViewSet, basename="screening")
router.register("approvals", api.ApprovalViewSet, basename="approval")

urlpatterns = router.urls
