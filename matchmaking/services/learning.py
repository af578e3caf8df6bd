"""Learning from declines: count each organization's declines by reason since its last reset.

Why counted, not stored: the decline transitions (``MatchTransition``, to ``declined`` with a
reason and the side that declined) are the record; the lesson is a grouped count of them
after the organization's ``DeclineLearning.reset_at``. Nothing can drift out of step, a reset
is one timestamp, and the officer can still read every decline afterwards. The engine turns
the counts into bounded weight multipliers (``matchmaking.engine.learning``).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, When
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import is_officer, organization_ids_of
from matchmaking.engine.learning import REASON_FACTOR, Learned, learned_from
from matchmaking.engine.records import FACTORS
from matchmaking.models import DeclineLearning, Match, MatchTransition
from matchmaking.services.reference import matching_config


def _declines() -> dict[int, dict[str, int]]:
    """{organization id: {reason: n}} of declines with a reason since each one's reset.

    One grouped query: the organization of a decline is its declining side's.
    """
    org = Case(
        When(side=Match.Side.SUPPLY, then=F("match__supply__organization_id")),
        default=F("match__demand__organization_id"),
    )
    rows = (
        MatchTransition.objects.filter(
            to_status=Match.Status.DECLINED,
            side__in=[Match.Side.SUPPLY, Match.Side.DEMAND],
            reason__in=list(REASON_FACTOR),
        )
        .annotate(org=org)
        .filter(
            ~Exists(
                DeclineLearning.objects.filter(
                    organization_id=OuterRef("org"), reset_at__gte=OuterRef("at")
                )
            )
        )
    )
    out: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, reason, n in rows.values_list("org", "reason").annotate(n=Count("pk")).order_by():
        out[org_id][reason] = n
    return dict(out)


# This process's last count of all organizations: {"key": fingerprint, "value": lessons}.
_memo: dict = {}
MEMO_SECONDS = 600


def _fingerprint() -> tuple:
    """Changes when a decline is noted (``note_decline``, in the decline's transaction) or a
    lesson is reset: one aggregate over the small ``DeclineLearning`` table, plus the time
    bucket, so a decline recorded some other way counts within ``MEMO_SECONDS``."""
    agg = DeclineLearning.objects.aggregate(
        n=Count("pk"), last=Max("last_decline_at"), reset=Max("reset_at")
    )
    return (agg["n"], agg["last"], agg["reset"], int(time.monotonic() // MEMO_SECONDS))


def learned_weights(organization_ids: Iterable[int] | None = None) -> dict[int, Learned]:
    """What each organization's declines taught the engine (all organizations by default).

    The count of all organizations (each matching call asks for it) is kept per process
    until a new decline or a reset changes the fingerprint, so a call that follows no new
    decline costs one small aggregate, not a grouped count of every decline. Reads of a few
    organizations (a page of matches, the inbox's lessons) take theirs from the same count:
    the grouped count of their declines joined three tables on every inbox request.
    """
    key = _fingerprint()
    if _memo.get("key") != key or "value" not in _memo:
        value = {org: learned_from(counts) for org, counts in _declines().items()}
        _memo.update(key=key, value=value)
    every = _memo["value"]
    if organization_ids is None:
        return every
    return {org: every[org] for org in set(organization_ids) if org in every}


def note_decline(*, organization_id: int) -> None:
    """Keep the organization's row (for the officer's list); called when it declines."""
    DeclineLearning.objects.update_or_create(
        organization_id=organization_id, defaults={"last_decline_at": timezone.now()}
    )


def _check_can_read(organization: Organization, user) -> None:
    if not (is_officer(user) or organization.pk in organization_ids_of(user)):
        raise PermissionDenied(_("Only the organization's members and officers can see this."))


def learning_summary(*, organization: Organization, user) -> dict:
    """What the organization's declines taught, as the organization and officers read it."""
    _check_can_read(organization, user)
    return summary_of(organization)


def summary_of(organization: Organization) -> dict:
    item = learned_weights([organization.pk]).get(organization.pk) or Learned()
    row = DeclineLearning.objects.filter(organization=organization).first()
    base = matching_config().weight_vector
    w = item.multipliers * base
    w = w / w.sum()
    return {
        "organization": organization.pk,
        "organization_name": organization.name,
        "since": row.reset_at if row else None,
        "declines": {reason: int(item.declines.get(reason, 0)) for reason in REASON_FACTOR},
        "weights": [
            {
                "factor": f,
                "multiplier": round(float(item.multipliers[i]), 4),
                "base_weight": round(float(base[i]), 4),
                "weight": round(float(w[i]), 4),
            }
            for i, f in enumerate(FACTORS)
        ],
        "active": item.active,
    }


@transaction.atomic
def learning_reset(*, organization: Organization, by_user) -> dict:
    """An officer forgets what the organization's declines taught (the declines stay)."""
    if not is_officer(by_user):
        raise PermissionDenied(_("Only an officer can reset what the matching learned."))
    DeclineLearning.objects.update_or_create(
        organization=organization,
        defaults={"reset_at": timezone.now(), "reset_by": by_user},
    )
    return summary_of(organization)


def lessons_for(organization_ids) -> list[dict]:
    """The summaries of these organizations that learned something (for the inbox panel)."""
    taught = learned_weights(organization_ids)
    active = [org for org, item in taught.items() if item.active]
    return [summary_of(org) for org in Organization.objects.filter(pk__in=active).order_by("name")]
