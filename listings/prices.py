"""Is a price plausible for its category and unit? (The posting form asks for a confirmation
when it is not; nothing is refused.)

A typing slip ("95" for 95.000.000 ₫ per tonne) is off by a factor of a thousand or more, so the
test is coarse on purpose: the price per base unit (kg, l, piece) is compared with the median of
the open listings of the same top-level category, and only a price more than ``RATIO`` times
below or above it is questioned. With too few listings to compare, only prices below a floor
that no farm product reaches (``FLOOR`` đồng per base unit) are questioned.
"""

from __future__ import annotations

import statistics
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog.models import ProductCategory, Unit
from core.formatting import format_number, localized_name, unit_name
from listings.models import Listing

RATIO = 20
MIN_SAMPLES = 3
SAMPLE_SIZE = 500
FLOOR = Decimal(20)  # đồng per kg, litre or piece: far below the cheapest produce sold
BASE_NAMES = {
    Unit.Dimension.MASS: "kg",
    Unit.Dimension.VOLUME: "l",
    Unit.Dimension.COUNT: "piece",
}


def typical_price(
    *, category: ProductCategory, unit: Unit, exclude_pk=None
) -> tuple[ProductCategory, Decimal] | None:
    """The median price per base unit of the open listings measured in ``unit``'s dimension
    under the nearest of ``category`` and its ancestors that has ``MIN_SAMPLES`` of them (with
    that category), or None."""
    for node in (category, *category.ancestors()):
        median = _median(node, unit, exclude_pk)
        if median is not None:
            return node, median
    return None


def _median(node: ProductCategory, unit: Unit, exclude_pk) -> Decimal | None:
    rows = (
        Listing.objects.open()
        .filter(category_id__in=node.descendant_ids(), unit__dimension=unit.dimension)
        .exclude(pk=exclude_pk)
        .exclude(price_min__isnull=True, price_max__isnull=True)
        .values_list("price_min", "price_max", "unit__factor")
        .order_by("-updated_at")[:SAMPLE_SIZE]
    )
    per_base = []
    for low, high, factor in rows:
        known = [p for p in (low, high) if p is not None]
        if known and factor:
            per_base.append(Decimal(sum(known)) / len(known) / factor)
    if len(per_base) < MIN_SAMPLES:
        return None
    return Decimal(statistics.median(per_base))


def price_warning(
    *, category: ProductCategory, unit: Unit, prices: list[int | None], exclude_pk=None
) -> str | None:
    """A sentence asking whether the price is right, or None when it looks plausible."""
    given = [p for p in prices if p is not None and p > 0]
    if not given or unit is None or not unit.factor:
        return None
    found = typical_price(category=category, unit=unit, exclude_pk=exclude_pk)
    compared, typical = found if found is not None else (None, None)
    low, high = min(given) / unit.factor, max(given) / unit.factor
    if typical is not None:
        implausible = low * RATIO < typical or high > typical * RATIO
    else:
        implausible = low < FLOOR
    if not implausible:
        return None
    unit_label = unit_name(unit)
    if typical is None:
        return _(
            "A price of %(price)s ₫ per %(unit)s is unusually low. Check the number (Vietnamese "
            "pages write 95.000.000, English pages 95,000,000); if it is right, tick the box."
        ) % {"price": format_number(min(given), 0), "unit": unit_label}
    return _(
        "A price of %(price)s ₫ per %(unit)s is far from what %(category)s usually costs "
        "(about %(typical)s ₫ per %(base)s). Check the number; if it is right, tick the box."
    ) % {
        "price": format_number(min(given) if low * RATIO < typical else max(given), 0),
        "unit": unit_label,
        "category": localized_name(compared),
        "typical": format_number(typical, 0),
        "base": BASE_NAMES.get(unit.dimension, ""),
    }
