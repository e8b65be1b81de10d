from rest_framework.routers import SimpleRouter

from corridor.referrals import api

router = SimpleRouter()
router.register("referrals", api.ReferralViewSet, basename="referral")
urlpatterns = router.urls
