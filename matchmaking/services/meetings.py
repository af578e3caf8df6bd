"""1:1 meetings at a connection event: suggested from matches, requested, answered, reported.

A member of a registered organization requests a meeting with another participant; a member
of the counterpart accepts or declines; either side cancels. A request not answered within
the event's ``request_days`` (and never after the first session starts) expires. Each side
may hold at most ``meeting_cap`` live meetings. Both sides hear of every step in the app and
in the email digest (one call site: :func:`_notify`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import is_member
from core.errors import DomainError
from matchmaking.models import (
    ConnectionEvent,
    Match,
    Meeting,
    MeetingOutcome,
    Registration,
)
from matchmaking.services import event_deals, notifications

# After the schedule is made, late requests are still possible (the organiser re-runs the
# scheduler, which keeps the published meetings in place), until the first session starts.
REQUESTABLE = (
    ConnectionEvent.Status.OPEN,
    ConnectionEvent.Status.CLOSED,
    ConnectionEvent.Status.SCHEDULED,
)


class MeetingStateError(DomainError):
    code = "illegal_transition"


class MeetingCapError(DomainError):
    code = "meeting_cap"


# --- suggestions -------------------------------------------------------------------------------


@dataclass
class Suggestion:
    organization: Organization
    score: float
    match: Match
    meeting: Meeting | None  # a live meeting the pair already has


def _registered_listings(event: ConnectionEvent) -> dict[int, int]:
    """{listing id: organization id} of every listing brought to the event."""
    through = Registration.listings.through
    rows = through.objects.filter(registration__event=event).values_list(
        "listing_id", "registration__organization_id"
    )
    return dict(rows)


def best_matches(event: ConnectionEvent, organization_id: int) -> dict[int, Match]:
    """{counterpart organization id: the best live match between the two's listings}."""
    listings = _registered_listings(event)
    mine = {lid for lid, org in listings.items() if org == organization_id}
    theirs = {lid for lid, org in listings.items() if org != organization_id}
    if not mine or not theirs:
        return {}
    matches = (
        Match.objects.filter(status__in=Match.ACTIVE_STATUSES, hidden=False)
        .filter(
            Q(supply_id__in=mine, demand_id__in=theirs)
            | Q(demand_id__in=mine, supply_id__in=theirs)
        )
        .order_by("-score", "pk")
    )
    best: dict[int, Match] = {}
    for match in matches:
        other = match.demand_id if match.supply_id in mine else match.supply_id
        best.setdefault(listings[other], match)
    return best


def suggested_meetings(*, event: ConnectionEvent, organization: Organization) -> list[Suggestion]:
    """Registered counterparts ranked by the best match between their listings."""
    best = best_matches(event, organization.pk)
    orgs = Organization.objects.select_related("province").in_bulk(list(best))
    live = {
        (m.counterpart_id if m.requester_id == organization.pk else m.requester_id): m
        for m in Meeting.objects.filter(event=event, status__in=Meeting.LIVE_STATUSES).involving(
            organization.pk
        )
    }
    suggestions = [
        Suggestion(organization=orgs[org_id], score=m.score, match=m, meeting=live.get(org_id))
        for org_id, m in best.items()
    ]
    suggestions.sort(key=lambda s: (-s.score, s.organization.name))
    return suggestions


# --- requests and answers ----------------------------------------------------------------------


def _notify(meeting: Meeting, organization_id: int, what: str, **params) -> None:
    """In-app to every member of the organization; the email digest follows on commit."""
    notifications.notify_meeting(
        organization_id=organization_id,
        what=what,
        event=meeting.event,
        match=meeting.match,
        **params,
    )


def _live_count(event: ConnectionEvent, organization_id: int, statuses) -> int:
    return (
        Meeting.objects.filter(event=event, status__in=statuses).involving(organization_id).count()
    )


def _check_cap(event: ConnectionEvent, organization: Organization, statuses) -> None:
    if _live_count(event, organization.pk, statuses) >= event.meeting_cap:
        raise MeetingCapError(
            _("%(org)s already has the most meetings allowed at this event (%(cap)d).")
            % {"org": organization.name, "cap": event.meeting_cap}
        )


def request_deadline(event: ConnectionEvent, now: datetime.datetime) -> datetime.datetime:
    deadline = now + datetime.timedelta(days=event.request_days)
    first = event.sessions.order_by("starts_at").values_list("starts_at", flat=True).first()
    return min(deadline, first) if first else deadline


@transaction.atomic
def meeting_request(
    *,
    event: ConnectionEvent,
    requester: Organization,
    counterpart: Organization,
    by_user,
    match: Match | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    now = now or timezone.now()
    if not is_member(by_user, requester):
        raise PermissionDenied(_("Only members of the requesting organization may ask."))
    event = ConnectionEvent.objects.select_for_update().get(pk=event.pk)
    expires_at = request_deadline(event, now)
    if event.status not in REQUESTABLE or expires_at <= now:
        raise MeetingStateError(_("Meetings can be requested only before the event starts."))
    registered = set(
        Registration.objects.filter(
            event=event, organization__in=[requester.pk, counterpart.pk]
        ).values_list("organization_id", flat=True)
    )
    errors: dict[str, list[str]] = {}
    if requester.pk not in registered:
        errors["requester"] = [_("This organization is not registered for the event.")]
    if counterpart.pk == requester.pk:
        errors["counterpart"] = [_("An organization cannot meet itself.")]
    elif counterpart.pk not in registered:
        errors["counterpart"] = [_("This organization is not registered for the event.")]
    if errors:
        raise ValidationError(errors)
    best = best_matches(event, requester.pk).get(counterpart.pk)
    if match is not None:
        orgs = {match.supply.organization_id, match.demand.organization_id}
        if orgs != {requester.pk, counterpart.pk}:
            raise ValidationError({"match": [_("This match is not between the two.")]})
    pair = Meeting.objects.filter(event=event, status__in=Meeting.LIVE_STATUSES).filter(
        Q(requester=requester, counterpart=counterpart)
        | Q(requester=counterpart, counterpart=requester)
    )
    if pair.exists():
        raise ValidationError({"counterpart": [_("The two already have a meeting at this event.")]})
    _check_cap(event, requester, Meeting.LIVE_STATUSES)
    match = match or best
    meeting = Meeting(
        event=event,
        requester=requester,
        counterpart=counterpart,
        match=match,
        score=match.score if match else 0.0,
        note=note,
        requested_by=by_user,
        expires_at=expires_at,
    )
    meeting.full_clean()
    meeting.save()
    _notify(meeting, counterpart.pk, "requested", org=requester.name)
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("event").get(pk=meeting.pk)


def _answer(meeting: Meeting, by_user, now) -> Meeting:
    meeting = _locked(meeting)
    if not is_member(by_user, meeting.counterpart):
        raise PermissionDenied(_("Only the invited organization answers a meeting request."))
    if meeting.status != Meeting.Status.REQUESTED:
        raise MeetingStateError(
            _("This meeting is “%(status)s”: there is no request to answer.")
            % {"status": meeting.get_status_display()}
        )
    if now >= meeting.expires_at:
        raise MeetingStateError(_("This request has expired."))
    return meeting


@transaction.atomic
def meeting_accept(*, meeting: Meeting, by_user, now=None) -> Meeting:
    meeting = _answer(meeting, by_user, now or timezone.now())
    for org in (meeting.requester, meeting.counterpart):
        _check_cap(meeting.event, org, (Meeting.Status.ACCEPTED, Meeting.Status.SCHEDULED))
    meeting.status = Meeting.Status.ACCEPTED
    meeting.save(update_fields=["status", "updated_at"])
    _notify(meeting, meeting.requester_id, "accepted", org=meeting.counterpart.name)
    return meeting


@transaction.atomic
def meeting_decline(*, meeting: Meeting, by_user, now=None) -> Meeting:
    meeting = _answer(meeting, by_user, now or timezone.now())
    meeting.status = Meeting.Status.DECLINED
    meeting.save(update_fields=["status", "updated_at"])
    _notify(meeting, meeting.requester_id, "declined", org=meeting.counterpart.name)
    return meeting


def _acting_side(meeting: Meeting, by_user) -> Organization:
    for org in (meeting.requester, meeting.counterpart):
        if is_member(by_user, org):
            return org
    raise PermissionDenied(_("Only the two sides of a meeting may do this."))


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by_user) -> Meeting:
    meeting = _locked(meeting)
    side = _acting_side(meeting, by_user)
    if meeting.status not in Meeting.LIVE_STATUSES:
        raise MeetingStateError(
            _("A “%(status)s” meeting cannot be cancelled.")
            % {"status": meeting.get_status_display()}
        )
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_by = side
    meeting.starts_at = meeting.ends_at = meeting.table = None
    meeting.save()
    other = meeting.counterpart_id if side.pk == meeting.requester_id else meeting.requester_id
    _notify(meeting, other, "cancelled", org=side.name)
    return meeting


@transaction.atomic
def meetings_expire(*, now: datetime.datetime | None = None) -> int:
    """Requests nobody answered in time are cancelled (``expired``); both sides are told."""
    now = now or timezone.now()
    due = list(
        Meeting.objects.select_for_update(skip_locked=True)
        .filter(status=Meeting.Status.REQUESTED, expires_at__lte=now)
        .select_related("event", "requester", "counterpart")
    )
    for meeting in due:
        meeting.status = Meeting.Status.CANCELLED
        meeting.expired = True
        meeting.save(update_fields=["status", "expired", "updated_at"])
        for org_id in meeting.sides():
            _notify(
                meeting,
                org_id,
                "expired",
                org=meeting.requester.name,
                other=meeting.counterpart.name,
            )
    return len(due)


# --- after the slot ----------------------------------------------------------------------------


@transaction.atomic
def meeting_record_outcome(
    *,
    meeting: Meeting,
    by_user,
    held: bool,
    interest: str = MeetingOutcome.Interest.NONE,
    next_step: str = MeetingOutcome.NextStep.NONE,
    note: str = "",
    open_deal: bool = False,
    now: datetime.datetime | None = None,
) -> MeetingOutcome:
    """Either side reports after the slot; the meeting becomes ``held`` or ``no_show``.

    With ``open_deal`` a next step of samples, a quote or a contract opens the pair's deal
    (``event_deals``: the rule when their match is not connected yet); without it the next
    step is only noted, and reporting again with ``open_deal`` opens the deal later.
    ``outcome.deal`` is the deal opened (or found), else None.
    """
    now = now or timezone.now()
    meeting = _locked(meeting)
    side = _acting_side(meeting, by_user)
    if meeting.status not in Meeting.AGENDA_STATUSES or meeting.ends_at is None:
        raise MeetingStateError(_("Only a scheduled meeting has an outcome."))
    if now < meeting.ends_at:
        raise MeetingStateError(_("The outcome can be recorded once the meeting's slot is over."))
    if open_deal and not (held and next_step in event_deals.DEAL_STEPS):
        raise ValidationError(
            {
                "open_deal": [
                    _(
                        "A deal opens from a held meeting whose next step is samples, a quote "
                        "or a contract."
                    )
                ]
            }
        )
    outcome, _created = MeetingOutcome.objects.update_or_create(
        meeting=meeting,
        organization=side,
        defaults={
            "held": held,
            "interest": interest if held else MeetingOutcome.Interest.NONE,
            "next_step": next_step if held else MeetingOutcome.NextStep.NONE,
            "note": note,
            "reported_by": by_user,
        },
    )
    outcome.full_clean()
    any_held = meeting.outcomes.filter(held=True).exists()
    meeting.status = Meeting.Status.HELD if any_held else Meeting.Status.NO_SHOW
    meeting.save(update_fields=["status", "updated_at"])
    outcome.deal = None
    if open_deal:
        outcome.deal = event_deals.deal_from_meeting(
            meeting=meeting, match=meeting_match(meeting), organization=side, by_user=by_user
        )
    return outcome


def meeting_match(meeting: Meeting) -> Match | None:
    """The match a deal from this meeting hangs on: the meeting's own while it is live, else
    the best live match between the listings the two brought (None when there is none)."""
    own = meeting.match
    if (
        own is not None
        and own.status in Match.ACTIVE_STATUSES
        and not own.hidden
        and {own.supply.organization_id, own.demand.organization_id} == set(meeting.sides())
    ):
        return own
    return best_matches(meeting.event, meeting.requester_id).get(meeting.counterpart_id)
