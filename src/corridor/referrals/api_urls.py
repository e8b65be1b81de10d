from rest_framework.routers import SimpleRouter

from corridor.referrals import api

router = SimpleRouter()
router.register("referrals", api.ReferralViewSet, basename="referral")
router.register(
    "cross-border-referrals", api.CrossBorderReferralViewSet, basename="cross-border-referral"
)
urlpatterns = router.urls
