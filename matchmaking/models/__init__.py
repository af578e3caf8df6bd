from matchmaking.models.features import ListingFeatures
from matchmaking.models.matches import Match, MatchRun, MatchTransition, Notification
from matchmaking.models.programmes import (
    ConnectionEvent,
    CooperationProgramme,
    ReportedFigure,
)

__all__ = [
    "ConnectionEvent",
    "CooperationProgramme",
    "ListingFeatures",
    "Match",
    "MatchRun",
    "MatchTransition",
    "Notification",
    "ReportedFigure",
]
