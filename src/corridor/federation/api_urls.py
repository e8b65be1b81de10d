"""REST endpoints of cross-border referrals (to be wired in ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.federation import api

router = SimpleRouter()
router.register("cross-border-referrals", api.ReferralViewSet, basename="cross-border-referral")

urlpatterns = router.urls
