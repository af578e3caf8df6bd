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

from django.dispatch import receiver
from django.utils import timezone

from accounts.certificates.signals import certificate_changed
from accounts.models import Certificate
from catalog.models import ProductCategory

# Added to a supply's trust (capped at 1) when its certifications are backed by verified
# certificates: the share of its held schemes that are verified, times this.
VERIFIED_TRUST_BONUS = 0.15
ORG_FILTER_LIMIT = 500


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
    org_ids = {org for _, org, _ in rows}
    certificates = Certificate.objects.verified().filter(
        issued_on__lte=today, valid_until__gte=today
    )
    # A whole market names thousands of organizations: a list that long costs more to send
    # than reading every valid certificate (a much smaller table) and keeping the right ones.
    if len(org_ids) <= ORG_FILTER_LIMIT:
        certificates = certificates.filter(organization_id__in=org_ids)
    certificates = certificates.prefetch_related("categories")
    by_org: dict[int, list[tuple[int, set[int] | None]]] = defaultdict(list)
    below = None
    for certificate in certificates:
        bit = cert_bit.get(certificate.scheme_id)
        if bit is None or certificate.organization_id not in org_ids:
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
    from core.tasks import enqueue_on_commit
    from listings.models import Listing

    supplies = Listing.objects.filter(
        organization_id=certificate.organization_id, side=Listing.Side.SUPPLY
    )
    supplies.update(updated_at=timezone.now())
    for listing_id in supplies.filter(status=Listing.Status.OPEN).values_list("pk", flat=True):
        enqueue_on_commit("matchmaking.tasks.match_listing", listing_id)


REMINDER_DAYS = 30


def withdraw_proposals_relying_on(certificate: Certificate) -> int:
    """Withdraw (through the review service) the pending proposals of the certificate's
    organization whose demand requires its scheme and whose supply has no other proof of it:
    no ticked code, no other verified certificate covering it."""
    from matchmaking.models import Match
    from matchmaking.services import review

    pending = list(
        Match.objects.filter(
            status__in=Match.PENDING_STATUSES,
            origin=Match.Origin.ENGINE,
            supply__organization_id=certificate.organization_id,
            demand__certifications=certificate.scheme_id,
        )
        .exclude(supply__certifications=certificate.scheme_id)
        .select_related("supply")
        .distinct()
    )
    still_proven = verified_scheme_bits(
        ((m.supply_id, certificate.organization_id, m.supply.category_id) for m in pending),
        {certificate.scheme_id: 0},
    )
    withdrawn = 0
    for match in pending:
        if match.supply_id in still_proven:
            continue
        review.match_withdraw(
            match=match,
            reason=f"certificate {certificate.scheme.code} {certificate.number} "
            f"{certificate.state}"[:500],
        )
        withdrawn += 1
    return withdrawn


def expire_and_remind_certificates(*, day=None) -> dict:
    """The daily certificate job: expire what has ended (its proposals are withdrawn by the
    re-match the change triggers) and tell the owner; remind owners 30 days before the end."""
    from accounts.certificates.services import certificates_expire
    from matchmaking.services.notifications import notify_certificate

    day = day or timezone.localdate()
    withdrawn = 0

    def withdraw(certificate: Certificate) -> None:
        nonlocal withdrawn
        withdrawn += withdraw_proposals_relying_on(certificate)

    expired = certificates_expire(day=day, then=withdraw)
    for certificate in expired:
        notify_certificate(certificate, expired=True)
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
        notify_certificate(certificate, expired=False)
        reminded += 1
    return {"expired": len(expired), "withdrawn": withdrawn, "reminded": reminded}


def _month(day: datetime.date) -> tuple[str, str]:
    from core.formatting import EN_MONTHS

    return f"{day.month:02d}/{day.year}", f"{EN_MONTHS[day.month - 1]} {day.year}"


def _loaded(matches, side: str) -> dict:
    """{listing id: listing} of the matches' ``side`` listings loaded with their
    certifications."""
    if not matches:
        return {}
    field = matches[0]._meta.get_field(side)
    out = {}
    for match in matches:
        if field.is_cached(match):
            listing = field.get_cached_value(match)
            if "certifications" in getattr(listing, "_prefetched_objects_cache", {}):
                out[listing.pk] = listing
    return out


def _certifications(listing_ids, loaded: dict) -> dict[int, set[int]]:
    """{listing id: its certification ids}, from ``loaded`` listings where it can."""
    from listings.models import Listing

    out: dict[int, set[int]] = defaultdict(set)
    for pk, listing in loaded.items():
        out[pk] = {c.pk for c in listing.certifications.all()}
    missing = set(listing_ids) - loaded.keys()
    if missing:
        through = Listing.certifications.through.objects.filter(listing_id__in=missing)
        for listing_id, cert_id in through.values_list("listing_id", "certification_id"):
            out[listing_id].add(cert_id)
    return out


def certification_notes(matches) -> dict[int, tuple[str, str]]:
    """{match id: (Vietnamese, English)} saying how the supply meets each certification the
    demand requires: "VietGAP số …, còn hiệu lực đến 03/2027, đã xác minh", or self-declared."""
    from catalog.models import Certification
    from listings.models import Listing

    matches = [m for m in matches if m.pk]
    # A page of matches has its listings and their certifications loaded already
    # (``MatchQuerySet.with_sides``): read from them; anything else is read here.
    required = _certifications([m.demand_id for m in matches], _loaded(matches, "demand"))
    matches = [m for m in matches if required.get(m.demand_id)]
    if not matches:
        return {}
    supplies = _loaded(matches, "supply")
    supply_ids = {m.supply_id for m in matches}
    ticked = _certifications(supply_ids, supplies)
    supply_of = {pk: (s.organization_id, s.category_id) for pk, s in supplies.items()}
    missing = supply_ids - supply_of.keys()
    if missing:
        supply_of.update(
            (pk, (org, category))
            for pk, org, category in Listing.objects.filter(pk__in=missing).values_list(
                "pk", "organization_id", "category_id"
            )
        )
    today = timezone.localdate()
    held: dict[tuple[int, int], list[tuple[Certificate, set[int] | None]]] = defaultdict(list)
    below = None
    for certificate in (
        Certificate.objects.verified()
        .filter(
            organization_id__in={org for org, _ in supply_of.values()},
            issued_on__lte=today,
            valid_until__gte=today,
        )
        .order_by("-valid_until")
        .prefetch_related("categories")
    ):
        category_ids = [c.pk for c in certificate.categories.all()]
        scope = None
        if category_ids:
            below = below if below is not None else _covered_categories()
            scope = set().union(*(below.get(pk, {pk}) for pk in category_ids))
        held[(certificate.organization_id, certificate.scheme_id)].append((certificate, scope))
    names = {c.pk: c for c in Certification.objects.all()}
    out: dict[int, tuple[str, str]] = {}
    for match in matches:
        org, category = supply_of.get(match.supply_id, (None, None))
        parts_vi, parts_en = [], []
        for scheme_id in sorted(required[match.demand_id], key=lambda pk: names[pk].order):
            scheme = names[scheme_id]
            proof = next(
                (
                    c
                    for c, scope in held.get((org, scheme_id), ())
                    if scope is None or category in scope
                ),
                None,
            )
            if proof is not None:
                vi_month, en_month = _month(proof.valid_until)
                parts_vi.append(
                    f"{scheme.name} số {proof.number}, còn hiệu lực đến {vi_month}, đã xác minh"
                )
                parts_en.append(
                    f"{scheme.name_en or scheme.name} no. {proof.number}, valid until "
                    f"{en_month}, verified"
                )
            elif scheme_id in ticked.get(match.supply_id, ()):
                parts_vi.append(f"{scheme.name}: người bán tự khai báo, chưa xác minh")
                parts_en.append(f"{scheme.name_en or scheme.name}: self-declared, not verified")
        if parts_vi:
            out[match.pk] = ("; ".join(parts_vi), "; ".join(parts_en))
    return out
