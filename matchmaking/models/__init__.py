from matchmaking.models.deals import Deal, DealEvent, Delivery
from matchmaking.models.features import ListingFeatures, ListingMatchState
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
    "Deal",
    "DealEvent",
    "Delivery",
    "ListingFeatures",
    "ListingMatchState",
    "Match",
    "MatchRun",
    "MatchRunChunk",
    "MatchTransition",
    "Notification",
    "ReportedFigure",
]
