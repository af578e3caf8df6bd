"""Writes to listings. Views, serializers, the admin, the import, seeds and jobs call these;
the rules they check are in :mod:`listings.services.rules` and ``Listing.clean()``."""

from __future__ import annotations

import datetime
import warnings
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from core.actors import SYSTEM
from listings.models import Listing
from listings.services import rules
from listings.signals import listing_changed


def _known(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected listing fields: {sorted(unknown)}")


def _validate(listing: Listing, *, before: str | None, previous_until) -> None:
    """Derived fields, the model's field and cross-field checks, then the window rule."""
    listing.compute_derived()
    try:
        listing.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    rules.check_window(
        listing, before=before, window_changed=listing.available_until != previous_until
    )


def _prepare_create(*, organization, side, by_user, on_behalf, confirm_price, fields) -> Listing:
    rules.check_create(by_user=by_user, organization=organization, on_behalf=on_behalf)
    _known(fields, rules.EDITABLE_FIELDS)
    listing = Listing(
        organization=organization,
        side=side,
        created_by=None if by_user is SYSTEM else by_user,
        **fields,
    )
    rules.check_status(before=None, after=listing.status)
    _validate(listing, before=None, previous_until=None)
    rules.check_price(listing, by_user=by_user, confirmed=confirm_price)
    return listing


def _prepare_update(
    *, listing: Listing, by_user, certifications, confirm_price: bool, fields
) -> str:
    """Check and apply ``fields`` to ``listing`` (unsaved); returns the status it had."""
    asked = dict(fields)
    if certifications is not None:
        asked["certifications"] = certifications
    rules.check_change(listing=listing, by_user=by_user, fields=asked)
    _known(fields, (*rules.EDITABLE_FIELDS, *rules.FIXED_FIELDS))
    rules.check_fixed(listing, fields)
    before, until = listing.status, listing.available_until
    rules.check_status(before=before, after=fields.get("status", before))
    for name, value in fields.items():
        if name not in rules.FIXED_FIELDS:
            setattr(listing, name, value)
    _validate(listing, before=before, previous_until=until)
    rules.check_price(listing, by_user=by_user, confirmed=confirm_price, fields=fields)
    return before


def _actor(by_user):
    if by_user is None:
        # Kept for callers outside listings that predate SYSTEM; pass it explicitly.
        warnings.warn(
            "listing_create(by_user=None) is deprecated: pass by_user=SYSTEM for the "
            "platform's own writes, or the person who posts",
            DeprecationWarning,
            stacklevel=4,  # the caller, past this helper, listing_create and atomic()
        )
        return SYSTEM
    return by_user


@transaction.atomic
def listing_create(
    *,
    organization: Organization,
    side: str,
    by_user=None,
    on_behalf: bool = False,
    certifications: Iterable | None = None,
    confirm_price: bool = False,
    **fields: Any,
) -> Listing:
    """Post a listing. ``by_user`` is the person (a member of ``organization``, or an officer
    with ``on_behalf=True`` for the spreadsheet import and the admin's add form) or ``SYSTEM``.
    ``confirm_price``: the person confirmed a price far from what the category usually costs
    (:func:`listings.services.rules.check_price`)."""
    listing = _prepare_create(
        organization=organization,
        side=side,
        by_user=_actor(by_user),
        on_behalf=on_behalf,
        confirm_price=confirm_price,
        fields=fields,
    )
    listing.save()
    listing.certifications.set(certifications or [])
    listing_changed.send(sender=Listing, listing=listing, created=True, previous_status=None)
    return listing


@transaction.atomic
def listing_update(
    *,
    listing: Listing,
    by_user,
    certifications: Iterable | None = None,
    confirm_price: bool = False,
    **fields: Any,
) -> Listing:
    """Change a listing: its members anything, an officer only ``status="closed"``."""
    previous_status = _prepare_update(
        listing=listing,
        by_user=by_user,
        certifications=certifications,
        confirm_price=confirm_price,
        fields=fields,
    )
    listing.save()
    if certifications is not None:
        listing.certifications.set(certifications)
    listing_changed.send(
        sender=Listing, listing=listing, created=False, previous_status=previous_status
    )
    return listing


def listing_check_create(
    *,
    organization: Organization,
    side: str,
    by_user,
    on_behalf: bool = False,
    certifications: Iterable | None = None,
    confirm_price: bool = False,
    **fields: Any,
) -> None:
    """Raise what :func:`listing_create` would raise, saving nothing (for forms that show
    every rule before the write, such as the admin's)."""
    _prepare_create(
        organization=organization,
        side=side,
        by_user=by_user,
        on_behalf=on_behalf,
        confirm_price=confirm_price,
        fields=fields,
    )


def listing_check_update(
    *,
    listing: Listing,
    by_user,
    certifications: Iterable | None = None,
    confirm_price: bool = False,
    **fields: Any,
) -> None:
    """Raise what :func:`listing_update` would raise, leaving ``listing`` untouched."""
    stored = Listing.objects.select_related("organization").get(pk=listing.pk)
    _prepare_update(
        listing=stored,
        by_user=by_user,
        certifications=certifications,
        confirm_price=confirm_price,
        fields=fields,
    )


@transaction.atomic
def listing_set_status(*, listing: Listing, status: str, by_user) -> Listing:
    return listing_update(listing=listing, by_user=by_user, status=status)


@transaction.atomic
def listing_delete(*, listing: Listing, by_user) -> None:
    """Delete a listing (its members); its proposals go with it (their audit history stays)."""
    rules.check_delete(listing=listing, by_user=by_user)
    listing.delete()


@transaction.atomic
def listing_hide(*, listing: Listing, by_user, hidden: bool = True) -> Listing:
    """An officer hides a listing (spam, wrong data); it leaves search and matching."""
    rules.check_hide(by_user=by_user)
    listing.hidden = hidden
    listing.save(update_fields=["hidden", "updated_at"])
    listing_changed.send(
        sender=Listing, listing=listing, created=False, previous_status=listing.status
    )
    return listing


def listings_expire(*, today: datetime.date | None = None) -> int:
    """Expire open listings whose window has ended: the one path that sets "expired"."""
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
