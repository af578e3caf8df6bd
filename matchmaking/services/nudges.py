"""Nudges on the deal pipeline (issue 13), run by Celery beat; both idempotent.

- :func:`remind_quiet_deals`: a deal still open with no change for ``QUIET_DAYS`` days gets a
  reminder to both sides (in the app, and in the email digest), once per quiet stretch: the
  next one comes only after another ``QUIET_DAYS`` days without a change. A change of the
  deal (any audited move: ``updated_at``) starts the count again.
- :func:`flag_overdue_contracts`: a signed contract whose ``deliver_by`` date has passed with
  no delivery is flagged once (``overdue_flagged_at``; the deals admin filters on it) and the
  officers are told in the app, one notification each per run that found some.

The marks are written with ``QuerySet.update`` so that a reminder never counts as a change.
Rows are claimed with ``SELECT … FOR UPDATE SKIP LOCKED``: two runs at once never remind twice.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import OFFICERS_GROUP
from matchmaking.models import Deal, Notification
from matchmaking.services import notifications

QUIET_DAYS = 30
OPEN_STAGES = (
    Deal.Stage.CONNECTED,
    Deal.Stage.NEGOTIATING,
    Deal.Stage.CONTRACT_SIGNED,
    Deal.Stage.DELIVERING,
)
BATCH = 2000


def quiet_deals(now: datetime.datetime):
    """Open deals unchanged for ``QUIET_DAYS`` days and not reminded within them."""
    since = now - datetime.timedelta(days=QUIET_DAYS)
    return Deal.objects.filter(stage__in=OPEN_STAGES, updated_at__lte=since).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lte=since)
    )


def overdue_contracts(today: datetime.date):
    """Signed contracts past their delivery date with nothing delivered (flagged or not)."""
    return Deal.objects.filter(stage=Deal.Stage.CONTRACT_SIGNED, deliver_by__lt=today)


@transaction.atomic
def remind_quiet_deals(*, now: datetime.datetime | None = None) -> int:
    """Remind both sides of each quiet deal; returns the number of deals reminded."""
    now = now or timezone.now()
    due = list(
        quiet_deals(now)
        .select_for_update(of=("self",), skip_locked=True)
        .select_related("match__supply__organization", "match__demand__organization")
        .order_by("updated_at", "pk")[:BATCH]
    )
    for deal in due:
        notifications.notify_deal_quiet(deal, days=(now - deal.updated_at).days)
    if due:
        Deal.objects.filter(pk__in=[d.pk for d in due]).update(reminded_at=now)
        notifications.send_digests_on_commit()
    return len(due)


def officers():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(is_staff=True, groups__name=OFFICERS_GROUP))
        .distinct()
    )


@transaction.atomic
def flag_overdue_contracts(*, today: datetime.date | None = None) -> int:
    """Flag the newly overdue contracts and tell the officers; returns how many were flagged."""
    today = today or timezone.localdate()
    due = list(
        overdue_contracts(today)
        .filter(overdue_flagged_at__isnull=True)
        .select_for_update(of=("self",), skip_locked=True)
        .order_by("deliver_by", "pk")[:BATCH]
    )
    if not due:
        return 0
    Deal.objects.filter(pk__in=[d.pk for d in due]).update(overdue_flagged_at=timezone.now())
    oldest = min(d.deliver_by for d in due)
    Notification.objects.bulk_create(
        Notification(
            user=user,
            kind=Notification.Kind.DEAL_OVERDUE,
            match=due[0].match if len(due) == 1 else None,
            params={"count": len(due), "oldest": oldest.isoformat()},
        )
        for user in officers()
    )
    return len(due)
