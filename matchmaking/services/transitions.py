"""What every change of a match's status shares: the audit record, the row lock, who acts
for which side, the review period, and the error an illegal change raises.

The changes themselves live in ``review`` (answers, withdrawal, re-proposal, reopening,
hiding), ``introductions`` (an officer's hand-made match) and ``expiry``; each writes one
:class:`MatchTransition` per change (who, when, from → to, for which side, whether an
officer acted for that side).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import recorded_user
from core.errors import DomainError
from matchmaking.models import Match, MatchTransition

S = Match.Status
SIDES = (Match.Side.SUPPLY, Match.Side.DEMAND)
# What a run writes onto a stored proposal when it scores it again.
SCORE_FIELDS = [
    "score",
    "factors",
    "facts",
    "suggested_quantity",
    "engine_version",
    "last_run",
    "updated_at",
]


class MatchStateError(DomainError):
    """The match is not in a state that allows this (HTTP 409)."""

    status_code = 409
    code = "illegal_transition"


def review_days() -> int:
    return int(settings.MATCHING.get("REVIEW_DAYS", 14))


def review_deadline(now: datetime.datetime | None = None) -> datetime.datetime:
    """When a proposal made now expires if nobody answers."""
    return (now or timezone.now()) + datetime.timedelta(days=review_days())


def due_expression():
    """A proposal's deadline in a query (matches and pools): ``respond_by``, or for rows saved
    without one the review period from creation."""
    return Coalesce(
        "respond_by",
        ExpressionWrapper(
            F("created_at") + datetime.timedelta(days=review_days()),
            output_field=DateTimeField(),
        ),
    )


def due_of(row) -> datetime.datetime:
    """The same deadline for one loaded match or pool."""
    return row.respond_by or row.created_at + datetime.timedelta(days=review_days())


def record(
    match: Match,
    *,
    from_status: str,
    by_user=None,
    side: str = "",
    as_officer: bool = False,
    reason: str = "",
    note: str = "",
) -> MatchTransition:
    """Audit one change of ``match`` (already saved with its new status)."""
    return MatchTransition.objects.create(
        match=match,
        from_status=from_status,
        to_status=match.status,
        by_user=recorded_user(by_user),
        side=side,
        as_officer=as_officer,
        reason=reason,
        note=note,
    )


def acting_side(match: Match, user, side: str | None) -> tuple[str, bool]:
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


def clean_decline(*, reason: str, note: str) -> str:
    """A decline's reason code and note checked (one message per field, a 400); the note
    stripped. Matches and pools are declined with the same reasons."""
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
    return note


def locked(match: Match) -> Match:
    """The match re-read under a row lock (call inside a transaction)."""
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related("supply__organization", "demand__organization")
        .get(pk=match.pk)
    )


def require_officer(user) -> None:
    if not getattr(user, "is_officer", False):
        raise PermissionDenied(_("Only trade-promotion officers may do this."))
