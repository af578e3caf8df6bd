from matchmaking.models.events import (
    ConnectionEvent,
    EventSession,
    Meeting,
    MeetingOutcome,
    Registration,
)
from matchmaking.models.features import ListingFeatures, ListingMatchState
from matchmaking.models.matches import Match, MatchRun, MatchTransition, Notification
from matchmaking.models.programmes import CooperationProgramme, ReportedFigure

__all__ = [
    "ConnectionEvent",
    "CooperationProgramme",
    "EventSession",
    "ListingFeatures",
    "ListingMatchState",
    "Match",
    "MatchRun",
    "MatchTransition",
    "Meeting",
    "MeetingOutcome",
    "Notification",
    "Registration",
    "ReportedFigure",
]
