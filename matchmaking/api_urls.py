from django.urls import path
from rest_framework.routers import SimpleRouter

from matchmaking import api, api_deals, api_events, api_pools
from matchmaking.api_learning import LearningResetView, LearningView
from matchmaking.api_near_misses import NearMissView
from matchmaking.api_stats import StatsView

router = SimpleRouter()
router.register("matches", api.MatchViewSet, basename="match")
router.register("match-runs", api.MatchRunViewSet, basename="match-run")
router.register("deals", api_deals.DealViewSet, basename="deal")
router.register("notifications", api.NotificationViewSet, basename="notification")
router.register("events", api_events.EventViewSet, basename="event")
router.register("meetings", api_events.MeetingViewSet, basename="meeting")
router.register("pools", api_pools.PoolViewSet, basename="pool")

urlpatterns = [
    path("listings/<str:pk>/near-misses/", NearMissView.as_view(), name="listing-near-misses"),
    path("organizations/<str:pk>/learning/", LearningView.as_view(), name="organization-learning"),
    path(
        "organizations/<str:pk>/learning/reset/",
        LearningResetView.as_view(),
        name="organization-learning-reset",
    ),
    path("events/<str:pk>/agenda.ics", api_events.AgendaICSView.as_view(), name="event-agenda-ics"),
    path("stats/", StatsView.as_view(), name="stats"),
    *router.urls,
]
