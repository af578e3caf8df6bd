"""Why a listing has few or no proposals, and what would change that.

The engine (``matchmaking.engine.near_misses``) finds the open counter-listings that fail one
or two hard rules; this module loads them, says in words what blocks each pair ("Requires
Rainforest Alliance, which this supply does not hold") and counts them per rule for the
listing page and the inbox ("3 buyers need Rainforest Alliance"), each with what to change.
A read: nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.models import Unit
from core.formatting import format_date, format_number, localized_name, unit_name
from listings.models import Listing
from matchmaking.engine.near_misses import near_misses as engine_near_misses
from matchmaking.models import Match
from matchmaking.services.market import build_table, declined_pairs, market_cache
from matchmaking.services.reference import load_reference

LIMIT = 10
# The listing page and the inbox explain near misses when a listing has fewer active proposals.
FEW = 3


@dataclass
class Blocked:
    listing: Listing
    rules: list[dict] = field(default_factory=list)  # [{"rule", "detail"}]
    keys: list[tuple] = field(default_factory=list)  # one grouping key per rule, for counts


def _dimension_name(unit: Unit) -> str:
    return {
        Unit.Dimension.MASS: _("weight"),
        Unit.Dimension.VOLUME: _("volume"),
        Unit.Dimension.COUNT: _("count"),
    }.get(unit.dimension, unit.dimension)


def _amount(quantity, unit: Unit) -> str:
    return f"{format_number(quantity)} {unit_name(unit)}"


def _stars(value) -> str:
    return f"{value}★" if value else _("no OCOP stars")


def _describe(own: Listing, other: Listing, rule: str) -> tuple[str, tuple]:
    """The sentence for one blocked rule, from the point of view of ``own``'s owner, and the
    key its count is grouped by."""
    supply, demand = (own, other) if own.is_supply else (other, own)
    if rule == "certification":
        held = {c.pk for c in supply.certifications.all()}
        missing = [c for c in demand.certifications.all() if c.pk not in held]
        names = ", ".join(localized_name(c) for c in missing)
        if own.is_supply:
            text = _("Requires %(certs)s, which this supply does not hold.") % {"certs": names}
        else:
            text = _("Does not hold %(certs)s, which this demand requires.") % {"certs": names}
        return text, (rule, tuple(c.pk for c in missing))
    if rule == "ocop_stars":
        needed, held = demand.min_ocop_stars, supply.effective_ocop_stars
        if own.is_supply:
            text = _("Wants OCOP %(needed)s★ or more; this supply has %(held)s.")
        else:
            text = _("Has %(held)s; this demand wants OCOP %(needed)s★ or more.")
        return text % {"needed": needed, "held": _stars(held)}, (rule, needed)
    if rule == "window":
        start = max(own.available_from, timezone.localdate())
        if other.available_from > own.available_until:
            text = _("Its window starts on %(date)s, after this listing's ends (%(end)s).") % {
                "date": format_date(other.available_from),
                "end": format_date(own.available_until),
            }
            return text, (rule, "after")
        text = _("Its window ends on %(date)s, before this listing's starts (%(start)s).") % {
            "date": format_date(other.available_until),
            "start": format_date(start),
        }
        return text, (rule, "before")
    if rule == "category":
        name = localized_name(other.category)
        if own.is_supply:
            text = _("Looks for “%(category)s”; this supply's category is not part of it.")
        else:
            text = _("Offers “%(category)s”, outside this demand's category.")
        return text % {"category": name}, (rule, None)
    if rule == "unit_dimension":
        text = _("Counts in %(other)s (%(unit)s); this listing counts in %(own)s.") % {
            "other": _dimension_name(other.unit),
            "unit": unit_name(other.unit),
            "own": _dimension_name(own.unit),
        }
        return text, (rule, None)
    # min_order: the supplier's smallest lot above the demand, or the buyer's above the supply.
    too_big_lot = supply.min_order_base is not None and demand.quantity_base < supply.min_order_base
    if too_big_lot:
        text = _("The supplier sells at least %(min)s; the buyer needs %(qty)s.") % {
            "min": _amount(supply.min_order_quantity, supply.unit),
            "qty": _amount(demand.quantity, demand.unit),
        }
    else:
        text = _("The buyer takes at least %(min)s; the supplier offers %(qty)s.") % {
            "min": _amount(demand.min_order_quantity, demand.unit),
            "qty": _amount(supply.quantity, supply.unit),
        }
    return text, (rule, "supply" if too_big_lot else "demand")


def near_misses(listing: Listing, *, limit: int | None = LIMIT) -> list[Blocked]:
    """The counter-listings that one or two changes would match with ``listing``, closest
    first (fewest rules, then the best would-be score)."""
    own_filter = {"supply_id": listing.pk} if listing.is_supply else {"demand_id": listing.pk}
    ref = load_reference(declined=declined_pairs(Match.objects.filter(**own_filter)))
    supplies, demands = market_cache().get(ref, keep_signatures=False)  # a read writes nothing
    counter = demands if listing.is_supply else supplies
    own = build_table(
        Listing.objects.filter(pk=listing.pk), ref, side=listing.side, keep_signatures=False
    )
    found = engine_near_misses(own, listing.side, counter, ref.context)
    if limit is not None:
        found = found[:limit]
    ids = [miss.listing_id for miss in found]
    loaded = (
        Listing.objects.open()
        .filter(pk__in=ids)
        .select_related("organization__province", "province", "category", "unit", "product")
        .prefetch_related("certifications")
        .in_bulk()
    )
    listing = (
        Listing.objects.select_related("unit", "category", "product")
        .prefetch_related("certifications")
        .get(pk=listing.pk)
    )
    out = []
    for miss in found:
        other = loaded.get(miss.listing_id)
        if other is None:  # closed since the market was cached
            continue
        blocked = Blocked(listing=other)
        for rule in miss.rules:
            detail, key = _describe(listing, other, rule)
            blocked.rules.append({"rule": rule, "detail": detail})
            blocked.keys.append(key)
        out.append(blocked)
    return out


def _count_text(own: Listing, key: tuple, n: int, certifications: dict) -> str:
    rule, value = key
    if own.is_supply:
        if rule == "certification":
            names = ", ".join(localized_name(certifications[pk]) for pk in value)
            return ngettext("%(n)s buyer needs %(certs)s", "%(n)s buyers need %(certs)s", n) % {
                "n": n,
                "certs": names,
            }
        if rule == "ocop_stars":
            return ngettext(
                "%(n)s buyer wants OCOP %(stars)s★", "%(n)s buyers want OCOP %(stars)s★", n
            ) % {"n": n, "stars": value}
        if rule == "window" and value == "after":
            return ngettext(
                "%(n)s buyer's window starts after yours ends",
                "%(n)s buyers' windows start after yours ends",
                n,
            ) % {"n": n}
        if rule == "window":
            return ngettext(
                "%(n)s buyer's window ends before yours starts",
                "%(n)s buyers' windows end before yours starts",
                n,
            ) % {"n": n}
        if rule == "category":
            return ngettext(
                "%(n)s buyer looks for a related category",
                "%(n)s buyers look for a related category",
                n,
            ) % {"n": n}
        if rule == "unit_dimension":
            return ngettext(
                "%(n)s buyer counts in another kind of unit",
                "%(n)s buyers count in another kind of unit",
                n,
            ) % {"n": n}
        return ngettext(
            "%(n)s buyer's order does not fit a minimum order",
            "%(n)s buyers' orders do not fit a minimum order",
            n,
        ) % {"n": n}
    if rule == "certification":
        names = ", ".join(localized_name(certifications[pk]) for pk in value)
        return ngettext("%(n)s supplier lacks %(certs)s", "%(n)s suppliers lack %(certs)s", n) % {
            "n": n,
            "certs": names,
        }
    if rule == "ocop_stars":
        return ngettext(
            "%(n)s supplier has fewer than OCOP %(stars)s★",
            "%(n)s suppliers have fewer than OCOP %(stars)s★",
            n,
        ) % {"n": n, "stars": value}
    if rule == "window" and value == "after":
        return ngettext(
            "%(n)s supplier's window starts after yours ends",
            "%(n)s suppliers' windows start after yours ends",
            n,
        ) % {"n": n}
    if rule == "window":
        return ngettext(
            "%(n)s supplier's window ends before yours starts",
            "%(n)s suppliers' windows end before yours starts",
            n,
        ) % {"n": n}
    if rule == "category":
        return ngettext(
            "%(n)s supplier offers a related category",
            "%(n)s suppliers offer a related category",
            n,
        ) % {"n": n}
    if rule == "unit_dimension":
        return ngettext(
            "%(n)s supplier counts in another kind of unit",
            "%(n)s suppliers count in another kind of unit",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)s supplier's lot does not fit a minimum order",
        "%(n)s suppliers' lots do not fit a minimum order",
        n,
    ) % {"n": n}


def _change(own: Listing, rule: str) -> tuple[str, str]:
    """What to change for ``rule`` and where (a link to the listing's form, at the field)."""
    edit = reverse("listings:edit", args=[own.pk])
    if rule == "certification":
        if own.is_supply:
            return _("Add a certification"), f"{edit}#id_certifications"
        return _("Review the required certifications"), f"{edit}#id_certifications"
    if rule == "ocop_stars":
        if own.is_supply:
            return _("Record the product's OCOP stars"), f"{edit}#id_ocop_stars"
        return _("Lower the minimum OCOP stars"), f"{edit}#id_min_ocop_stars"
    if rule == "window":
        return _("Change the dates"), f"{edit}#id_available_from"
    if rule == "category":
        return _("Choose a more precise category"), f"{edit}#id_category"
    if rule == "unit_dimension":
        return _("Give the quantity in another unit"), f"{edit}#id_unit"
    return _("Change the quantity or minimum order"), f"{edit}#id_min_order_quantity"


def near_miss_summary(listing: Listing) -> list[dict]:
    """Near misses counted per rule (and per certification, stars, side of the window), most
    frequent first: ``[{"rule", "count", "text", "change", "url"}]``."""
    blocked = near_misses(listing, limit=None)
    counts = Counter(key for item in blocked for key in item.keys)
    certifications = {c.pk: c for item in blocked for c in item.listing.certifications.all()} | {
        c.pk: c for c in listing.certifications.all()
    }
    out = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        change, url = _change(listing, key[0])
        out.append(
            {
                "rule": key[0],
                "count": n,
                "text": _count_text(listing, key, n, certifications),
                "change": change,
                "url": url,
            }
        )
    return out


def few_proposals(listing: Listing) -> bool:
    """Whether ``listing`` has fewer than ``FEW`` active proposals (the pages then explain)."""
    active = Match.objects.for_listing(listing.pk).filter(status__in=Match.ACTIVE_STATUSES)
    return active.count() < FEW


def inbox_hints(org_ids: list[int], *, listings: int = 3) -> list[dict]:
    """For the inbox: the open listings of ``org_ids`` with few proposals (newest first, at
    most ``listings``) and their near misses counted per rule; listings without any are left
    out."""
    if not org_ids:
        return []
    hints = []
    candidates = (
        Listing.objects.open()
        .filter(organization_id__in=org_ids)
        .select_related("unit", "category", "organization")
        .prefetch_related("certifications")
        .order_by("-updated_at")[:20]
    )
    for listing in candidates:
        if len(hints) >= listings:
            break
        if not few_proposals(listing):
            continue
        summary = near_miss_summary(listing)
        if summary:
            hints.append({"listing": listing, "summary": summary})
    return hints
