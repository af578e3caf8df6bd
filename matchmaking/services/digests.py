"""The email digest: ONE email per organization for everything not yet emailed.

Ten new proposals make one email, not ten, in Vietnamese and English (members may read
either). A Celery job (``send_digests``, scheduled and enqueued on commit by
``notifications``) calls :func:`send_pending_emails`; the wording is ``notification_text``'s.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from core.cleaning import single_line
from matchmaking.models import Match, Notification, Pool
from matchmaking.services.notification_text import render

log = logging.getLogger(__name__)
Kind = Notification.Kind

# Kinds worth an email; the others (declined, expired, withdrawn) stay in the app.
EMAIL_KINDS = (
    Kind.NEW_PROPOSALS,
    Kind.OTHER_ACCEPTED,
    Kind.CONNECTED,
    Kind.EXPIRING,
    Kind.MEETING,
    Kind.CERTIFICATE_EXPIRING,
    Kind.CERTIFICATE_EXPIRED,
    Kind.DEAL_QUIET,
    Kind.POOL,
)
# Kinds only worth sending while the match still waits for an answer.
PENDING_ONLY_KINDS = (Kind.NEW_PROPOSALS, Kind.EXPIRING)
# Pool steps worth an email; the pool's end (declined, withdrawn, expired) stays in the app,
# as for matches. The steps that ask for an answer only while the pool still waits for one.
POOL_EMAIL_STEPS = ("proposed", "accepted", "reformed", "connected")
POOL_PENDING_STEPS = ("proposed", "accepted", "reformed")
# One run sends at most this many notifications; the next run (every 15 min) takes the rest.
BATCH = 5000
# The digest's sections, in this order.
DIGEST_TITLES = {
    Kind.CONNECTED: gettext_lazy("Connected — contacts are open"),
    Kind.OTHER_ACCEPTED: gettext_lazy("The other side accepted"),
    Kind.NEW_PROPOSALS: gettext_lazy("New proposals"),
    Kind.POOL: gettext_lazy("Pooled supply"),
    Kind.EXPIRING: gettext_lazy("Expiring soon"),
    Kind.MEETING: gettext_lazy("Connection events: meetings"),
    Kind.CERTIFICATE_EXPIRED: gettext_lazy("Certificates that expired"),
    Kind.CERTIFICATE_EXPIRING: gettext_lazy("Certificates to renew"),
    Kind.DEAL_QUIET: gettext_lazy("Deals with no news"),
}


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
        try:
            sent += _send_digest(org_id, notes)
        except Exception:  # one organization's failure must not stop the others' digests
            log.exception(
                "could not send the digest of organization %s; the next run retries", org_id
            )
    return sent


def _send_digest(org_id: int, notes: list[Notification]) -> int:
    """Claim and email one organization's notifications; rolled back (kept pending) on error."""
    with transaction.atomic():
        claimed = Notification.objects.filter(
            pk__in=[n.pk for n in notes], emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed:
            return 0  # another worker took them
        recipients = sorted(
            {
                n.user.email
                for n in notes
                if n.user.email and n.user.email_notifications and n.user.is_active
            }
        )
        events = [n for n in _dedupe(notes) if _still_relevant(n)]
        if not recipients or not events:
            return 0
        organization = Organization.objects.get(pk=org_id)
        _digest(organization, events, recipients).send()
        return 1


def _digest(organization: Organization, events: list[Notification], recipients: list[str]):
    base_url = getattr(settings, "SITE_URL", "").rstrip("/")
    for event in events:
        event.text_vi, event.text_en = render(event, "vi"), render(event, "en")
        event.url = base_url + _link(event)
    sections = []
    for kind, title, title_en in _digest_sections():
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
        # A header is one line: whatever an old row holds, no control character reaches it.
        subject=single_line(subject)[:200],
        body=render_to_string("matchmaking/email/digest.txt", context),
        to=recipients,
        from_email=settings.DEFAULT_FROM_EMAIL,
    )


def _link(event: Notification) -> str:
    """Where an item of the digest leads: its match, the pools page, or the inbox."""
    if event.match_id:
        return reverse("matchmaking:detail", args=[event.match_id])
    if event.kind == Kind.POOL:
        return reverse("matchmaking:pools")
    return reverse("matchmaking:inbox")


def _digest_sections() -> list[tuple[str, str, str]]:
    """(kind, Vietnamese title, English title) of the digest's sections, in order."""
    sections = []
    for kind in DIGEST_TITLES:
        titles = []
        for lang in ("vi", "en"):
            with translation.override(lang):
                titles.append(str(DIGEST_TITLES[kind]))
        sections.append((kind, *titles))
    return sections


def _dedupe(notes: list[Notification]) -> list[Notification]:
    """Members each hold a copy of the same event; the email lists it once."""
    seen, unique = set(), []
    for note in notes:
        key = (note.kind, note.match_id, json.dumps(note.params, sort_keys=True))
        if key not in seen:
            seen.add(key)
            unique.append(note)
    return unique


def _still_relevant(note: Notification) -> bool:
    """A proposal declined or withdrawn before the digest left is not announced any more (a
    pool's step asking for an answer neither, once the pool no longer waits for one); a
    published schedule has its own email (``agendas``), so the digest leaves it out."""
    if note.kind == Kind.MEETING and (note.params or {}).get("what") == "scheduled":
        return False
    if note.kind in PENDING_ONLY_KINDS and note.match_id:
        return note.match.status in Match.PENDING_STATUSES and not note.match.hidden
    if note.kind == Kind.POOL:
        params = note.params or {}
        step = params.get("what")
        if step not in POOL_EMAIL_STEPS:
            return False
        if step in POOL_PENDING_STEPS:
            return Pool.objects.filter(pk=params.get("pool"), status=Pool.Status.PROPOSED).exists()
    return True
