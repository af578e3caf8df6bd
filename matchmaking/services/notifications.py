"""In-app notifications and the emails sent from them.

Every event becomes one in-app notification per member of the organization concerned. Emails
go out later, from a Celery job, as ONE digest per organization: ten new proposals make one
email, not ten. A digest carries Vietnamese and English, since members may read either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organization
from matchmaking.models import Match, Notification

# Kinds worth an email; the others (declined, expired, withdrawn) stay in the app.
EMAIL_KINDS = (
    Notification.Kind.NEW_PROPOSALS,
    Notification.Kind.OTHER_ACCEPTED,
    Notification.Kind.CONNECTED,
    Notification.Kind.EXPIRING,
    Notification.Kind.MEETING,
)
# Kinds only worth sending while the match still waits for an answer.
PENDING_ONLY_KINDS = (Notification.Kind.NEW_PROPOSALS, Notification.Kind.EXPIRING)
# One run sends at most this many notifications; the next run (every 15 min) takes the rest.
BATCH = 5000

DIGEST_SECTIONS = (
    (
        Notification.Kind.CONNECTED,
        "Đã kết nối — thông tin liên hệ đã mở",
        "Connected — contacts are open",
    ),
    (Notification.Kind.OTHER_ACCEPTED, "Bên kia đã chấp nhận", "The other side accepted"),
    (Notification.Kind.NEW_PROPOSALS, "Đề xuất mới", "New proposals"),
    (Notification.Kind.EXPIRING, "Sắp hết hạn trả lời", "Expiring soon"),
    (Notification.Kind.MEETING, "Hội nghị kết nối: cuộc gặp", "Connection events: meetings"),
)


def _members(organization_id: int) -> list:
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=organization_id, user__is_active=True
        ).select_related("user")
    ]


def notify_organization(
    *, organization_id: int, kind: str, match: Match | None, message: str, message_en: str
) -> list[Notification]:
    """One notification for each active member of the organization."""
    rows = [
        Notification(
            user=user,
            organization_id=organization_id,
            kind=kind,
            match=match,
            message=message[:300],
            message_en=message_en[:300],
        )
        for user in _members(organization_id)
    ]
    return Notification.objects.bulk_create(rows)


def notify_new_proposals(matches: Iterable[Match]) -> int:
    """Tell both sides of each new proposal; the email digest bundles them per organization.

    The matching service calls this for the proposals it has just created (then enqueues
    ``send_digests`` on commit). Hidden matches and ones no longer proposed are skipped.
    Returns the number of notifications created.
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
            for user in members_by_org[org_id]:
                rows.append(
                    Notification(
                        user=user,
                        organization_id=org_id,
                        kind=Notification.Kind.NEW_PROPOSALS,
                        match=match,
                        message=f"Đề xuất mới cho “{listing.title}”: {other.organization.name} "
                        f"— “{other.title}”"[:300],
                        message_en=f"New proposal for “{listing.title}”: "
                        f"{other.organization.name} — “{other.title}”"[:300],
                    )
                )
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


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


# --- email -------------------------------------------------------------------------------------


def send_pending_emails() -> int:
    """Send one email per organization for everything not yet emailed. Returns emails sent.

    Claims its notifications with a conditional update, so two workers running this at once
    never send the same notification twice. Members who turned emails off get none; their
    notifications count as handled, so a later run sends nothing for them either.
    """
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True, kind__in=EMAIL_KINDS, organization__isnull=False
        )
        .select_related("user", "match")
        .order_by("organization_id", "created_at", "pk")
    )
    by_org: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending[:BATCH]:
        by_org[notification.organization_id].append(notification)

    sent = 0
    for org_id, notes in by_org.items():
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in notes], emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:
                continue  # another worker took them
            recipients = sorted(
                {
                    n.user.email
                    for n in notes
                    if n.user.email and n.user.email_notifications and n.user.is_active
                }
            )
            events = [n for n in _dedupe(notes) if _still_relevant(n)]
            if not recipients or not events:
                continue
            organization = Organization.objects.get(pk=org_id)
            _digest(organization, events, recipients).send()
            sent += 1
    return sent


def _digest(organization: Organization, events: list[Notification], recipients: list[str]):
    base_url = getattr(settings, "SITE_URL", "").rstrip("/")
    for event in events:
        event.url = base_url + (
            reverse("matchmaking:detail", args=[event.match_id])
            if event.match_id
            else reverse("matchmaking:inbox")
        )
    sections = []
    for kind, title, title_en in DIGEST_SECTIONS:
        items = [e for e in events if e.kind == kind]
        if items:
            sections.append({"title": title, "title_en": title_en, "items": items})
    context = {
        "organization": organization,
        "sections": sections,
        "count": len(events),
        "inbox_url": base_url + reverse("matchmaking:inbox"),
        "settings_url": base_url + reverse("matchmaking:notifications"),
    }
    subject = (
        f"[Kết nối cung cầu] {len(events)} cập nhật cho {organization.name} / "
        f"{len(events)} update{'s' if len(events) != 1 else ''}"
    )
    return EmailMessage(
        subject=subject[:200].replace("\n", " "),
        body=render_to_string("matchmaking/email/digest.txt", context),
        to=recipients,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def _dedupe(notes: list[Notification]) -> list[Notification]:
    """Members each hold a copy of the same event; the email lists it once."""
    seen, unique = set(), []
    for note in notes:
        key = (note.kind, note.match_id, note.message)
        if key not in seen:
            seen.add(key)
            unique.append(note)
    return unique


def _still_relevant(note: Notification) -> bool:
    """A proposal declined or withdrawn before the digest left is not announced any more."""
    if note.kind in PENDING_ONLY_KINDS and note.match_id:
        return note.match.status in Match.PENDING_STATUSES and not note.match.hidden
    return True
