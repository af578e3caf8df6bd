"""Every notification is created here, and worded here when it is read.

A notification stores its ``kind`` and the parameters of the event (titles, names, a reason
code, a date) as they were when it happened, never a sentence: :func:`render` words it in the
reader's language when the page, the API or the email digest shows it. Each event becomes one
in-app notification per active member of the organization concerned; emails go out later,
from a Celery job, as ONE digest per organization (ten new proposals make one email, not
ten), in Vietnamese and English, since members may read either.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Membership, Organization
from core.cleaning import single_line
from core.formatting import format_date
from core.tasks import enqueue_on_commit
from matchmaking.models import Match, Notification

log = logging.getLogger(__name__)
Kind = Notification.Kind
SEND_DIGESTS = "matchmaking.tasks.send_digests"

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
)
# Kinds only worth sending while the match still waits for an answer.
PENDING_ONLY_KINDS = (Kind.NEW_PROPOSALS, Kind.EXPIRING)
# One run sends at most this many notifications; the next run (every 15 min) takes the rest.
BATCH = 5000
# The digest's sections, in this order.
DIGEST_TITLES = {
    Kind.CONNECTED: gettext_lazy("Connected — contacts are open"),
    Kind.OTHER_ACCEPTED: gettext_lazy("The other side accepted"),
    Kind.NEW_PROPOSALS: gettext_lazy("New proposals"),
    Kind.EXPIRING: gettext_lazy("Expiring soon"),
    Kind.MEETING: gettext_lazy("Connection events: meetings"),
    Kind.CERTIFICATE_EXPIRED: gettext_lazy("Certificates that expired"),
    Kind.CERTIFICATE_EXPIRING: gettext_lazy("Certificates to renew"),
    Kind.DEAL_QUIET: gettext_lazy("Deals with no news"),
}


# --- wording (on read) ---------------------------------------------------------------------------


def _new_proposals(p: dict) -> str:
    if "count" in p:  # a full re-match tells each member once, with the number
        return ngettext(
            "%(count)d new proposed match is waiting for your review.",
            "%(count)d new proposed matches are waiting for your review.",
            p["count"],
        ) % {"count": p["count"]}
    return _("New proposal for “%(listing)s”: %(other_org)s — “%(other)s”") % p


def _declined(p: dict) -> str:
    reason = p.get("reason", "")
    label = Match.DeclineReason(reason).label if reason in Match.DeclineReason.values else reason
    return _("%(org)s declined the proposal for “%(other)s” (reason: %(reason)s).") % {
        **p,
        "reason": str(label).lower(),
    }


def _expiring(p: dict) -> str:
    return _("Answer by %(date)s: “%(supply)s” ↔ “%(demand)s”.") % {
        **p,
        "date": format_date(parse_date(p.get("due", "")) if p.get("due") else None),
    }


def _meeting(p: dict) -> str:
    """A step of a connection-event meeting (``what``), worded for the reader's language."""
    english = translation.get_language() == "en"
    p = {**p, "event": (p.get("event_en") if english else None) or p.get("event", "")}
    what = p.get("what")
    if what == "scheduled":
        return (
            ngettext(
                "Your agenda for “%(event)s” is out: %(count)d meeting changed.",
                "Your agenda for “%(event)s” is out: %(count)d meetings changed.",
                p["count"],
            )
            % p
        )
    texts = {
        "requested": _("%(org)s asks to meet you at “%(event)s”."),
        "accepted": _("%(org)s accepted to meet you at “%(event)s”."),
        "declined": _("%(org)s declined to meet you at “%(event)s”."),
        "cancelled": _("%(org)s cancelled your meeting at “%(event)s”."),
        "expired": _("The meeting request between %(org)s and %(other)s at “%(event)s” expired."),
    }
    return texts[what] % p


def _deal_quiet(p: dict) -> str:
    from matchmaking.models import Deal

    stage = p.get("stage", "")
    label = Deal.Stage(stage).label if stage in Deal.Stage.values else stage
    return ngettext(
        "No news on the deal “%(supply)s” ↔ “%(demand)s” for %(days)d day (stage: %(stage)s). "
        "Update it, or say why it stopped.",
        "No news on the deal “%(supply)s” ↔ “%(demand)s” for %(days)d days (stage: %(stage)s). "
        "Update it, or say why it stopped.",
        p["days"],
    ) % {**p, "stage": str(label).lower()}


def _deal_overdue(p: dict) -> str:
    return ngettext(
        "%(count)d signed contract passed its delivery date (the earliest %(date)s) with "
        "nothing delivered.",
        "%(count)d signed contracts passed their delivery date (the earliest %(date)s) with "
        "nothing delivered.",
        p["count"],
    ) % {**p, "date": format_date(parse_date(p.get("oldest", "")))}


def _certificate(p: dict) -> dict:
    return {**p, "date": format_date(parse_date(p.get("valid_until", "")))}


WORDING: dict[str, Callable[[dict], str]] = {
    Kind.NEW_PROPOSALS: _new_proposals,
    Kind.OTHER_ACCEPTED: lambda p: (
        _("%(org)s accepted the proposal “%(listing)s” for “%(other)s”. Answer to connect.") % p
    ),
    Kind.CONNECTED: lambda p: (
        _("Connected: “%(supply)s” ↔ “%(demand)s”. Contact details are now visible.") % p
    ),
    Kind.DECLINED: _declined,
    Kind.EXPIRING: _expiring,
    Kind.EXPIRED: lambda p: _("The proposal “%(supply)s” ↔ “%(demand)s” expired.") % p,
    Kind.MEETING: _meeting,
    Kind.WITHDRAWN: lambda p: (
        _("The proposal “%(supply)s” ↔ “%(demand)s” was withdrawn: a listing closed or changed.")
        % p
    ),
    Kind.DEAL_QUIET: _deal_quiet,
    Kind.DEAL_OVERDUE: _deal_overdue,
    Kind.CERTIFICATE_EXPIRING: lambda p: (
        _(
            "Certificate %(scheme)s no. %(number)s is valid until %(date)s: renew it and upload the new one."
        )
        % _certificate(p)
    ),
    Kind.CERTIFICATE_EXPIRED: lambda p: (
        _(
            "Certificate %(scheme)s no. %(number)s expired on %(date)s; proposals that relied on it are withdrawn."
        )
        % _certificate(p)
    ),
}


def _pool(p: dict) -> str:
    """A step of a pooled proposal (``what``: see ``matchmaking.services.pools``)."""
    texts = {
        "proposed": _(
            "Pooled supply proposed for “%(demand)s”: several suppliers together cover "
            "%(coverage)s %% of it. Each one answers for its own share."
        ),
        "accepted": _("%(org)s accepted the pool for “%(demand)s”."),
        "connected": _(
            "The pool for “%(demand)s” is connected: the buyer and every member accepted. "
            "Contact details are now visible."
        ),
        "declined": _("%(org)s declined the pool for “%(demand)s”."),
        "reformed": _(
            "%(org)s left the pool for “%(demand)s”; another supplier takes its share. "
            "The buyer confirms the new line-up."
        ),
        "withdrawn": _("The pool for “%(demand)s” was withdrawn."),
    }
    return texts[p["what"]] % p


WORDING[Kind.POOL] = _pool


def render(notification: Notification, lang: str | None = None) -> str:
    """The notification as a sentence in ``lang`` (default: the current language)."""
    params = notification.params or {}
    with translation.override(lang or translation.get_language()):
        try:
            return WORDING[notification.kind](params)
        except (KeyError, TypeError, ValueError):  # an unknown kind or a missing parameter
            known = notification.kind in Kind.values
            return str(Kind(notification.kind).label) if known else ""


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
        event.url = base_url + (
            reverse("matchmaking:detail", args=[event.match_id])
            if event.match_id
            else reverse("matchmaking:inbox")
        )
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
    """A proposal declined or withdrawn before the digest left is not announced any more;
    a published schedule has its own email (``agendas``), so the digest leaves it out."""
    if note.kind == Kind.MEETING and (note.params or {}).get("what") == "scheduled":
        return False
    if note.kind in PENDING_ONLY_KINDS and note.match_id:
        return note.match.status in Match.PENDING_STATUSES and not note.match.hidden
    return True
