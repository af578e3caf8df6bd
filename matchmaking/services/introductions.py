"""An officer introduces two listings by hand (``origin = officer``), audited like any change.

``introduce`` (the admin's form) first assesses the pair like any candidate pair: which hard
rules it fails (in words), its score and factors, and how much of the supply is still free. A
pair that fails a hard rule is introduced only with an explicit override and a reason (kept in
the audit trail and shown to both sides); the suggested quantity never exceeds what the supply
has not yet promised to other active matches; the match then carries its score and factors like
any proposal (never "0 %"). ``match_introduce`` does the rest (states, notifications).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext as _

from core.formatting import format_number
from listings.models import Listing
from matchmaking.engine.factors import pair_factors
from matchmaking.engine.filters import failed_filters
from matchmaking.engine.near_misses import RULES
from matchmaking.models import Match
from matchmaking.services import notifications
from matchmaking.services.facts import pair_facts
from matchmaking.services.market import build_table
from matchmaking.services.near_misses import _describe
from matchmaking.services.reference import load_reference
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


BASE_UNIT = {"mass": "kg", "volume": "l", "count": "piece"}
# Filters the introduction form checks itself (open, organizations) or that the review
# service refuses (a declined pair); the others are the hard rules an override may bypass.
CHECKED_ELSEWHERE = ("open", "organization", "declined", "quantity")


@dataclass
class Assessment:
    # [{"rule", "detail", "detail_vi", "detail_en"}]
    blocked: list[dict] = field(default_factory=list)
    score: float = 0.0
    factors: list[float] = field(default_factory=list)
    facts: list[float] = field(default_factory=list)  # matchmaking.services.facts
    free_capacity: Decimal = Decimal(0)  # of the supply, in its base unit
    suggested_quantity: Decimal = Decimal(0)  # base unit

    @property
    def rule_names(self) -> list[str]:
        return [item["rule"] for item in self.blocked]


def promised_elsewhere(supply: Listing, *, demand: Listing | None = None) -> Decimal:
    """What the supply's other active matches (pending or connected) already hold."""
    active = Match.objects.filter(supply=supply, status__in=Match.ACTIVE_STATUSES, hidden=False)
    if demand is not None:
        active = active.exclude(demand=demand)
    return active.aggregate(total=Sum("suggested_quantity"))["total"] or Decimal(0)


def assess(*, supply: Listing, demand: Listing) -> Assessment:
    """The pair as the engine sees it, with the supply's free capacity."""
    ref = load_reference()
    supplies = build_table(Listing.objects.filter(pk=supply.pk), ref, side=Listing.Side.SUPPLY)
    demands = build_table(Listing.objects.filter(pk=demand.pk), ref, side=Listing.Side.DEMAND)
    free = max(supply.quantity_base - promised_elsewhere(supply, demand=demand), Decimal(0))
    capacity = np.array([float(free)])
    failed = failed_filters(supplies, demands, 0, 0, ref.context, capacity)
    out = Assessment(free_capacity=free)
    listing = (
        Listing.objects.select_related("unit", "category", "product")
        .prefetch_related("certifications")
        .get(pk=supply.pk)
    )
    other = (
        Listing.objects.select_related("unit", "category", "product")
        .prefetch_related("certifications")
        .get(pk=demand.pk)
    )
    for name in failed:
        if name in CHECKED_ELSEWHERE or name not in RULES:
            continue
        rule = RULES[name]
        if rule not in out.rule_names:
            item = {"rule": rule, "detail": _describe(listing, other, rule)[0]}
            for language in ("vi", "en"):  # both sides read the override in their language
                with translation.override(language):
                    item[f"detail_{language}"] = _describe(listing, other, rule)[0]
            out.blocked.append(item)
    factors = pair_factors(supplies, demands, np.array([0]), np.array([0]), ref.context, capacity)
    out.factors = [round(float(v), 4) for v in factors[0]]
    out.facts = pair_facts(
        supplies, demands, np.array([0]), np.array([0]), ref.context, ref.programme_ids
    )[0]
    out.score = round(float(factors[0].astype(np.float64) @ ref.context.config.weight_vector), 4)
    if supply.unit.dimension == demand.unit.dimension:
        out.suggested_quantity = min(free, demand.quantity_base)
    else:
        out.suggested_quantity = free
    return out


@transaction.atomic
def introduce(
    *,
    supply: Listing,
    demand: Listing,
    by_user,
    suggested_quantity: Decimal | None = None,
    note: str = "",
    override: bool = False,
    override_reason: str = "",
) -> Match:
    """Introduce the pair; refuses a pair failing a hard rule unless ``override`` with a
    reason, and a quantity above the supply's free capacity."""
    supply = Listing.objects.select_for_update().select_related("unit").get(pk=supply.pk)
    demand = Listing.objects.select_related("unit").get(pk=demand.pk)
    errors: dict[str, list[str]] = {}
    if supply.side == Listing.Side.SUPPLY and demand.side == Listing.Side.DEMAND:
        assessment = assess(supply=supply, demand=demand)
    else:
        assessment = Assessment()  # the review service names the wrong side
    override_reason = (override_reason or "").strip()
    if assessment.blocked and not override:
        errors["override"] = [
            _("This pair fails hard rules. %(rules)s Tick the override and give a reason.")
            % {"rules": " ".join(item["detail"] for item in assessment.blocked)}
        ]
    elif assessment.blocked and not override_reason:
        errors["override_reason"] = [_("Say why the rules are overridden.")]
    if len(override_reason) > 300:
        errors["override_reason"] = [_("Keep the reason under 300 characters.")]
    base = BASE_UNIT.get(supply.unit.dimension, "")
    if assessment.free_capacity <= 0 and supply.side == Listing.Side.SUPPLY:
        errors["suggested_quantity"] = [
            _("Nothing of this supply is left: other matches hold all of it.")
        ]
    elif suggested_quantity is not None and suggested_quantity > assessment.free_capacity:
        errors["suggested_quantity"] = [
            _("At most %(free)s %(unit)s of this supply is not yet promised to other matches.")
            % {"free": format_number(assessment.free_capacity), "unit": base}
        ]
    if errors:
        raise ValidationError(errors)
    quantity = suggested_quantity if suggested_quantity is not None else None
    if quantity is None and assessment.suggested_quantity > 0:
        quantity = assessment.suggested_quantity
    full_note = (note or "").strip()
    if assessment.blocked:
        overridden = ", ".join(assessment.rule_names)
        full_note = " ".join(
            part
            for part in (full_note, f"[override: {overridden}] {override_reason}".strip())
            if part
        )
    match = match_introduce(
        supply=supply,
        demand=demand,
        by_user=by_user,
        suggested_quantity=quantity,
        note=full_note[:500],
    )
    match.score = assessment.score
    match.factors = assessment.factors
    match.facts = assessment.facts
    if assessment.blocked:  # both sides read the override in their own language
        match.explanation = [
            *match.explanation,
            {
                "factor": "officer",
                "value": 0.0,
                "weight": 0.0,
                "detail": "Cán bộ bỏ qua điều kiện: "
                + " ".join(item["detail_vi"] for item in assessment.blocked)
                + f" Lý do: {override_reason}",
                "detail_vi": "Cán bộ bỏ qua điều kiện: "
                + " ".join(item["detail_vi"] for item in assessment.blocked)
                + f" Lý do: {override_reason}",
                "detail_en": "The officer overrode: "
                + " ".join(item["detail_en"] for item in assessment.blocked)
                + f" Reason: {override_reason}",
            },
        ]
    match.save(update_fields=["score", "factors", "facts", "explanation"])
    return match
