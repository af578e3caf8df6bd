"""Writes to listings. Views, serializers, imports and tasks call these; rules live here."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from listings.models import Listing
from listings.signals import listing_changed

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "product",
    "quantity",
    "unit",
    "min_order_quantity",
    "price_min",
    "price_max",
    "province",
    "available_from",
    "available_until",
    "ocop_stars",
    "min_ocop_stars",
    "status",
)


def _check_member(*, user, organization: Organization) -> None:
    if user is None:  # system callers (imports by officers, seeds) pass no user
        return
    if getattr(user, "is_officer", False):
        return
    if not organization.has_member(user):
        raise PermissionDenied(_("You can only post listings for an organization you belong to."))


def _validate_window(listing: Listing, *, check_past: bool) -> None:
    if check_past and listing.available_until and listing.ends_in_past():
        raise ValidationError(
            {"available_until": [_("A listing that is open cannot end in the past.")]}
        )


def _save(listing: Listing, certifications: Iterable | None, *, check_past: bool) -> Listing:
    listing.compute_derived()
    try:
        listing.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    _validate_window(listing, check_past=check_past)
    listing.save()
    if certifications is not None:
        listing.certifications.set(certifications)
    return listing


@transaction.atomic
def listing_create(
    *,
    organization: Organization,
    side: str,
    by_user=None,
    certifications: Iterable | None = None,
    **fields: Any,
) -> Listing:
    _check_member(user=by_user, organization=organization)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected listing fields: {sorted(unknown)}")
    listing = Listing(organization=organization, side=side, created_by=by_user, **fields)
    check_past = listing.status in (Listing.Status.OPEN, Listing.Status.DRAFT)
    _save(listing, certifications or [], check_past=check_past)
    listing_changed.send(sender=Listing, listing=listing, created=True, previous_status=None)
    return listing


@transaction.atomic
def listing_update(
    *, listing: Listing, by_user=None, certifications: Iterable | None = None, **fields: Any
) -> Listing:
    _check_member(user=by_user, organization=listing.organization)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected listing fields: {sorted(unknown)}")
    previous_status = listing.status
    for name, value in fields.items():
        setattr(listing, name, value)
    reopened = listing.status == Listing.Status.OPEN and previous_status != Listing.Status.OPEN
    window_changed = "available_until" in fields
    _save(listing, certifications, check_past=reopened or window_changed)
    listing_changed.send(
        sender=Listing, listing=listing, created=False, previous_status=previous_status
    )
    return listing


@transaction.atomic
def listing_set_status(*, listing: Listing, status: str, by_user=None) -> Listing:
    return listing_update(listing=listing, by_user=by_user, status=status)


@transaction.atomic
def listing_delete(*, listing: Listing, by_user=None) -> None:
    """Delete a listing; its proposals go with it (their audit history stays)."""
    _check_member(user=by_user, organization=listing.organization)
    listing.delete()


@transaction.atomic
def listing_hide(*, listing: Listing, hidden: bool = True, by_user=None) -> Listing:
    """An officer hides a listing (spam, wrong data); it leaves search and matching."""
    if by_user is not None and not getattr(by_user, "is_officer", False):
        raise PermissionDenied(_("Only trade-promotion officers may hide listings."))
    listing.hidden = hidden
    listing.save(update_fields=["hidden", "updated_at"])
    listing_changed.send(
        sender=Listing, listing=listing, created=False, previous_status=listing.status
    )
    return listing


def listings_expire(*, today: datetime.date | None = None) -> int:
    """Close the window on open listings whose availability has ended. Returns how many."""
    today = today or timezone.localdate()
    expired = 0
    ids = list(
        Listing.objects.filter(status=Listing.Status.OPEN, available_until__lt=today).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            # Claim with a conditional update so two runs never expire the same listing twice.
            if Listing.objects.filter(pk=pk, status=Listing.Status.OPEN).update(
                status=Listing.Status.EXPIRED, updated_at=timezone.now()
            ):
                listing = Listing.objects.get(pk=pk)
                listing_changed.send(
                    sender=Listing,
                    listing=listing,
                    created=False,
                    previous_status=Listing.Status.OPEN,
                )
                expired += 1
    return expired
