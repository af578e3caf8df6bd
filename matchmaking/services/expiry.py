"""Proposals nobody answered: reminded halfway through the review period, expired after it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from matchmaking.models import Match
from matchmaking.services import notifications
from matchmaking.services.transitions import (
    SIDES,
    S,
    due_expression,
    due_of,
    locked,
    record,
    review_days,
)


@transaction.atomic
def match_expire(*, match: Match, now: datetime.datetime | None = None) -> Match:
    """Nobody answered in time. Idempotent; does nothing before the deadline."""
    now = now or timezone.now()
    match = locked(match)
    previous = match.status
    if previous not in Match.PENDING_STATUSES:
        return match
    if due_of(match) >= now:
        return match  # reopened or extended since it was picked
    match.status = S.EXPIRED
    match.save()
    record(match, from_status=previous, note="no answer before the deadline")
    notifications.notify_expired(match)
    return match


def expire_and_remind(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Expire unanswered proposals past their deadline; remind the silent side halfway.

    Safe to run twice, or in two workers at once: expiry re-checks under a row lock and a
    reminder is claimed with a conditional update of ``reminded_at``.
    """
    now = now or timezone.now()
    pending = Match.objects.pending().annotate(due=due_expression())
    expired = 0
    for pk in pending.filter(due__lt=now).values_list("pk", flat=True):
        match = match_expire(match=Match(pk=pk), now=now)
        expired += match.status == S.EXPIRED

    half = datetime.timedelta(days=review_days() / 2)
    reminded = 0
    due_soon = (
        pending.filter(due__gte=now, due__lte=now + half, reminded_at__isnull=True, hidden=False)
        .select_related("supply__organization", "demand__organization")
        .order_by("pk")
    )
    for match in due_soon:
        with transaction.atomic():
            if not Match.objects.filter(
                pk=match.pk, reminded_at__isnull=True, status__in=Match.PENDING_STATUSES
            ).update(reminded_at=now):
                continue  # another worker claimed it, or it was answered meanwhile
            for side in SIDES:
                if not match.has_accepted(side):
                    notifications.notify_expiring(match, side=side, due=match.due)
            reminded += 1
    if reminded:
        notifications.send_digests_on_commit()
    return {"expired": expired, "reminded": reminded}
