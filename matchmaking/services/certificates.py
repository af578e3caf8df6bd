"""What matching needs to know about certificates, fed into the engine's records as data.

A demand that requires a certification is satisfied by a supply that ticks the code
(self-declared) or whose organization holds a verified certificate of that scheme, valid
today, covering the supply's category (a certificate without categories covers them all).
Verified proof also raises the supply's trust, so it ranks above a self-declared one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from accounts.certificates.signals import certificate_changed
from accounts.models import Certificate
from catalog.models import ProductCategory

# Added to a supply's trust (capped at 1) when its certifications are backed by verified
# certificates: the share of its held schemes that are verified, times this.
VERIFIED_TRUST_BONUS = 0.15


def _covered_categories() -> dict[int, set[int]]:
    """Each category's id → itself and every category below it."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in ProductCategory.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    below: dict[int, set[int]] = {}

    def walk(pk: int) -> set[int]:
        if pk not in below:
            found = {pk}
            for child in children.get(pk, ()):
                found |= walk(child)
            below[pk] = found
        return below[pk]

    for pk, _parent in ProductCategory.objects.values_list("pk", "parent_id"):
        walk(pk)
    return below


def verified_scheme_bits(
    listings: Iterable[tuple[int, int, int]], cert_bit: dict[int, int]
) -> dict[int, int]:
    """{listing id: bitmask of schemes proven by verified, valid certificates} for
    ``(listing id, organization id, category id)`` rows of supplies."""
    rows = list(listings)
    if not rows:
        return {}
    today = timezone.localdate()
    certificates = (
        Certificate.objects.verified()
        .filter(
            organization_id__in={org for _, org, _ in rows},
            issued_on__lte=today,
            valid_until__gte=today,
        )
        .prefetch_related("categories")
    )
    by_org: dict[int, list[tuple[int, set[int] | None]]] = defaultdict(list)
    below = None
    for certificate in certificates:
        bit = cert_bit.get(certificate.scheme_id)
        if bit is None:
            continue
        scope = None
        category_ids = [c.pk for c in certificate.categories.all()]
        if category_ids:
            below = below if below is not None else _covered_categories()
            scope = set().union(*(below.get(pk, {pk}) for pk in category_ids))
        by_org[certificate.organization_id].append((bit, scope))
    out: dict[int, int] = {}
    for listing_id, org, category in rows:
        mask = 0
        for bit, scope in by_org.get(org, ()):
            if scope is None or category in scope:
                mask |= 1 << bit
        if mask:
            out[listing_id] = mask
    return out


def verified_trust_bonus(held_mask: int, verified_mask: int) -> float:
    """The trust a supply gains from verified proof of the schemes it holds."""
    held = held_mask | verified_mask
    if not held or not verified_mask:
        return 0.0
    return VERIFIED_TRUST_BONUS * bin(verified_mask & held).count("1") / bin(held).count("1")


@receiver(certificate_changed, dispatch_uid="matchmaking.on_certificate_changed")
def on_certificate_changed(sender, certificate, previous_state, **kwargs):
    """A certificate started or stopped counting: re-match the organization's open supply.

    Marking the listings changed lets the workers' caches and the sweep see it; re-matching
    proposes what the certificate now allows and withdraws pending proposals it no longer
    supports (``match_listing``).
    """
    from listings.models import Listing
    from matchmaking.receivers import enqueue_match_listing

    supplies = Listing.objects.filter(
        organization_id=certificate.organization_id, side=Listing.Side.SUPPLY
    )
    supplies.update(updated_at=timezone.now())
    for listing_id in supplies.filter(status=Listing.Status.OPEN).values_list("pk", flat=True):
        transaction.on_commit(lambda pk=listing_id: enqueue_match_listing(pk))


REMINDER_DAYS = 30


def _describe(certificate: Certificate) -> tuple[str, str]:
    scheme = certificate.scheme
    day = certificate.valid_until
    return (
        f"{scheme.name} số {certificate.number} (hiệu lực đến {day:%d/%m/%Y})",
        f"{scheme.name_en or scheme.name} no. {certificate.number} (valid until {day:%d %b %Y})",
    )


def expire_and_remind_certificates(*, day=None) -> dict:
    """The daily certificate job: expire what has ended (its proposals are withdrawn by the
    re-match the change triggers) and tell the owner; remind owners 30 days before the end."""
    from accounts.certificates.services import certificates_expire
    from matchmaking.models import Notification
    from matchmaking.services.notifications import notify_organization

    day = day or timezone.localdate()
    expired = certificates_expire(day=day)
    for certificate in expired:
        vi, en = _describe(certificate)
        notify_organization(
            organization_id=certificate.organization_id,
            kind=Notification.Kind.EXPIRED,
            match=None,
            message=f"Giấy chứng nhận {vi} đã hết hiệu lực; các đề xuất dựa vào nó được rút lại.",
            message_en=f"Certificate {en} has expired; proposals that relied on it are withdrawn.",
        )
    reminded = 0
    due = Certificate.objects.filter(
        state__in=(Certificate.State.SUBMITTED, Certificate.State.VERIFIED),
        valid_until__gte=day,
        valid_until__lte=day + datetime.timedelta(days=REMINDER_DAYS),
        reminded_at__isnull=True,
    ).select_related("scheme")
    for certificate in due:
        # Claimed with a conditional update: a second run at once sends no second reminder.
        if not Certificate.objects.filter(pk=certificate.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            continue
        vi, en = _describe(certificate)
        notify_organization(
            organization_id=certificate.organization_id,
            kind=Notification.Kind.EXPIRING,
            match=None,
            message=f"Giấy chứng nhận {vi} sắp hết hiệu lực: hãy gia hạn và tải bản mới lên.",
            message_en=f"Certificate {en} expires soon: renew it and upload the new one.",
        )
        reminded += 1
    return {"expired": len(expired), "reminded": reminded}
