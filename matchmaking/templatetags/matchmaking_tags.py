"""Template helpers of the match pages, usable from any template with
``{% load matchmaking_tags %}``.

- ``{% unread_notifications_count as unread %}``: the signed-in user's unread notifications
  (the navigation badge; one query per request, cached on the request).
- ``{% listing_match_summary listing as summary %}``: how a listing's proposals went, for its
  owner or an officer, else ``None`` (see ``matchmaking/partials/listing_summary.html``).
- ``{% listing_near_misses listing as misses %}``: for the same viewers, when the listing has few
  proposals, its near misses counted per hard rule (else ``[]``).
- ``{% contacts_open organization as open %}``: whether the viewer may see the organization's
  contacts on a public page (a member, or a connected match with it).
- ``{% explanation_items match as items %}``: the "why this match" factors in the page's
  language.
"""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number, format_range
from matchmaking import selectors
from matchmaking.explanations import explain_page
from matchmaking.services import near_misses, notifications

register = template.Library()

FACTOR_LABELS = {
    "product": _("Product fit"),
    "quantity": _("Quantity"),
    "price": _("Price"),
    "distance": _("Distance"),
    "programme": _("Cooperation programme"),
    "time": _("Timing"),
    "trust": _("Trust"),
    "officer": _("Introduced by an officer"),
}


@register.simple_tag(takes_context=True)
def unread_notifications_count(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if request is not None:
        cached = getattr(request, "_unread_notifications", None)
        if cached is None:
            cached = notifications.unread_count(user)
            request._unread_notifications = cached
        return cached
    return notifications.unread_count(user)


@register.simple_tag(takes_context=True)
def listing_match_summary(context, listing):
    """The summary of a listing's proposals, or None when the viewer may not see it."""
    if not _owner_or_officer(context, listing):
        return None
    return selectors.decline_summary(listing)


@register.simple_tag(takes_context=True)
def contacts_open(context, organization) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return selectors.contacts_open(user, organization)


def _owner_or_officer(context, listing) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if listing is None or user is None or not user.is_authenticated:
        return False
    return getattr(user, "is_officer", False) or listing.organization.has_member(user)


@register.simple_tag(takes_context=True)
def listing_near_misses(context, listing) -> list[dict]:
    """Near misses of an open listing with few proposals, for its members and officers."""
    if listing is None or listing.status != "open" or listing.hidden:
        return []
    if not _owner_or_officer(context, listing):
        return []
    if not near_misses.few_proposals(listing):
        return []
    return near_misses.near_miss_summary(listing)


def prime_explanations(request, matches) -> None:
    """Word the explanations of a page of matches at once (views call this before rendering)."""
    cache = getattr(request, "_explanations", None)
    if cache is None:
        cache = request._explanations = {}
    cache.update(explain_page([m for m in matches if m.pk not in cache]))


@register.simple_tag(takes_context=True)
def explanation_items(context, match) -> list[dict]:
    """Each factor with a label, its value as a percentage and its detail:
    ``{% explanation_items match as items %}``."""
    request = context.get("request")
    cache = getattr(request, "_explanations", None) if request is not None else None
    if cache is None or match.pk not in cache:
        if request is not None:
            prime_explanations(request, [match])
            cache = request._explanations
        else:
            cache = explain_page([match])
    items = []
    for item in cache.get(match.pk, []):
        value = max(0.0, min(1.0, item["value"]))
        items.append(
            {
                **item,
                "label": FACTOR_LABELS.get(item["factor"], item["factor"]),
                "percent": round(value * 100),
            }
        )
    return items


@register.filter
def percent(value) -> int:
    try:
        return round(max(0.0, min(1.0, float(value))) * 100)
    except (TypeError, ValueError):
        return 0


@register.filter
def in_listing_unit(quantity, listing):
    """A base-unit quantity (kg, litre, piece) in the listing's own unit: 20000 kg → 20 tấn."""
    if quantity is None or listing is None:
        return quantity
    factor = Decimal(listing.unit.factor or 1)
    return (Decimal(quantity) / factor).quantize(Decimal("0.001"))


@register.filter
def num(value) -> str:
    """A quantity or a price with the page language's digit grouping: 20.000 / 20,000."""
    try:
        return format_number(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)


@register.filter
def price_range(listing) -> str:
    return format_range(listing.price_min, listing.price_max)


@register.filter
def notification_text(notification) -> str:
    """The notification worded in the page's language."""
    return notifications.render(notification)


@register.filter
def factor_label(code) -> str:
    """A factor's name in the page's language ("price" → "Giá")."""
    return str(FACTOR_LABELS.get(code, code))


DECLINE_REASON_LABELS = {
    "price": _("price"),
    "distance": _("distance or logistics"),
    "quality": _("quality or certification"),
    "quantity": _("quantity"),
    "timing": _("timing"),
}


@register.filter
def decline_reason_label(code) -> str:
    return str(DECLINE_REASON_LABELS.get(code, code))


@register.simple_tag(takes_context=True)
def decline_fields(context, card) -> str:
    """The decline form's fields of a match card. A fresh form is the same on every card but
    for its ids (``id_m<pk>_``), so an inbox page renders its widgets once and reuses them:
    rendering them per card took a quarter of the page's time. A form with input or errors
    is rendered as it is."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe
    from django.utils.translation import get_language

    form = card.get("decline_form")
    if form is None:
        return ""
    request = context.get("request")

    def render(f) -> str:
        return render_to_string(
            "matchmaking/partials/decline_fields.html", {"form": f}, request=request
        )

    if form.is_bound or request is None or not str(form.auto_id).startswith("id_m"):
        return render(form)
    memo = getattr(request, "_decline_fields", None)
    if memo is None:
        memo = request._decline_fields = {}
    key = get_language()
    if key not in memo:
        memo[key] = (form.auto_id.replace("%s", ""), render(form))
    prefix, html = memo[key]
    return mark_safe(html.replace(prefix, form.auto_id.replace("%s", "")))
