from rest_framework.routers import SimpleRouter

from matchmaking import api

router = SimpleRouter()
router.register("matches", api.MatchViewSet, basename="match")
router.register("match-runs", api.MatchRunViewSet, basename="match-run")
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = router.urls
