"""The public listing pages (``listings/views/browse.py``): browse and search, a listing,
the product look-up and the home page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product, Unit
from core.tests.pages import card_count, shows
from listings.tests.factories import coffee_listing

EN = {"accept-language": "en"}


@pytest.fixture
def durian(reference, actors):
    return coffee_listing(
        actors.outsider_org,
        reference,
        title="Ri6 Krông Pắc",
        category=reference.durian,
        unit=Unit.objects.get(code="kg"),
    )


# --- browse and search ----------------------------------------------------------------------


def test_browse_finds_listings_by_unaccented_words(client, coffee, durian):
    html = client.get(reverse("listings:browse"), {"q": "ca phe robusta"}).content.decode()

    assert shows(html, "Cà phê Robusta Ea H'leo")
    assert not shows(html, "Ri6 Krông Pắc")
    assert card_count(html) == 1


def test_browse_finds_listings_through_english_synonyms(client, coffee, durian):
    html = client.get(reverse("listings:browse"), {"q": "coffee"}).content.decode()

    assert shows(html, coffee.title)
    assert not shows(html, durian.title)


def test_browse_tells_avocado_from_beef_by_their_accents(client, reference, actors):
    avocado = coffee_listing(actors.supplier_org, reference, title="Bơ sáp Đắk Lắk")
    beef = coffee_listing(actors.buyer_org, reference, title="Thịt bò tơ", side="demand")
    unaccented = coffee_listing(actors.outsider_org, reference, title="Trai bo sap 034")
    url = reverse("listings:browse")

    found_bo = client.get(url, {"q": "bơ"}).content.decode()
    found_bo_grave = client.get(url, {"q": "bò"}).content.decode()
    found_plain = client.get(url, {"q": "bo"}).content.decode()

    assert shows(found_bo, avocado.title) and shows(found_bo, unaccented.title)
    assert not shows(found_bo, beef.title)
    assert shows(found_bo_grave, beef.title)
    assert not shows(found_bo_grave, avocado.title) and not shows(found_bo_grave, unaccented.title)
    # Without accents "bo" is either: both are found.
    assert shows(found_plain, avocado.title) and shows(found_plain, beef.title)


def test_browse_category_filter_takes_sub_categories(client, reference, coffee, durian):
    html = client.get(reverse("listings:browse"), {"category": reference.coffee.pk}).content
    html = html.decode()

    assert shows(html, coffee.title)  # robusta is a child of coffee
    assert not shows(html, durian.title)


def test_browse_filters_side_province_region_and_certification(client, reference, actors, coffee):
    demand = coffee_listing(actors.buyer_org, reference, side="demand", title="Cần mua cà phê nhân")
    url = reverse("listings:browse")

    by_side = client.get(url, {"side": "demand"}).content.decode()
    assert shows(by_side, demand.title) and not shows(by_side, coffee.title)

    # A legacy province name filters by the province it now belongs to.
    by_province = client.get(url, {"province": "Phu Yen"}).content.decode()
    assert shows(by_province, coffee.title) and not shows(by_province, demand.title)

    by_region = client.get(url, {"region": reference.hcmc.region_id}).content.decode()
    assert shows(by_region, demand.title) and not shows(by_region, coffee.title)

    by_cert = client.get(url, {"certification": "vietgap"}).content.decode()
    assert shows(by_cert, coffee.title) and not shows(by_cert, demand.title)


def test_browse_ignores_filters_it_cannot_read(client, coffee):
    response = client.get(
        reverse("listings:browse"),
        {"category": "nope", "province": "Atlantis", "region": "x", "page": "abc"},
    )

    assert response.status_code == 200
    assert shows(response.content.decode(), coffee.title)


def test_browse_paginates_by_20(client, reference, actors):
    for n in range(21):
        coffee_listing(actors.supplier_org, reference, title=f"Lô cà phê số {n}")
    url = reverse("listings:browse")

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    assert card_count(first) == 20
    assert card_count(second) == 1
    assert "21" in first and 'rel="next"' in first


def test_browse_answers_htmx_with_the_results_fragment(client, coffee):
    response = client.get(
        reverse("listings:browse"),
        {"q": "robusta"},
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    html = response.content.decode()

    assert html.lstrip().startswith('<section id="results"')
    assert "<html" not in html
    assert shows(html, coffee.title)


# --- a listing: drafts, contacts, actions ---------------------------------------------------


def test_drafts_are_hidden_from_everyone_but_members_and_officers(client, reference, actors):
    draft = coffee_listing(actors.supplier_org, reference, title="Bản nháp bí mật", status="draft")
    detail = reverse("listings:detail", args=[draft.pk])

    assert not shows(client.get(reverse("listings:browse")).content.decode(), draft.title)
    assert client.get(detail).status_code == 404
    client.force_login(actors.outsider)
    assert client.get(detail).status_code == 404
    assert not shows(client.get(reverse("listings:browse")).content.decode(), draft.title)
    assert not shows(client.get(reverse("home")).content.decode(), draft.title)

    client.force_login(actors.supplier)
    response = client.get(detail)
    assert response.status_code == 200
    assert 'class="badge status-draft"' in response.content.decode()
    assert shows(client.get(reverse("listings:mine")).content.decode(), draft.title)

    client.force_login(actors.officer)
    assert client.get(detail).status_code == 200


@pytest.mark.parametrize("viewer", [None, "buyer", "outsider", "officer"])
def test_listing_page_never_shows_contacts_to_non_members(client, actors, coffee, viewer):
    org = actors.supplier_org
    if viewer:
        client.force_login(getattr(actors, viewer))

    html = client.get(reverse("listings:detail", args=[coffee.pk])).content.decode()

    assert org.name in html  # the organization itself is public
    assert org.phone not in html
    assert org.email not in html
    assert org.contact_person not in html


def test_members_see_their_own_contacts(client, actors, coffee):
    client.force_login(actors.supplier)

    html = client.get(reverse("listings:detail", args=[coffee.pk])).content.decode()

    assert actors.supplier_org.phone in html
    assert actors.supplier_org.email in html


def test_the_action_bar_offers_each_viewer_what_the_service_allows(client, actors, coffee):
    url = reverse("listings:detail", args=[coffee.pk])

    client.force_login(actors.supplier)
    member = client.get(url).content.decode()
    client.force_login(actors.officer)
    officer = client.get(url).content.decode()
    client.force_login(actors.buyer)
    buyer = client.get(url).content.decode()

    assert reverse("listings:edit", args=[coffee.pk]) in member
    assert 'value="paused"' in member and 'value="closed"' in member
    # An officer who is not a member may close it, and nothing else.
    assert 'id="listing-actions"' in officer and 'value="closed"' in officer
    assert 'value="paused"' not in officer
    assert reverse("listings:edit", args=[coffee.pk]) not in officer
    assert 'id="listing-actions"' not in buyer


def test_detail_shows_organization_kind_province_and_verified_badge(client, actors, coffee):
    org = actors.supplier_org
    org.verified = True
    org.save()

    html = client.get(reverse("listings:detail", args=[coffee.pk]), headers=EN).content
    html = html.decode()

    assert org.name in html
    assert "Cooperative" in html
    assert "Dak Lak" in html  # the province in the page's language
    assert 'class="badge verified"' in html
    assert 'id="listing-actions"' not in html  # no owner actions for visitors


def test_numbers_are_grouped_in_the_page_language(client, reference, actors):
    listing = coffee_listing(
        actors.supplier_org,
        reference,
        quantity=Decimal("12500.5"),
        unit=Unit.objects.get(code="kg"),
        price_min=95_000,
        price_max=1_100_000,
    )
    url = reverse("listings:detail", args=[listing.pk])

    vietnamese = client.get(url).content.decode()
    english = client.get(url, headers=EN).content.decode()

    assert "12.500,5 kg" in vietnamese and "95.000–1.100.000 ₫/kg" in vietnamese
    assert "12,500.5 kilogram" in english and "95,000–1,100,000 ₫/kilogram" in english


def test_user_text_is_escaped_everywhere(client, reference, actors):
    listing = coffee_listing(
        actors.supplier_org,
        reference,
        title="<script>alert('t')</script>",
        description="<img src=x onerror=alert(1)>",
    )
    client.force_login(actors.supplier)
    pages = [
        reverse("home"),
        reverse("listings:browse"),
        reverse("listings:detail", args=[listing.pk]),
        reverse("listings:mine"),
        reverse("listings:edit", args=[listing.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


# --- look-ups and the home page -------------------------------------------------------------


def test_product_lookup_lists_the_products_of_a_category_tree(client, reference):
    robusta = Product.objects.create(
        name="Cà phê Robusta Buôn Ma Thuột",
        name_en="Buon Ma Thuot robusta",
        category=reference.robusta,
        origin_province=reference.daklak,
    )
    Product.objects.create(
        name="Sầu riêng Ri6",
        name_en="Ri6 durian",
        category=reference.durian,
        origin_province=reference.daklak,
    )

    html = client.get(
        reverse("listings:lookup-products"),
        {"category": reference.coffee.pk, "product": robusta.pk},
    ).content.decode()

    assert f'<option value="{robusta.pk}" selected>' in html
    assert "Sầu riêng" not in html


def test_home_page_counts_and_latest_listings(client, reference, actors, coffee):
    coffee_listing(actors.buyer_org, reference, side="demand", title="Cần mua robusta")
    coffee_listing(actors.buyer_org, reference, side="demand", title="Bản nháp", status="draft")

    response = client.get(reverse("home"))
    html = response.content.decode()
    counts = response.context["counts"]

    assert counts == {"supplies": 1, "demands": 1, "organizations": 3, "provinces": 3}
    assert shows(html, "Cần mua robusta") and not shows(html, "Bản nháp")
    assert "<strong>20 tấn</strong>" in html and "95.000–110.000 ₫/tấn" in html
    assert reverse("api-docs") in html and reverse("admin:index") in html
    assert '<meta name="viewport"' in html


def test_home_page_counts_are_counted_at_most_once_a_minute(
    client, reference, actors, coffee, django_assert_num_queries
):
    from django.core.cache import cache

    from listings.selectors import HOME_COUNTS_KEY, home_counts

    coffee_listing(actors.buyer_org, reference, side="demand", title="Cần mua robusta")
    assert home_counts()["demands"] == 1
    coffee_listing(actors.buyer_org, reference, side="demand", title="Cần mua arabica")
    with django_assert_num_queries(0):
        assert home_counts()["demands"] == 1  # the minute's count
    cache.delete(HOME_COUNTS_KEY)  # a minute later
    assert home_counts()["demands"] == 2
