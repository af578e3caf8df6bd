"""A match's transitions read with their statuses' names ("∅ → Đã đề xuất"), in the admin's
change history and lists, never with the stored codes ("∅ → proposed")."""

from django.utils import translation

from matchmaking.models import MatchTransition
from matchmaking.tests.factories import supply_and_demand_match


def test_a_transition_reads_with_status_names(actors, reference):

    match = supply_and_demand_match(actors, reference)
    step = MatchTransition(match=match, from_status="", to_status="proposed")

    with translation.override("vi"):
        assert str(step) == "∅ → Đã đề xuất"
    with translation.override("en"):
        assert str(step) == "∅ → Proposed"


def test_a_deal_event_reads_with_stage_names():
    from matchmaking.models import DealEvent

    step = DealEvent(from_stage="negotiating", to_stage="contract_signed")
    with translation.override("en"):
        assert str(step) == "Negotiating → Contract signed"
    with translation.override("vi"):
        assert "negotiating" not in str(step) and str(step).startswith("Đang")
    assert str(DealEvent(from_stage="", to_stage="connected")).startswith("∅ → ")
