from matchmaking.models.programmes import (
    ConnectionEvent,
    CooperationProgramme,
    ReportedFigure,
)

__all__ = ["ConnectionEvent", "CooperationProgramme", "ReportedFigure"]
