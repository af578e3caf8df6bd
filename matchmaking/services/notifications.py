"""Every notification is created here (wording on read: ``notification_text``; the email
digest: ``digests``).

A notification stores its ``kind`` and the parameters of the event (titles, names, a reason
code, a date) as they were when it happened, never a sentence: ``notification_text.render``
words it in the reader's language when the page, the API or the email digest shows it. Each
event becomes one in-app notification per active member of the organization concerned; emails
go out later, from a Celery job, as ONE digest per organization (``digests``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from core.tasks import enqueue_on_commit
from matchmaking.models import Match, Notification

# Kept importable from here for the callers written before the split; each has one home.
from matchmaking.services.digests import EMAIL_KINDS, send_pending_emails  # noqa: F401
from matchmaking.services.notification_text import WORDING, render  # noqa: F401

Kind = Notification.Kind
SEND_DIGESTS = "matchmaking.tasks.send_digests"


# --- creating them -------------------------------------------------------------------------------


def _members(organization_id: int) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=organization_id, user__is_active=True
        ).select_related("user")
    ]


def notify_organization(
    *, organization_id: int, kind: str, match: Match | None = None, params: dict | None = None
) -> list[Notification]:
    """One notification for each active member of the organization."""
    rows = [
        Notification(
            user=user,
            organization_id=organization_id,
            kind=kind,
            match=match,
            params=dict(params or {}),
        )
        for user in _members(organization_id)
    ]
    return Notification.objects.bulk_create(rows)


def notify_certificate(certificate, *, expired: bool) -> None:
    """The owner hears that a certificate expires soon (once, ahead) or has expired."""
    notify_organization(
        organization_id=certificate.organization_id,
        kind=Kind.CERTIFICATE_EXPIRED if expired else Kind.CERTIFICATE_EXPIRING,
        params={
            "scheme": certificate.scheme.name,
            "number": certificate.number,
            "valid_until": certificate.valid_until.isoformat(),
        },
    )


def _pair(match: Match) -> dict:
    return {"supply": match.supply.title, "demand": match.demand.title}


def _both(match: Match, kind: str, params: dict) -> None:
    """Both sides hear of it, unless an officer hid the match from them."""
    if match.hidden:
        return
    for org_id in (match.supply.organization_id, match.demand.organization_id):
        notify_organization(organization_id=org_id, kind=kind, match=match, params=params)


def notify_connected(match: Match) -> None:
    _both(match, Kind.CONNECTED, _pair(match))


def notify_deal_quiet(deal, *, days: int) -> None:
    """Both sides of a deal with no change for ``days`` days are reminded (``nudges``)."""
    _both(deal.match, Kind.DEAL_QUIET, {**_pair(deal.match), "stage": deal.stage, "days": days})


def notify_withdrawn(match: Match) -> None:
    _both(match, Kind.WITHDRAWN, _pair(match))


def notify_expired(match: Match) -> None:
    _both(match, Kind.EXPIRED, _pair(match))


def notify_other_accepted(match: Match, *, side: str) -> None:
    """``side`` accepted: the other side is asked to answer."""
    listing, other = match.listing_of(side), match.counterpart_of(side)
    notify_organization(
        organization_id=other.organization_id,
        kind=Kind.OTHER_ACCEPTED,
        match=match,
        params={"org": listing.organization.name, "listing": listing.title, "other": other.title},
    )


def notify_declined(match: Match, *, side: str) -> None:
    """``side`` declined (the reason is on the match): the other side learns why."""
    listing, other = match.listing_of(side), match.counterpart_of(side)
    notify_organization(
        organization_id=other.organization_id,
        kind=Kind.DECLINED,
        match=match,
        params={
            "org": listing.organization.name,
            "other": other.title,
            "reason": match.decline_reason,
        },
    )


def notify_expiring(match: Match, *, side: str, due) -> None:
    """Remind ``side`` that the proposal expires on ``due`` (a datetime)."""
    notify_organization(
        organization_id=match.listing_of(side).organization_id,
        kind=Kind.EXPIRING,
        match=match,
        params={**_pair(match), "due": timezone.localtime(due).date().isoformat()},
    )


def notify_new_proposals(matches: Iterable[Match]) -> int:
    """Tell both sides of each new proposal; the email digest bundles them per organization.

    Hidden matches and ones no longer proposed are skipped. Returns the number of
    notifications created (emails: see :func:`announce_new_proposals`).
    """
    ids = {m.pk for m in matches if m.pk}
    if not ids:
        return 0
    fresh = Match.objects.filter(pk__in=ids, hidden=False, status=Match.Status.PROPOSED)
    fresh = fresh.select_related("supply__organization", "demand__organization").order_by("pk")
    rows = []
    members_by_org: dict[int, list] = {}
    for match in fresh:
        for listing, other in ((match.supply, match.demand), (match.demand, match.supply)):
            org_id = listing.organization_id
            if org_id not in members_by_org:
                members_by_org[org_id] = _members(org_id)
            params = {
                "listing": listing.title,
                "other_org": other.organization.name,
                "other": other.title,
            }
            for user in members_by_org[org_id]:
                rows.append(
                    Notification(
                        user=user,
                        organization_id=org_id,
                        kind=Kind.NEW_PROPOSALS,
                        match=match,
                        params=params,
                    )
                )
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def notify_meeting(
    *, organization_id: int, what: str, event, match: Match | None = None, **params
) -> None:
    """A connection-event meeting step (requested, accepted, declined, cancelled, expired,
    scheduled) for the organization's members; the email digest follows on commit."""
    notify_organization(
        organization_id=organization_id,
        kind=Kind.MEETING,
        match=match,
        params={"what": what, "event": event.name, "event_en": event.name_en, **params},
    )
    send_digests_on_commit()


def announce_new_proposals(match_ids: list[int]) -> int:
    """New proposals of one listing: a notification per proposal, then the digest on commit."""
    if not match_ids:
        return 0
    created = notify_new_proposals(Match.objects.filter(pk__in=match_ids))
    send_digests_on_commit()
    return created


def announce_proposal_counts(per_org: dict[int, int]) -> int:
    """A full re-match may create thousands of proposals: one notification per member and
    organization ("12 new proposals"), not one per match; then the digest on commit."""
    if not per_org:
        return 0
    members = Membership.objects.filter(
        organization_id__in=list(per_org), user__is_active=True
    ).values_list("organization_id", "user_id")
    rows = Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                organization_id=org_id,
                kind=Kind.NEW_PROPOSALS,
                params={"count": per_org[org_id]},
            )
            for org_id, user_id in members
        ],
        batch_size=1000,
    )
    send_digests_on_commit()
    return len(rows)


def send_digests_on_commit() -> None:
    """Send the pending emails once the current transaction has committed. A broker that
    is down does not undo the saved change: the scheduled ``send_digests`` sends them."""
    enqueue_on_commit(SEND_DIGESTS)


# --- in-app ------------------------------------------------------------------------------------


def unread_count(user) -> int:
    if not user or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or these ids) as read. Returns how many changed.

    Ids of other users' notifications are ignored, never an error.
    """
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def set_email_notifications(*, user, enabled: bool):
    """Turn the user's notification emails on or off."""
    User = get_user_model()
    User.objects.filter(pk=user.pk).update(email_notifications=bool(enabled))
    user.email_notifications = bool(enabled)
    return user
