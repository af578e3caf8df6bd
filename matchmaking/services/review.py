"""The two-sided review of a proposed match.

``proposed`` → ``accepted_by_supply`` / ``accepted_by_demand`` → ``connected`` once both sides
have accepted; ``declined`` by either side (with a reason) while it waits; ``expired`` when
nobody answers by ``respond_by``; ``withdrawn`` when a listing no longer qualifies. Officers
may reopen an expired proposal, hide one, or introduce two listings by hand.

Every change is recorded as a :class:`MatchTransition` (who, when, from → to, for which side,
whether an officer acted for that side). An illegal transition raises :class:`MatchStateError`,
which the API answers with 409 and the message.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, DateTimeField, ExpressionWrapper, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from listings.models import Listing
from matchmaking.models import Match, MatchTransition, Notification
from matchmaking.services import notifications

log = logging.getLogger(__name__)
S = Match.Status
SIDES = (Match.Side.SUPPLY, Match.Side.DEMAND)

# Stored notifications carry both languages, whatever the language of the request.
REASON_WORDS = {
    "price": ("giá", "price"),
    "quantity": ("số lượng", "quantity"),
    "quality": ("chất lượng/chứng nhận", "quality or certification"),
    "distance": ("khoảng cách/vận chuyển", "distance or logistics"),
    "timing": ("thời gian", "timing"),
    "other": ("lý do khác", "other"),
}


class MatchStateError(DomainError):
    """The match is not in a state that allows this (HTTP 409)."""

    status_code = 409
    code = "illegal_transition"


def review_days() -> int:
    return int(settings.MATCHING.get("REVIEW_DAYS", 14))


def review_deadline(now: datetime.datetime | None = None) -> datetime.datetime:
    """When a proposal made now expires if nobody answers."""
    return (now or timezone.now()) + datetime.timedelta(days=review_days())


def _record(
    match: Match,
    *,
    from_status: str,
    by_user=None,
    side: str = "",
    as_officer: bool = False,
    reason: str = "",
    note: str = "",
) -> MatchTransition:
    return MatchTransition.objects.create(
        match=match,
        from_status=from_status,
        to_status=match.status,
        by_user=by_user if by_user is not None and by_user.is_authenticated else None,
        side=side,
        as_officer=as_officer,
        reason=reason,
        note=note,
    )


def record_proposed(match: Match, *, by_user=None, note: str = "") -> MatchTransition:
    """Audit the creation (or re-proposal) of a match; for the matching service."""
    return _record(match, from_status="", by_user=by_user, note=note)


def _acting_side(match: Match, user, side: str | None) -> tuple[str, bool]:
    """The side the user answers for, and whether an officer acts on that side's behalf."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to answer a proposed match."))
    own_sides = match.sides_of(user)
    if own_sides:
        if side:
            if side not in own_sides:
                raise PermissionDenied(_("You can only answer for your own side of this match."))
            return side, False
        if len(own_sides) > 1:
            raise ValidationError(
                {"side": [_("You belong to both organizations: say which side you answer for.")]}
            )
        return own_sides[0], False
    if getattr(user, "is_officer", False):
        if side not in SIDES:
            raise ValidationError(
                {"side": [_("As an officer, say which side you act for: supply or demand.")]}
            )
        return side, True
    raise PermissionDenied(_("Only the supplier, the buyer or an officer may answer a match."))


def _locked(match: Match) -> Match:
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("supply__organization", "demand__organization")
        .get(pk=match.pk)
    )


def _pair(match: Match) -> tuple[str, str]:
    return match.supply.title, match.demand.title


def _notify_both(match: Match, *, kind: str, message: str, message_en: str) -> None:
    if match.hidden:
        return
    for org_id in (match.supply.organization_id, match.demand.organization_id):
        notifications.notify_organization(
            organization_id=org_id, kind=kind, match=match, message=message, message_en=message_en
        )


@transaction.atomic
def match_accept(*, match: Match, by_user, side: str | None = None) -> Match:
    """One side accepts; when the other side has already accepted, the pair is connected."""
    match = _locked(match)
    side, as_officer = _acting_side(match, by_user, side)
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
    _record(match, from_status=previous, by_user=by_user, side=side, as_officer=as_officer)

    supply_title, demand_title = _pair(match)
    if match.status == S.CONNECTED:
        _notify_both(
            match,
            kind=Notification.Kind.CONNECTED,
            message=f"Đã kết nối: “{supply_title}” ↔ “{demand_title}”. Thông tin liên hệ đã mở.",
            message_en=f"Connected: “{supply_title}” ↔ “{demand_title}”. "
            "Contact details are now visible.",
        )
    else:
        listing = match.listing_of(side)
        other = match.counterpart_of(side)
        notifications.notify_organization(
            organization_id=other.organization_id,
            kind=Notification.Kind.OTHER_ACCEPTED,
            match=match,
            message=f"{listing.organization.name} đã chấp nhận đề xuất “{listing.title}” cho "
            f"“{other.title}”. Hãy trả lời để kết nối.",
            message_en=f"{listing.organization.name} accepted the proposal “{listing.title}” "
            f"for “{other.title}”. Answer to connect.",
        )
    send_emails_on_commit()
    return match


@transaction.atomic
def match_decline(
    *, match: Match, by_user, reason: str, note: str = "", side: str | None = None
) -> Match:
    """One side declines, with a reason code; the pair is never proposed again."""
    match = _locked(match)
    side, as_officer = _acting_side(match, by_user, side)
    previous = match.status
    if match.hidden:
        raise MatchStateError(_("This proposal was withdrawn by an officer."))
    if previous not in Match.PENDING_STATUSES:
        raise MatchStateError(
            _("A match that is “%(status)s” can no longer be declined.")
            % {"status": match.get_status_display()}
        )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in Match.DeclineReason.values:
        errors["reason"] = [
            _("Choose a reason: %(choices)s.") % {"choices": ", ".join(Match.DeclineReason.values)}
        ]
    if len(note) > 1000:
        errors["note"] = [_("Keep the note under 1000 characters.")]
    if errors:
        raise ValidationError(errors)
    match.status = S.DECLINED
    match.decline_reason = reason
    match.decline_note = note
    match.declined_by_side = side
    match.save()
    _record(
        match,
        from_status=previous,
        by_user=by_user,
        side=side,
        as_officer=as_officer,
        reason=reason,
        note=note,
    )
    listing = match.listing_of(side)
    other = match.counterpart_of(side)
    reason_vi, reason_en = REASON_WORDS[reason]
    notifications.notify_organization(
        organization_id=other.organization_id,
        kind=Notification.Kind.DECLINED,
        match=match,
        message=f"{listing.organization.name} đã từ chối đề xuất cho “{other.title}” "
        f"(lý do: {reason_vi}).",
        message_en=f"{listing.organization.name} declined the proposal for “{other.title}” "
        f"(reason: {reason_en}).",
    )
    return match


@transaction.atomic
def match_withdraw(*, match: Match, reason: str = "", by_user=None) -> Match:
    """A listing closed or changed so the pair no longer qualifies. Kept, not deleted.

    Idempotent: a match that is no longer waiting for an answer is returned unchanged.
    """
    match = _locked(match)
    previous = match.status
    if previous not in Match.PENDING_STATUSES:
        return match
    match.status = S.WITHDRAWN
    match.save()
    _record(match, from_status=previous, by_user=by_user, note=reason[:500])
    supply_title, demand_title = _pair(match)
    _notify_both(
        match,
        kind=Notification.Kind.WITHDRAWN,
        message=f"Đề xuất “{supply_title}” ↔ “{demand_title}” đã được rút: một tin đăng đã "
        "đóng hoặc thay đổi.",
        message_en=f"The proposal “{supply_title}” ↔ “{demand_title}” was withdrawn: a listing "
        "closed or changed.",
    )
    return match


def _due():
    """A match's deadline; matches saved without one get the review period from creation."""
    return Coalesce(
        "respond_by",
        ExpressionWrapper(
            F("created_at") + datetime.timedelta(days=review_days()),
            output_field=DateTimeField(),
        ),
    )


@transaction.atomic
def match_expire(*, match: Match, now: datetime.datetime | None = None) -> Match:
    """Nobody answered in time. Idempotent; does nothing before the deadline."""
    now = now or timezone.now()
    match = _locked(match)
    previous = match.status
    if previous not in Match.PENDING_STATUSES:
        return match
    due = match.respond_by or (match.created_at + datetime.timedelta(days=review_days()))
    if due >= now:
        return match  # reopened or extended since it was picked
    match.status = S.EXPIRED
    match.save()
    _record(match, from_status=previous, note="no answer before the deadline")
    supply_title, demand_title = _pair(match)
    _notify_both(
        match,
        kind=Notification.Kind.EXPIRED,
        message=f"Đề xuất “{supply_title}” ↔ “{demand_title}” đã hết hạn.",
        message_en=f"The proposal “{supply_title}” ↔ “{demand_title}” expired.",
    )
    return match


def _require_officer(user) -> None:
    if not getattr(user, "is_officer", False):
        raise PermissionDenied(_("Only trade-promotion officers may do this."))


@transaction.atomic
def match_reopen(*, match: Match, by_user, now: datetime.datetime | None = None) -> Match:
    """An officer gives an expired proposal a new review period; both sides answer again."""
    _require_officer(by_user)
    match = _locked(match)
    if match.status != S.EXPIRED:
        raise MatchStateError(_("Only an expired match can be reopened."))
    previous = match.status
    match.status = S.PROPOSED
    match.supply_accepted_at = match.demand_accepted_at = None
    match.respond_by = review_deadline(now)
    match.reminded_at = None
    match.save()
    _record(match, from_status=previous, by_user=by_user, as_officer=True, note="reopened")
    notifications.notify_new_proposals([match])
    send_emails_on_commit()
    return match


@transaction.atomic
def match_hide(*, match: Match, by_user, hidden: bool = True) -> Match:
    """An officer hides a proposal from both sides (or shows it again)."""
    _require_officer(by_user)
    match = _locked(match)
    if match.hidden == hidden:
        return match
    match.hidden = hidden
    match.save(update_fields=["hidden", "updated_at"])
    _record(
        match,
        from_status=match.status,
        by_user=by_user,
        as_officer=True,
        note="hidden" if hidden else "shown again",
    )
    return match


@transaction.atomic
def match_introduce(
    *,
    supply: Listing,
    demand: Listing,
    by_user,
    suggested_quantity: Decimal | None = None,
    note: str = "",
) -> Match:
    """An officer introduces two listings by hand; the match is marked as officer-made."""
    _require_officer(by_user)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if supply.side != Listing.Side.SUPPLY:
        errors["supply"] = [_("Choose a supply listing.")]
    elif supply.status != Listing.Status.OPEN or supply.hidden:
        errors["supply"] = [_("This listing is not open.")]
    if demand.side != Listing.Side.DEMAND:
        errors["demand"] = [_("Choose a demand listing.")]
    elif demand.status != Listing.Status.OPEN or demand.hidden:
        errors["demand"] = [_("This listing is not open.")]
    if not errors and supply.organization_id == demand.organization_id:
        errors["demand"] = [_("Both listings belong to the same organization.")]
    if suggested_quantity is not None and suggested_quantity <= 0:
        errors["suggested_quantity"] = [_("Enter a quantity above zero.")]
    if len(note) > 500:
        errors["note"] = [_("Keep the note under 500 characters.")]
    if errors:
        raise ValidationError(errors)
    if suggested_quantity is None:
        same_dimension = supply.unit.dimension == demand.unit.dimension
        suggested_quantity = (
            min(supply.quantity_base, demand.quantity_base)
            if same_dimension
            else supply.quantity_base
        )
    match = Match.objects.select_for_update().filter(supply=supply, demand=demand).first()
    if match and match.status in Match.ACTIVE_STATUSES and not match.hidden:
        raise MatchStateError(_("These two listings are already matched."))
    if match and match.status == S.DECLINED:
        raise MatchStateError(_("One side declined this pair; it is not proposed again."))
    previous = match.status if match else ""
    if match is None:
        match = Match(supply=supply, demand=demand)
    match.score = 0.0
    match.factors = []  # worded reasons below, not engine factors
    match.status = S.PROPOSED
    match.origin = Match.Origin.OFFICER
    match.introduced_by = by_user
    match.explanation = [
        {
            "factor": "officer",
            "value": 1.0,
            "weight": 0.0,
            "detail": f"Cán bộ xúc tiến thương mại giới thiệu. {note}".strip(),
            "detail_en": f"Introduced by a trade-promotion officer. {note}".strip(),
        }
    ]
    match.suggested_quantity = Decimal(suggested_quantity).quantize(Decimal("0.001"))
    match.respond_by = review_deadline()
    match.reminded_at = None
    match.supply_accepted_at = match.demand_accepted_at = match.connected_at = None
    match.decline_reason = match.decline_note = match.declined_by_side = ""
    match.hidden = False
    match.full_clean(validate_constraints=False)
    match.save()
    _record(match, from_status=previous, by_user=by_user, as_officer=True, note=note)
    notifications.notify_new_proposals([match])
    send_emails_on_commit()
    return match


def expire_and_remind(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Expire unanswered proposals past their deadline; remind the silent side halfway.

    Safe to run twice, or in two workers at once: expiry re-checks under a row lock and a
    reminder is claimed with a conditional update of ``reminded_at``.
    """
    now = now or timezone.now()
    pending = Match.objects.pending().annotate(due=_due())
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
            date = timezone.localtime(match.due).strftime("%d/%m/%Y")
            supply_title, demand_title = _pair(match)
            for side in SIDES:
                if match.has_accepted(side):
                    continue
                notifications.notify_organization(
                    organization_id=match.listing_of(side).organization_id,
                    kind=Notification.Kind.EXPIRING,
                    match=match,
                    message=f"Sắp hết hạn trả lời ({date}): “{supply_title}” ↔ “{demand_title}”.",
                    message_en=f"Answer by {date}: “{supply_title}” ↔ “{demand_title}”.",
                )
            reminded += 1
    if reminded:
        send_emails_on_commit()
    return {"expired": expired, "reminded": reminded}


def send_emails_on_commit() -> None:
    """Send the pending notification emails once the current transaction has committed.

    A broker that is down must not turn a saved answer into an error: the emails then leave
    with the next scheduled ``send_digests`` (every 15 minutes).
    """

    def enqueue() -> None:
        from matchmaking import tasks

        try:
            tasks.send_digests.apply_async(retry=False)
        except Exception:
            log.warning(
                "could not enqueue send_digests; the schedule will send them", exc_info=True
            )

    transaction.on_commit(enqueue)


# --- reads ------------------------------------------------------------------------------------


def decline_summary(listing: Listing) -> dict:
    """How the proposals of one listing went, and why the other side declined them."""
    matches = Match.objects.for_listing(listing.pk).filter(hidden=False)
    by_status = dict(matches.values_list("status").annotate(n=Count("pk")).order_by())
    other_side = Match.Side.DEMAND if listing.side == Listing.Side.SUPPLY else Match.Side.SUPPLY
    reasons = (
        matches.filter(status=S.DECLINED, declined_by_side=other_side)
        .values("decline_reason")
        .annotate(n=Count("pk"))
        .order_by("-n", "decline_reason")
    )
    by_reason = [
        {
            "reason": row["decline_reason"],
            "label": Match.DeclineReason(row["decline_reason"]).label
            if row["decline_reason"] in Match.DeclineReason.values
            else row["decline_reason"],
            "count": row["n"],
        }
        for row in reasons
    ]
    return {
        "total": sum(by_status.values()),
        "by_status": by_status,
        "pending": sum(by_status.get(s, 0) for s in Match.PENDING_STATUSES),
        "connected": by_status.get(S.CONNECTED, 0),
        "declined_by_other_side": sum(r["count"] for r in by_reason),
        "declined_by_us": matches.filter(status=S.DECLINED, declined_by_side=listing.side).count(),
        "closed": by_status.get(S.EXPIRED, 0) + by_status.get(S.WITHDRAWN, 0),
        "reasons": by_reason,
        "notes": list(
            matches.filter(status=S.DECLINED, declined_by_side=other_side)
            .exclude(decline_note="")
            .order_by("-updated_at")
            .values_list("decline_note", flat=True)[:5]
        ),
    }
