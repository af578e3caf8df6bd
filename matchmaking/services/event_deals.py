"""A meeting's next step opens a deal: the bridge from connection events to the deal pipeline.

After a held meeting either side reports its outcome; when the next step is samples, a quote
or a contract it may open the deal at once (``open_deal=True``) or note the step for later
(the outcome keeps it; reporting again with ``open_deal`` opens the deal then).

A deal belongs to a connected match (``Deal.match`` is required), so the rule is:

1. The match is the meeting's own (it was requested from it) if it is still live, else the
   best live match between the listings the two brought to the event.
2. A match already connected keeps its deal (the deal learns the event and the meeting if it
   did not know them). A match still waiting for answers is **connected by the meeting**: both
   sides agreed to meet (one asked, the other accepted) and have met, so the one who reports
   the next step connects it for both; the audit trail names the event, and both sides
   are told as for any connection (contacts open).
3. No live match between their listings: no deal (409 with a message, nothing saved); the
   side notes the next step for later instead, and an officer can introduce the two listings by hand, which connects nothing by
   itself but makes step 1 find a match.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from matchmaking.models import Deal, Match, Meeting, MeetingOutcome
from matchmaking.services import deals, notifications
from matchmaking.services.transitions import S, locked, record

DEAL_STEPS = (
    MeetingOutcome.NextStep.SAMPLES,
    MeetingOutcome.NextStep.QUOTE,
    MeetingOutcome.NextStep.CONTRACT,
)


class NoMatchForDeal(DomainError):
    """Nothing links the two's listings, so there is no match to hang a deal on (HTTP 409)."""

    code = "no_match"


def _met_note(meeting: Meeting) -> str:
    """The audit note: the event's names, in both languages (notes are not translated)."""
    return f"{meeting.event.name} / {meeting.event.name_en}"[:300]


def connect_met(match: Match, *, meeting: Meeting, by_user, side: str) -> Match:
    """A match waiting for answers becomes connected because the two met (see rule 2)."""
    match = locked(match)
    if match.status == S.CONNECTED:
        return match
    if match.status not in Match.PENDING_STATUSES or match.hidden:
        raise NoMatchForDeal(_("The match between the two is closed; no deal can open from it."))
    previous = match.status
    now = timezone.now()
    match.supply_accepted_at = match.supply_accepted_at or now
    match.demand_accepted_at = match.demand_accepted_at or now
    match.status = S.CONNECTED
    match.connected_at = now
    match.save()
    record(
        match,
        from_status=previous,
        by_user=by_user,
        side=side,
        note=_met_note(meeting),
    )
    notifications.notify_connected(match)
    notifications.send_digests_on_commit()
    return match


def deal_from_meeting(*, meeting: Meeting, match: Match | None, organization, by_user) -> Deal:
    """The deal a held meeting's next step opens (or the pair's existing one). Call it inside
    the transaction that records the outcome."""
    if match is None:
        raise NoMatchForDeal(
            _(
                "No match links the listings the two brought, so no deal can open yet: "
                "note the next step for later. An officer can introduce the listings."
            )
        )
    own = match.supply.organization_id == organization.pk
    side = Match.Side.SUPPLY if own else Match.Side.DEMAND
    match = connect_met(match, meeting=meeting, by_user=by_user, side=side)
    deal = deals.open_deal(
        match,
        by_user=by_user,
        side=side,
        note=_met_note(meeting),
    )
    changed = []
    if deal.event_id is None:
        deal.event = meeting.event
        changed.append("event")
    if deal.meeting_id is None:
        deal.meeting = meeting
        changed.append("meeting")
    if changed:
        deal.save(update_fields=[*changed, "updated_at"])
    return deal
