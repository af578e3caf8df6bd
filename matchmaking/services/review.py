"""The two-sided review of a proposed match: the one door for every change of its status.

``proposed`` → ``accepted_by_supply`` / ``accepted_by_demand`` → ``connected`` once both sides
have accepted; ``declined`` by either side (with a reason) while it waits; ``expired`` when
nobody answers by ``respond_by`` (``expiry``); ``withdrawn`` when a listing no longer
qualifies, and ``proposed`` again when it qualifies once more. Officers may reopen an expired
proposal, hide one, or introduce two listings by hand (``introductions``).

Every change is recorded as a :class:`MatchTransition` (see ``transitions``). An illegal
change raises :class:`MatchStateError`, which the API answers with 409 and the message. The
names below stay importable from here (the expiry, introduction and read functions live in
their own modules).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking import engine
from matchmaking.models import Match, MatchRun, MatchTransition
from matchmaking.selectors import decline_summary
from matchmaking.services import deals, learning, notifications
from matchmaking.services.expiry import expire_and_remind, match_expire
from matchmaking.services.introductions import match_introduce
from matchmaking.services.transitions import (
    SCORE_FIELDS,
    MatchStateError,
    S,
    acting_side,
    clean_decline,
    locked,
    record,
    require_officer,
    review_days,
    review_deadline,
)

__all__ = [
    "MatchStateError",
    "decline_summary",
    "expire_and_remind",
    "match_accept",
    "match_decline",
    "match_expire",
    "match_hide",
    "match_introduce",
    "match_reopen",
    "match_repropose",
    "match_withdraw",
    "review_days",
    "review_deadline",
    "send_emails_on_commit",
]

send_emails_on_commit = notifications.send_digests_on_commit


@transaction.atomic
def match_accept(*, match: Match, by_user, side: str | None = None) -> Match:
    """One side accepts; when the other side has already accepted, the pair is connected."""
    match = locked(match)
    side, as_officer = acting_side(match, by_user, side)
    if match.hidden:
        raise MatchStateError(_("This proposal was withdrawn by an officer."))
    previous = match.status
    mine = S.ACCEPTED_BY_SUPPLY if side == Match.Side.SUPPLY else S.ACCEPTED_BY_DEMAND
    theirs = S.ACCEPTED_BY_DEMAND if side == Match.Side.SUPPLY else S.ACCEPTED_BY_SUPPLY
    if previous == mine:
        raise MatchStateError(_("This side has already accepted; waiting for the other side."))
    if previous not in (S.PROPOSED, theirs):
        raise MatchStateError(
            _("A match that is “%(status)s” can no longer be accepted.")
            % {"status": match.get_status_display()}
        )
    now = timezone.now()
    if side == Match.Side.SUPPLY:
        match.supply_accepted_at = now
    else:
        match.demand_accepted_at = now
    match.status = S.CONNECTED if previous == theirs else mine
    if match.status == S.CONNECTED:
        match.connected_at = now
    match.save()
    record(match, from_status=previous, by_user=by_user, side=side, as_officer=as_officer)

    if match.status == S.CONNECTED:
        deals.open_deal(match, by_user=by_user, side=side, as_officer=as_officer)
        notifications.notify_connected(match)
    else:
        notifications.notify_other_accepted(match, side=side)
    notifications.send_digests_on_commit()
    return match


@transaction.atomic
def match_decline(
    *, match: Match, by_user, reason: str, note: str = "", side: str | None = None
) -> Match:
    """One side declines, with a reason code; the pair is never proposed again."""
    match = locked(match)
    side, as_officer = acting_side(match, by_user, side)
    previous = match.status
    if match.hidden:
        raise MatchStateError(_("This proposal was withdrawn by an officer."))
    if previous not in Match.PENDING_STATUSES:
        raise MatchStateError(
            _("A match that is “%(status)s” can no longer be declined.")
            % {"status": match.get_status_display()}
        )
    note = clean_decline(reason=reason, note=note)
    match.status = S.DECLINED
    match.decline_reason = reason
    match.decline_note = note
    match.declined_by_side = side
    match.save()
    # The reason teaches what this organization is offered next (services.learning).
    learning.note_decline(organization_id=match.listing_of(side).organization_id)
    record(
        match,
        from_status=previous,
        by_user=by_user,
        side=side,
        as_officer=as_officer,
        reason=reason,
        note=note,
    )
    notifications.notify_declined(match, side=side)
    return match


@transaction.atomic
def match_withdraw(*, match: Match, reason: str = "", by_user=None) -> Match:
    """A listing closed or changed so the pair no longer qualifies. Kept, not deleted.

    Idempotent: a match that is no longer waiting for an answer is returned unchanged.
    """
    match = locked(match)
    previous = match.status
    if previous not in Match.PENDING_STATUSES:
        return match
    match.status = S.WITHDRAWN
    match.save()
    record(match, from_status=previous, by_user=by_user, note=reason[:500])
    notifications.notify_withdrawn(match)
    return match


@transaction.atomic
def match_repropose(*, proposals: dict[int, tuple], run: MatchRun) -> list[int]:
    """Withdrawn engine proposals that qualify again are proposed again, audited.

    ``proposals`` maps match ids to their new ``(score, factors, suggested quantity[, facts])``. Both
    sides answer afresh (earlier acceptances are cleared) within a new review period.
    Matches no longer withdrawn by now are left alone. Returns the ids proposed again.
    """
    now = timezone.now()
    due = review_deadline(now)
    matches = list(
        Match.objects.select_for_update()
        .filter(pk__in=list(proposals), status=S.WITHDRAWN, origin=Match.Origin.ENGINE)
        .order_by("pk")
    )
    for match in matches:
        score, factors, qty, *facts = proposals[match.pk]
        match.status = S.PROPOSED
        match.score, match.factors = score, factors
        match.facts = facts[0] if facts else []
        match.suggested_quantity = Decimal(str(qty))
        match.engine_version, match.last_run_id, match.updated_at = (
            engine.ENGINE_VERSION,
            run.pk,
            now,
        )
        match.respond_by, match.reminded_at = due, None
        match.supply_accepted_at = match.demand_accepted_at = None
    fields = [
        "status",
        *SCORE_FIELDS,
        "respond_by",
        "reminded_at",
        "supply_accepted_at",
        "demand_accepted_at",
    ]
    Match.objects.bulk_update(matches, fields, batch_size=500)
    MatchTransition.objects.bulk_create(
        [
            MatchTransition(
                match=match,
                from_status=S.WITHDRAWN,
                to_status=S.PROPOSED,
                note=f"qualifies again (run {run.pk})",
            )
            for match in matches
        ],
        batch_size=1000,
    )
    return [match.pk for match in matches]


@transaction.atomic
def match_reopen(*, match: Match, by_user, now: datetime.datetime | None = None) -> Match:
    """An officer gives an expired proposal a new review period; both sides answer again."""
    require_officer(by_user)
    match = locked(match)
    if match.status != S.EXPIRED:
        raise MatchStateError(_("Only an expired match can be reopened."))
    previous = match.status
    match.status = S.PROPOSED
    match.supply_accepted_at = match.demand_accepted_at = None
    match.respond_by = review_deadline(now)
    match.reminded_at = None
    match.save()
    record(match, from_status=previous, by_user=by_user, as_officer=True, note="reopened")
    notifications.notify_new_proposals([match])
    notifications.send_digests_on_commit()
    return match


@transaction.atomic
def match_hide(*, match: Match, by_user, hidden: bool = True) -> Match:
    """An officer hides a proposal from both sides (or shows it again)."""
    require_officer(by_user)
    match = locked(match)
    if match.hidden == hidden:
        return match
    match.hidden = hidden
    match.save(update_fields=["hidden", "updated_at"])
    record(
        match,
        from_status=match.status,
        by_user=by_user,
        as_officer=True,
        note="hidden" if hidden else "shown again",
    )
    return match
