from rest_framework.routers import SimpleRouter

from matchmaking import api, api_deals

router = SimpleRouter()
router.register("matches", api.MatchViewSet, basename="match")
router.register("match-runs", api.MatchRunViewSet, basename="match-run")
router.register("deals", api_deals.DealViewSet, basename="deal")
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = router.urls
