"""The deal pipeline after a match is connected: the one door for every change of a deal.

``connected`` → ``negotiating`` → ``contract_signed`` → ``delivering`` → ``completed``, or
``lost`` (with a reason) from any stage before the end. Signing records the contract (quantity
with its unit, value in VND, date); deliveries move a signed deal to ``delivering`` and to
``completed`` once the contract quantity is delivered. Either side of the match updates its
deal, officers for them (recorded as such); every change writes one :class:`DealEvent`. An
illegal move raises :class:`DealStageError` (HTTP 409).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import recorded_user
from core.errors import DomainError
from matchmaking.models import Deal, DealEvent, Delivery, Match

ST = Deal.Stage
# Where each stage may go by ``deal_advance``; ``delivering`` and ``completed`` are reached
# by recording deliveries (``deal_deliver``), never by saying so.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ST.CONNECTED: (ST.NEGOTIATING, ST.CONTRACT_SIGNED, ST.LOST),
    ST.NEGOTIATING: (ST.CONTRACT_SIGNED, ST.LOST),
    ST.CONTRACT_SIGNED: (ST.LOST,),
    ST.DELIVERING: (ST.LOST,),
    ST.COMPLETED: (),
    ST.LOST: (),
}
# Stages in which a delivery may be recorded.
DELIVERABLE = (ST.CONTRACT_SIGNED, ST.DELIVERING)
# Stages whose contract quantity is sold: it holds the supply's capacity.
SIGNED = (ST.CONTRACT_SIGNED, ST.DELIVERING, ST.COMPLETED)
# How far the deliveries may go over the contract quantity (a share of it).
OVER_DELIVERY_TOLERANCE = Decimal("0.05")
MAX_VND = 10**15


class DealStageError(DomainError):
    """The deal is not in a stage that allows this (HTTP 409)."""

    status_code = 409
    code = "illegal_transition"


def held_quantity() -> Case:
    """What a match holds of its supply's capacity, in the base unit (a ``Match`` annotation).

    The signed contract's quantity once there is one (so matching never promises what is
    already sold), nothing once the deal is lost, else the suggested quantity.
    """
    return Case(
        When(
            deal__stage__in=SIGNED,
            then=F("deal__contract_quantity") * F("deal__contract_unit__factor"),
        ),
        When(deal__stage=ST.LOST, then=Value(Decimal(0))),
        default=F("suggested_quantity"),
        output_field=DecimalField(max_digits=32, decimal_places=9),
    )


def open_deal(
    match: Match, *, by_user=None, side: str = "", as_officer: bool = False, note: str = ""
) -> Deal:
    """The deal of a match that has just been connected (idempotent)."""
    deal, created = Deal.objects.get_or_create(match=match)
    if created:
        _record(deal, "", by_user=by_user, side=side, as_officer=as_officer, note=note)
    return deal


def acting_side(deal: Deal, user, side: str | None = None) -> tuple[str, bool]:
    """The side the user updates the deal for, and whether an officer acts for it."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Log in to update a deal."))
    match = deal.match
    own = match.sides_of(user)
    if own and not match.hidden:
        if side and side not in own:
            raise PermissionDenied(_("You can only update a deal for your own side."))
        return (side or own[0]), False
    if getattr(user, "is_officer", False):
        if side and side not in Match.Side.values:
            raise ValidationError({"side": [_("Say which side you act for: supply or demand.")]})
        return side or "", True
    raise PermissionDenied(_("Only the supplier, the buyer or an officer may update this deal."))


def allowed_next(deal: Deal) -> tuple[str, ...]:
    return TRANSITIONS.get(deal.stage, ())


def _record(deal: Deal, from_stage: str, *, by_user, side, as_officer, note="", delivery=None):
    return DealEvent.objects.create(
        deal=deal,
        from_stage=from_stage,
        to_stage=deal.stage,
        by_user=recorded_user(by_user),
        side=side,
        as_officer=as_officer,
        note=note,
        delivery=delivery,
    )


def _locked(deal: Deal) -> Deal:
    return (
        Deal.objects.select_for_update(of=("self",))
        .select_related("match__supply__organization", "match__demand__organization")
        .get(pk=deal.pk)
    )


def _decimal(value, field: str, errors: dict) -> Decimal | None:
    if value in (None, ""):
        errors[field] = [_("This field is required.")]
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a number.")]
        return None
    if not number.is_finite() or number <= 0:
        errors[field] = [_("Enter a quantity greater than zero.")]
        return None
    if number >= Decimal("1e12"):
        errors[field] = [_("This quantity is too large.")]
        return None
    return number.quantize(Decimal("0.001"))


def _vnd(value, field: str, errors: dict, *, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[field] = [_("Enter a whole number of đồng.")]
        return None
    if number < 0 or number >= MAX_VND:
        errors[field] = [_("Enter a value between 0 and 10¹⁵ đồng.")]
        return None
    return number


def _date(value, field: str, errors: dict, *, today: datetime.date) -> datetime.date | None:
    if value in (None, ""):
        errors[field] = [_("This field is required.")]
        return None
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            errors[field] = [_("Enter a date (YYYY-MM-DD).")]
            return None
    if value > today:
        errors[field] = [_("This date is in the future.")]
        return None
    return value


def _due_date(value, errors: dict, *, signed_on) -> datetime.date | None:
    """The contract's delivery date: optional, any day from the signing on."""
    if value in (None, ""):
        return None
    if not isinstance(value, datetime.date):
        try:
            value = datetime.date.fromisoformat(str(value))
        except ValueError:
            errors["deliver_by"] = [_("Enter a date (YYYY-MM-DD).")]
            return None
    if signed_on and value < signed_on:
        errors["deliver_by"] = [_("The delivery date cannot be before the signing.")]
        return None
    return value


@transaction.atomic
def deal_advance(
    *,
    deal: Deal,
    by_user,
    stage: str,
    side: str | None = None,
    contract_quantity=None,
    contract_unit=None,
    contract_value_vnd=None,
    signed_on=None,
    deliver_by=None,
    lost_reason: str = "",
    note: str = "",
) -> Deal:
    """Move the deal to ``stage`` with the fields that stage needs (``deliver_by``, the
    contract's delivery date, is optional: officers are told when it passes undelivered)."""
    deal = _locked(deal)
    side, as_officer = acting_side(deal, by_user, side)
    if stage not in ST.values:
        raise ValidationError({"stage": [_("Unknown stage.")]})
    previous = deal.stage
    if stage not in allowed_next(deal):
        if stage in (ST.DELIVERING, ST.COMPLETED) and previous in DELIVERABLE:
            raise DealStageError(_("Record a delivery: deliveries move a deal on from here."))
        raise DealStageError(
            _("A deal that is “%(from)s” cannot become “%(to)s”.")
            % {"from": deal.get_stage_display(), "to": ST(stage).label}
        )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if len(note) > 1000:
        errors["note"] = [_("Keep the note under 1000 characters.")]
    if stage == ST.CONTRACT_SIGNED:
        quantity = _decimal(contract_quantity, "contract_quantity", errors)
        value = _vnd(contract_value_vnd, "contract_value_vnd", errors)
        day = _date(signed_on, "signed_on", errors, today=timezone.localdate())
        if contract_unit is None:
            errors["contract_unit"] = [_("This field is required.")]
        elif contract_unit.dimension != deal.match.supply.unit.dimension:
            errors["contract_unit"] = [
                _("Use a unit of the same kind as the listing's (%(unit)s).")
                % {"unit": deal.match.supply.unit.code}
            ]
        due = _due_date(deliver_by, errors, signed_on=day)
        if not errors:
            deal.contract_quantity, deal.contract_unit = quantity, contract_unit
            deal.contract_value_vnd, deal.signed_on = value, day
            deal.deliver_by = due
    elif stage == ST.LOST:
        if lost_reason not in Deal.LostReason.values:
            errors["lost_reason"] = [
                _("Choose a reason: %(choices)s.") % {"choices": ", ".join(Deal.LostReason.values)}
            ]
        else:
            deal.lost_reason, deal.lost_note = lost_reason, note
    if errors:
        raise ValidationError(errors)
    deal.stage = stage
    deal.save()
    _record(deal, previous, by_user=by_user, side=side, as_officer=as_officer, note=note)
    return deal


@transaction.atomic
def deal_deliver(
    *, deal: Deal, by_user, quantity, unit, delivered_on, value_vnd, side: str | None = None
) -> Delivery:
    """Record one delivery of a signed deal; completes the deal once the quantity is in."""
    deal = _locked(deal)
    side, as_officer = acting_side(deal, by_user, side)
    if deal.stage not in DELIVERABLE:
        raise DealStageError(
            _("A deal that is “%(stage)s” takes no deliveries; sign the contract first.")
            % {"stage": deal.get_stage_display()}
        )
    errors: dict[str, list[str]] = {}
    amount = _decimal(quantity, "quantity", errors)
    value = _vnd(value_vnd, "value_vnd", errors)
    day = _date(delivered_on, "delivered_on", errors, today=timezone.localdate())
    contract_unit = deal.contract_unit
    if unit is None:
        errors["unit"] = [_("This field is required.")]
    elif unit.dimension != contract_unit.dimension:
        errors["unit"] = [
            _("Use a unit of the same kind as the contract's (%(unit)s).")
            % {"unit": contract_unit.code}
        ]
    if day and deal.signed_on and day < deal.signed_on:
        errors["delivered_on"] = [_("A delivery cannot be dated before the contract.")]
    converted = None
    if amount is not None and not errors.get("unit"):
        converted = (amount * unit.factor / contract_unit.factor).quantize(Decimal("0.001"))
        ceiling = deal.contract_quantity * (1 + OVER_DELIVERY_TOLERANCE)
        if deal.delivered_quantity + converted > ceiling:
            errors["quantity"] = [
                _("This delivery goes over the contract quantity (%(left)s %(unit)s left).")
                % {
                    "left": max(deal.contract_quantity - deal.delivered_quantity, Decimal(0)),
                    "unit": contract_unit.code,
                }
            ]
    if errors:
        raise ValidationError(errors)
    delivery = Delivery.objects.create(
        deal=deal,
        quantity=amount,
        unit=unit,
        quantity_in_contract_unit=converted,
        value_vnd=value,
        delivered_on=day,
        recorded_by=recorded_user(by_user),
    )
    previous = deal.stage
    deal.delivered_quantity += converted
    deal.delivered_value_vnd += value
    deal.stage = (
        ST.COMPLETED if deal.delivered_quantity >= deal.contract_quantity else ST.DELIVERING
    )
    deal.save()
    _record(deal, previous, by_user=by_user, side=side, as_officer=as_officer, delivery=delivery)
    return delivery
