"""Every listing rule that says who may do what, and which status moves exist, in one place.

The API, the pages, the admin, the spreadsheet import, seeds and jobs all write through
:mod:`listings.services.writes`, which checks these; doors ask them too, to offer only what is
allowed (the page's status buttons come from :func:`next_statuses`).

- Members of a listing's organization post, edit and delete it.
- A trade-promotion officer who is not a member (a superuser counts as an officer) may only
  close it or hide it; officers post for any organization only through their own entry tools
  (the spreadsheet import and the admin's add form: ``on_behalf=True``).
- The platform's own writes (seed data, jobs) pass ``by_user=SYSTEM``.
- Status moves follow :data:`TRANSITIONS`; "expired" is set by the nightly job only.
- A listing that is open cannot end in the past; a draft or a paused one that ends in the past
  could never be opened, so it is refused too, with its own words.
- A price far from what its category usually costs per unit (:mod:`listings.prices`) is saved
  only once the person who typed it confirms it (``confirm_price``); the platform's own writes
  are not questioned.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import is_member, is_officer
from core.actors import SYSTEM
from core.errors import DomainError
from listings.models import Listing
from listings.prices import price_warning

Status = Listing.Status

# The fields a listing's members may change after posting it.
EDITABLE_FIELDS = (
    "title",
    "description",
    "title_en",
    "description_en",
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
    "ocop_year",
    "min_ocop_stars",
    "status",
)
# What the price plausibility question depends on: a write that sets one of these is asked.
PRICE_INPUTS = ("category", "unit", "price_min", "price_max")
PRICE_FIELDS = ("price_min", "price_max")

# Fixed once a listing is posted: post a new one instead.
FIXED_FIELDS = ("side", "organization")

# Where a listing may go from each status (staying where it is is always allowed). "expired"
# is reached only through the nightly job (``listings_expire``), never by a person.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.OPEN,),
    Status.OPEN: (Status.PAUSED, Status.CLOSED),
    Status.PAUSED: (Status.OPEN, Status.CLOSED),
    Status.CLOSED: (Status.OPEN,),
    Status.EXPIRED: (Status.OPEN,),
}

# All that an officer who is not a member may ask of someone else's listing (besides hiding).
OFFICER_CHANGE = {"status": Status.CLOSED}


class IllegalStatusChange(DomainError):
    """A status move the table does not have (draft → paused, closed → paused…)."""

    code = "illegal_status_change"


def _rewrites(by_user, organization: Organization) -> bool:
    """Whether ``by_user`` may change anything of this organization's listings."""
    return by_user is SYSTEM or is_member(by_user, organization)


def check_create(*, by_user, organization: Organization, on_behalf: bool = False) -> None:
    """Members post for their organization; officers for any, through their entry tools."""
    if _rewrites(by_user, organization):
        return
    if on_behalf:
        if is_officer(by_user):
            return
        raise PermissionDenied(
            _("Only trade-promotion officers may enter listings for another organization.")
        )
    raise PermissionDenied(_("You can only post listings for an organization you belong to."))


def check_change(*, listing: Listing, by_user, fields: Mapping[str, Any] | None) -> None:
    """Members change anything; an officer may only close. ``fields`` is what the caller asks
    to set (a request's body before parsing is fine); ``None`` when it is not even a mapping."""
    if _rewrites(by_user, listing.organization):
        return
    if is_officer(by_user):
        if fields is not None and {name: fields[name] for name in fields} == OFFICER_CHANGE:
            return
        raise PermissionDenied(
            _("Officers may only close (status “closed”) or hide someone else's listing.")
        )
    raise PermissionDenied(_("Only members of this listing's organization may change it."))


def check_delete(*, listing: Listing, by_user) -> None:
    if _rewrites(by_user, listing.organization):
        return
    if is_officer(by_user):
        raise PermissionDenied(
            _("Officers close or hide a listing; only its organization's members delete it.")
        )
    raise PermissionDenied(_("Only members of this listing's organization may delete it."))


def check_hide(*, by_user) -> None:
    if by_user is SYSTEM or is_officer(by_user):
        return
    raise PermissionDenied(_("Only trade-promotion officers may hide listings."))


def may_edit(by_user, listing: Listing) -> bool:
    """Whether ``by_user`` may open the listing's edit form (members only)."""
    return _rewrites(by_user, listing.organization)


def next_statuses(listing: Listing, by_user) -> tuple[str, ...]:
    """The statuses ``by_user`` may move the listing to, in the table's order."""
    moves = TRANSITIONS.get(listing.status, ())
    if _rewrites(by_user, listing.organization):
        return moves
    if is_officer(by_user):
        return tuple(status for status in moves if status == OFFICER_CHANGE["status"])
    return ()


def check_status(*, before: str | None, after: str) -> None:
    """``before`` is None for a new listing, which may start in any status but expired."""
    if after == before:
        return
    if after == Status.EXPIRED:
        raise ValidationError(
            {
                "status": [
                    _(
                        "“expired” is set by the system when a listing's window ends; choose "
                        "draft, open, paused or closed."
                    )
                ]
            }
        )
    if before is not None and after not in TRANSITIONS.get(before, ()):
        labels = dict(Status.choices)
        raise IllegalStatusChange(
            _("A listing cannot go from “%(before)s” to “%(after)s”.")
            % {"before": labels[before], "after": labels.get(after, str(after)[:20])}
        )


def check_window(
    listing: Listing,
    *,
    before: str | None,
    window_changed: bool,
    today: datetime.date | None = None,
) -> None:
    """A listing that is (or is being) opened cannot end in the past; nor can a draft or a
    paused one whose end date is set or changed (it could never be opened)."""
    until = listing.available_until
    if until is None or until >= (today or timezone.localdate()):
        return
    new = before is None
    if listing.status == Status.OPEN and (new or before != Status.OPEN or window_changed):
        message = _("A listing that is open cannot end in the past.")
    elif listing.status in (Status.DRAFT, Status.PAUSED) and (new or window_changed):
        message = _(
            "This end date has passed, so the listing could never be opened: choose today or "
            "a later date."
        )
    else:
        return
    raise ValidationError({"available_until": [message]})


def check_fixed(listing: Listing, fields: Mapping[str, Any]) -> None:
    """The side and the organization of a posted listing do not change."""
    errors = {
        name: [
            _("A listing's %(field)s cannot be changed; post a new listing.")
            % {"field": Listing._meta.get_field(name).verbose_name}
        ]
        for name in FIXED_FIELDS
        if name in fields and fields[name] != getattr(listing, name)
    }
    if errors:
        raise ValidationError(errors)


def check_price(
    listing: Listing, *, by_user, confirmed: bool, fields: Mapping[str, Any] | None = None
) -> None:
    """A price far from what the listing's category usually costs per unit is refused until
    confirmed: the message goes on each price field given, and on ``confirm_price``. The
    pages ask it through their checkbox, the API through ``confirm_price: true``. ``fields``
    (an update) limits the question to writes that set a price, a unit or a category."""
    if confirmed or by_user is SYSTEM:
        return
    if fields is not None and not any(name in fields for name in PRICE_INPUTS):
        return
    if listing.category_id is None or listing.unit_id is None:
        return
    message = price_warning(
        category=listing.category,
        unit=listing.unit,
        prices=[listing.price_min, listing.price_max],
        exclude_pk=listing.pk,
    )
    if message is None:
        return
    errors = {
        name: [message]
        for name in PRICE_FIELDS
        if getattr(listing, name) is not None and getattr(listing, name) > 0
    }
    errors["confirm_price"] = [_("Confirm that this price is right to save it.")]
    raise ValidationError(errors)
