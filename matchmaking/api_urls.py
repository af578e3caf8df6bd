from django.urls import path
from rest_framework.routers import SimpleRouter

from matchmaking import api
from matchmaking.api_near_misses import NearMissView

router = SimpleRouter()
router.register("matches", api.MatchViewSet, basename="match")
router.register("match-runs", api.MatchRunViewSet, basename="match-run")
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns = [
    path("listings/<str:pk>/near-misses/", NearMissView.as_view(), name="listing-near-misses"),
    *router.urls,
]
