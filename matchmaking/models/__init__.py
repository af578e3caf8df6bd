from matchmaking.models.features import ListingFeatures
from matchmaking.models.matches import Match, MatchRun, MatchTransition, Notification
from matchmaking.models.programmes import (
    ConnectionEvent,
    CooperationProgramme,
    ReportedFigure,
)
from matchmaking.models.runs import MatchRunChunk

__all__ = [
    "ConnectionEvent",
    "CooperationProgramme",
    "ListingFeatures",
    "Match",
    "MatchRun",
    "MatchRunChunk",
    "MatchTransition",
    "Notification",
    "ReportedFigure",
]
