"""Matching and certificates: a verified certificate satisfies a required certification, ranks
above a self-declared code, and its end withdraws the proposals that relied on it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.certificates import services as certificate_services
from accounts.models import Certificate
from accounts.tests.factories import CertificateFactory
from catalog.models import Unit
from listings import services as listing_services
from listings.models import Listing
from matchmaking.models import Match
from matchmaking.services import certificates, matching

pytestmark = pytest.mark.django_db(transaction=True)


def _listing(actors, reference, side, **extra):
    today = timezone.localdate()
    supply = side == Listing.Side.SUPPLY
    fields = dict(
        title="Cà phê Robusta Ea H'leo" if supply else "Cần mua cà phê nhân VietGAP",
        category=reference.robusta if supply else reference.coffee,
        quantity=Decimal("20") if supply else Decimal("5000"),
        unit=Unit.objects.get(code="tonne" if supply else "kg"),
        province=reference.daklak if supply else reference.hcmc,
        available_from=today,
        available_until=today + datetime.timedelta(days=90),
        price_min=45_000_000 if supply else 40_000,
        price_max=50_000_000 if supply else 52_000,
        status=Listing.Status.OPEN,
        certifications=[] if supply else [reference.vietgap],
    )
    fields.update(extra)
    org = actors.supplier_org if supply else actors.buyer_org
    user = actors.supplier if supply else actors.buyer
    return listing_services.listing_create(organization=org, side=side, by_user=user, **fields)


def test_a_verified_certificate_satisfies_the_required_certification(actors, reference):
    supply = _listing(actors, reference, Listing.Side.SUPPLY)
    demand = _listing(actors, reference, Listing.Side.DEMAND)
    assert not Match.objects.exists()  # the supply ticks no VietGAP

    certificate = CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap)
    certificate.categories.set([reference.coffee])  # robusta sits below coffee
    assert not Match.objects.exists()  # submitted is not proof yet
    certificate_services.certificate_verify(certificate=certificate, by_user=actors.officer)

    match = Match.objects.get()  # the verification re-matched the organization's supply
    assert (match.supply_id, match.demand_id) == (supply.pk, demand.pk)


def test_a_certificate_for_other_products_does_not_count(actors, reference):
    _listing(actors, reference, Listing.Side.SUPPLY)
    demand = _listing(actors, reference, Listing.Side.DEMAND)
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    certificate.categories.set([reference.durian])

    matching.match_listing(listing_id=demand.pk)

    assert not Match.objects.exists()


def test_verified_proof_ranks_above_a_self_declared_code(actors, reference):
    declared = _listing(actors, reference, Listing.Side.SUPPLY, certifications=[reference.vietgap])
    ref = matching.load_reference()
    qs = Listing.objects.filter(pk=declared.pk)
    before = matching.build_table(qs, ref, side=Listing.Side.SUPPLY).trust[0]

    CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap, state="verified")
    after = matching.build_table(qs, ref, side=Listing.Side.SUPPLY).trust[0]

    assert after == pytest.approx(before + 0.15, abs=1e-5)


def test_an_expired_certificate_withdraws_the_proposals_that_relied_on_it(actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    _listing(actors, reference, Listing.Side.SUPPLY)
    _listing(actors, reference, Listing.Side.DEMAND)
    match = Match.objects.get()
    assert match.status == Match.Status.PROPOSED

    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    counts = certificates.expire_and_remind_certificates()

    assert counts["expired"] == 1 and counts["withdrawn"] == 1
    certificate.refresh_from_db()
    assert certificate.state == "expired"
    match.refresh_from_db()
    assert match.status == Match.Status.WITHDRAWN
    # Through the review service: recorded with why, both sides told.
    assert "vietgap" in match.transitions.latest("pk").note
    assert match.notifications.filter(kind="withdrawn").exists()


def test_another_verified_certificate_keeps_the_proposal(actors, reference):
    old = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap, state="verified")
    _listing(actors, reference, Listing.Side.SUPPLY)
    _listing(actors, reference, Listing.Side.DEMAND)
    Certificate.objects.filter(pk=old.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )

    counts = certificates.expire_and_remind_certificates()

    assert counts["expired"] == 1 and counts["withdrawn"] == 0
    assert Match.objects.get().status == Match.Status.PROPOSED


def _verified_vietgap(actors, reference):
    """The supplier's verified VietGAP certificate VG-66-0042, valid to March 2027."""
    return CertificateFactory(
        organization=actors.supplier_org,
        scheme=reference.vietgap,
        number="VG-66-0042",
        state="verified",
        valid_until=datetime.date(2027, 3, 31),
    )


def test_the_explanation_says_which_certificate_and_that_it_is_verified(actors, reference):
    from django.utils import translation

    from matchmaking.explanations import explain_page

    _verified_vietgap(actors, reference)
    _listing(actors, reference, Listing.Side.SUPPLY)
    _listing(actors, reference, Listing.Side.DEMAND, certifications=[reference.vietgap])
    match = Match.objects.get()

    with translation.override("vi"):
        trust_vi = next(i for i in explain_page([match])[match.pk] if i["factor"] == "trust")
    with translation.override("en"):
        trust_en = next(i for i in explain_page([match])[match.pk] if i["factor"] == "trust")

    assert "VietGAP số VG-66-0042, còn hiệu lực đến 03/2027, đã xác minh" in trust_vi["detail"]
    assert "VietGAP no. VG-66-0042, valid until Mar 2027, verified" in trust_en["detail"]


def test_a_ticked_code_is_explained_as_self_declared(actors, reference):
    from django.utils import translation

    from matchmaking.explanations import explain_page

    _listing(actors, reference, Listing.Side.SUPPLY, certifications=[reference.vietgap])
    _listing(actors, reference, Listing.Side.DEMAND)
    match = Match.objects.get()

    with translation.override("en"):
        trust = next(i for i in explain_page([match])[match.pk] if i["factor"] == "trust")

    assert "VietGAP: self-declared, not verified" in trust["detail"]


def test_a_page_s_notes_come_from_its_loaded_listings(actors, reference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchmaking.selectors import matches_queryset

    _verified_vietgap(actors, reference)
    _listing(actors, reference, Listing.Side.SUPPLY, certifications=[reference.vietgap])
    _listing(actors, reference, Listing.Side.DEMAND, certifications=[reference.vietgap])
    bare = list(Match.objects.all())
    page = list(matches_queryset())  # both sides and their certifications loaded

    with CaptureQueriesContext(connection) as queries:
        from_page = certificates.certification_notes(page)
    assert not [q for q in queries if "listings_listing" in q["sql"]]
    assert from_page == certificates.certification_notes(bare)  # read here instead
    assert "VG-66-0042" in from_page[page[0].pk][0]


def test_the_daily_job_expires_tells_the_owner_and_reminds_once(actors, reference):
    from matchmaking.models import Notification
    from matchmaking.services.notifications import render
    from matchmaking.tasks import expire_certificates

    today = timezone.localdate()
    CertificateFactory(
        organization=actors.supplier_org,
        number="VG-OLD",
        state="verified",
        valid_until=today - datetime.timedelta(days=2),
    )
    soon = CertificateFactory(
        organization=actors.supplier_org,
        number="VG-SOON",
        state="verified",
        valid_until=today + datetime.timedelta(days=20),
    )
    CertificateFactory(organization=actors.supplier_org, number="VG-LATER")

    assert expire_certificates.apply().get() == {"expired": 1, "withdrawn": 0, "reminded": 1}
    assert expire_certificates.apply().get() == {"expired": 0, "withdrawn": 0, "reminded": 0}

    notes = Notification.objects.filter(user=actors.supplier).order_by("kind")
    worded = [(n.kind, render(n, "vi"), render(n, "en")) for n in notes]
    assert [(kind, "VG-OLD" in vi, "VG-SOON" in vi) for kind, vi, _ in worded] == [
        ("certificate_expired", True, False),
        ("certificate_expiring", False, True),
    ]
    soon_day = soon.valid_until
    assert f"valid until {soon_day.day:02d} " in worded[1][2]
    assert "renew it" in worded[1][2]
    assert f"{soon_day.day:02d}/{soon_day.month:02d}/{soon_day.year}" in worded[1][1]
    assert "gia hạn" in worded[1][1]
    soon.refresh_from_db()
    assert soon.reminded_at is not None
