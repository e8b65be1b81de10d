"""REST endpoints of people (included once by ``corridor.api_urls``)."""

from rest_framework.routers import SimpleRouter

from corridor.people import api

router = SimpleRouter()
router.register("persons", api.PersonViewSet, basename="person")

urlpatterns = router.urls
