"""An officer introduces two listings by hand (``origin = officer``), audited like any change."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from listings.models import Listing
from matchmaking.models import Match
from matchmaking.services import notifications
from matchmaking.services.transitions import (
    MatchStateError,
    S,
    record,
    require_officer,
    review_deadline,
)


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
    require_officer(by_user)
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
            "detail": note,  # the officer's words; the rest is worded when read (explanations)
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
    record(match, from_status=previous, by_user=by_user, as_officer=True, note=note)
    notifications.notify_new_proposals([match])
    notifications.send_digests_on_commit()
    return match
