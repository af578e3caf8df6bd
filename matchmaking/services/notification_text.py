"""How a notification reads: :func:`render` words a stored notification in the reader's language.

A notification stores its ``kind`` and the event's parameters, never a sentence
(``notifications`` creates them); the page, the API, the admin and the email digest
(``digests``) word it here, when they show it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formatting import format_date
from matchmaking.models import Match, Notification

Kind = Notification.Kind


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
    """A step of a pooled proposal (``what``: see ``matchmaking.services.pool_review``)."""
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
        "expired": _(
            "The pool for “%(demand)s” expired: not everyone answered by the deadline. "
            "The demand may be pooled again."
        ),
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
