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
