from rest_framework.routers import SimpleRouter

from listings import api

router = SimpleRouter()
router.register("listings", api.ListingViewSet, basename="listing")

urlpatterns = router.urls
