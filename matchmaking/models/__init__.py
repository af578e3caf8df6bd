from matchmaking.models.deals import Deal, DealEvent, Delivery
from matchmaking.models.events import (
    ConnectionEvent,
    EventSession,
    Meeting,
    MeetingOutcome,
    Registration,
)
from matchmaking.models.features import ListingFeatures, ListingMatchState
from matchmaking.models.learning import DeclineLearning
from matchmaking.models.matches import Match, MatchRun, MatchTransition, Notification
from matchmaking.models.outcomes import OutcomeChange
from matchmaking.models.pools import Pool, PoolMember
from matchmaking.models.programmes import CooperationProgramme, ReportedFigure
from matchmaking.models.runs import MatchRunChunk

__all__ = [
    "ConnectionEvent",
    "CooperationProgramme",
    "Deal",
    "DealEvent",
    "DeclineLearning",
    "Delivery",
    "EventSession",
    "ListingFeatures",
    "ListingMatchState",
    "Match",
    "MatchRun",
    "MatchRunChunk",
    "MatchTransition",
    "Meeting",
    "MeetingOutcome",
    "Notification",
    "OutcomeChange",
    "Pool",
    "PoolMember",
    "Registration",
    "ReportedFigure",
]
