"""The listing pages: who sees and changes what, forms, search, escaping."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.tests.factories import UserFactory
from catalog.models import Product, Unit
from listings import services
from listings.models import Listing

EN = {"accept-language": "en"}


def make_listing(reference, organization, **overrides) -> Listing:
    today = timezone.localdate()
    fields = {
        "side": Listing.Side.SUPPLY,
        "title": "Cà phê Robusta Ea H'leo",
        "category": reference.robusta,
        "quantity": Decimal("20"),
        "unit": Unit.objects.get(code="tonne"),
        "province": organization.province,
        "available_from": today,
        "available_until": today + datetime.timedelta(days=60),
        "price_min": 95_000,
        "price_max": 110_000,
        "status": Listing.Status.OPEN,
    }
    fields.update(overrides)
    certifications = fields.pop("certifications", [])
    return services.listing_create(
        organization=organization, certifications=certifications, **fields
    )


def form_data(reference, organization, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "side": "supply",
        "organization": organization.pk,
        "title": "Cà phê Robusta Ea H'leo",
        "description": "Hạt xanh, sàng 16",
        "category": reference.robusta.pk,
        "product": "",
        "quantity": "20",
        "unit": "tonne",
        "min_order_quantity": "2",
        "price_min": "95000",
        "price_max": "110000",
        "province": "Phú Yên",  # a pre-2025 name: resolves to Đắk Lắk
        "available_from": today.isoformat(),
        "available_until": (today + datetime.timedelta(days=60)).isoformat(),
        "certifications": [reference.vietgap.pk],
        "ocop_stars": "4",
        "min_ocop_stars": "",
        "status": "open",
    }
    data.update(overrides)
    return data


def field_errors(html: str, name: str) -> str:
    """The error list rendered inside the field's container, or "" when there is none."""
    match = re.search(
        rf'<div class="field field-{name} has-error[^"]*">.*?<ul class="errorlist" '
        rf'id="id_{name}_error">(.*?)</ul>',
        html,
        re.S,
    )
    return match.group(1) if match else ""


def shows(html: str, title: str) -> bool:
    """Whether a listing title appears in the page as its card or heading would show it."""
    return f">{escape(title)}<" in html


def card_count(html: str) -> int:
    return html.count('class="card listing-card')


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The actors' passwords are hashed once each; a fast hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def coffee(reference, actors):
    return make_listing(reference, actors.supplier_org, certifications=[reference.vietgap])


@pytest.fixture
def durian(reference, actors):
    return make_listing(
        reference,
        actors.outsider_org,
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


def test_browse_category_filter_takes_sub_categories(client, reference, coffee, durian):
    html = client.get(reverse("listings:browse"), {"category": reference.coffee.pk}).content
    html = html.decode()

    assert shows(html, coffee.title)  # robusta is a child of coffee
    assert not shows(html, durian.title)


def test_browse_filters_side_province_region_and_certification(client, reference, actors, coffee):
    demand = make_listing(reference, actors.buyer_org, side="demand", title="Cần mua cà phê nhân")
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
        make_listing(reference, actors.supplier_org, title=f"Lô cà phê số {n}")
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


# --- drafts and contacts --------------------------------------------------------------------


def test_drafts_are_hidden_from_everyone_but_members_and_officers(client, reference, actors):
    draft = make_listing(reference, actors.supplier_org, title="Bản nháp bí mật", status="draft")
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
    listing = make_listing(
        reference,
        actors.supplier_org,
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
    listing = make_listing(
        reference,
        actors.supplier_org,
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


# --- posting --------------------------------------------------------------------------------


def test_posting_requires_login(client):
    response = client.get(reverse("listings:create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_without_organization_is_sent_to_create_one(client, reference):
    client.force_login(UserFactory())

    response = client.get(reverse("listings:create"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:organization-create"))
    assert "next=/listings/new/" in response.url


def test_supplier_posts_a_listing_through_the_service(client, reference, actors):
    client.force_login(actors.supplier)

    response = client.post(reverse("listings:create"), form_data(reference, actors.supplier_org))

    listing = Listing.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("listings:detail", args=[listing.pk])
    assert listing.organization == actors.supplier_org
    assert listing.created_by == actors.supplier
    assert listing.province == reference.daklak  # "Phú Yên" resolved
    assert listing.unit.code == "tonne"
    assert listing.quantity_base == Decimal("20000.000")
    assert listing.ocop_stars == 4
    assert listing.min_ocop_stars is None
    assert [c.code for c in listing.certifications.all()] == ["vietgap"]
    assert listing.status == "open"


def test_demand_drops_the_supply_stars_it_does_not_use(client, reference, actors):
    client.force_login(actors.buyer)
    data = form_data(reference, actors.buyer_org, side="demand", ocop_stars="5", min_ocop_stars="3")

    client.post(reverse("listings:create"), data)

    listing = Listing.objects.get()
    assert (listing.side, listing.ocop_stars, listing.min_ocop_stars) == ("demand", None, 3)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"price_min": "200000", "price_max": "100000"}, "price_max"),
        ({"available_until": "2020-01-01", "available_from": "2020-02-01"}, "available_until"),
        ({"province": "Atlantis"}, "province"),
        ({"quantity": "-5"}, "quantity"),
        ({"min_order_quantity": "50"}, "min_order_quantity"),
        ({"unit": "barrel"}, "unit"),
        ({"category": ""}, "category"),
    ],
)
def test_form_errors_show_next_to_their_field_and_nothing_is_saved(
    client, reference, actors, overrides, field
):
    client.force_login(actors.supplier)

    response = client.post(
        reverse("listings:create"), form_data(reference, actors.supplier_org, **overrides)
    )

    assert response.status_code == 200
    assert field_errors(response.content.decode(), field), field
    assert not Listing.objects.exists()


def test_a_product_of_another_category_is_refused(client, reference, actors):
    durian_product = Product.objects.create(
        name="Sầu riêng Ri6 Krông Pắc",
        name_en="Krong Pac Ri6 durian",
        category=reference.durian,
        origin_province=reference.daklak,
    )
    client.force_login(actors.supplier)
    data = form_data(reference, actors.supplier_org, product=durian_product.pk)

    response = client.post(reverse("listings:create"), data)

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "product")
    assert not Listing.objects.exists()


def test_service_errors_land_on_their_fields_or_above_the_form(reference, actors):
    from django.core.exceptions import ValidationError

    from core.forms import apply_service_errors
    from listings.forms import ListingForm

    form = ListingForm(data={}, user=actors.supplier)
    form.is_valid()
    form.errors.clear()
    apply_service_errors(
        form,
        ValidationError(
            {"title": ["Too vague."], "__all__": ["Window wrong."], "quantity_base": ["Big."]}
        ),
    )

    assert form.errors["title"] == ["Too vague."]
    assert form.non_field_errors() == ["Window wrong.", "Big."]


def test_service_rules_are_mapped_onto_fields(client, reference, actors):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(actors.supplier)
    # An open listing whose window is already over: the service refuses it.
    data = form_data(
        reference,
        actors.supplier_org,
        available_from=(yesterday - datetime.timedelta(days=9)).isoformat(),
        available_until=yesterday.isoformat(),
    )

    response = client.post(reverse("listings:create"), data, headers=EN)

    assert response.status_code == 200
    assert "past" in field_errors(response.content.decode(), "available_until")
    assert not Listing.objects.exists()


def test_cannot_post_for_an_organization_one_does_not_belong_to(client, reference, actors):
    client.force_login(actors.supplier)

    response = client.post(reverse("listings:create"), form_data(reference, actors.buyer_org))

    assert response.status_code == 200
    assert field_errors(response.content.decode(), "organization")
    assert not Listing.objects.exists()


def test_the_form_offers_only_the_users_organizations(client, reference, actors):
    client.force_login(actors.supplier)

    html = client.get(reverse("listings:create")).content.decode()

    assert actors.supplier_org.name in html
    assert actors.buyer_org.name not in html


def test_units_and_categories_are_named_in_the_page_language(client, reference, actors):
    client.force_login(actors.supplier)
    url = reverse("listings:create")

    vietnamese = client.get(url).content.decode()
    english = client.get(url, headers=EN).content.decode()

    assert '<option value="tonne">tấn</option>' in vietnamese
    assert '<option value="ta">tạ</option>' in vietnamese
    assert '<option value="l">lít</option>' in vietnamese
    assert '<optgroup label="Nông sản">' in vietnamese
    assert '<option value="tonne">tonne</option>' in english
    assert '<optgroup label="Agricultural products">' in english
    assert "Robusta coffee" in english


# --- editing and quick status changes -------------------------------------------------------


def test_member_edits_a_listing(client, reference, actors, coffee):
    client.force_login(actors.supplier)
    url = reverse("listings:edit", args=[coffee.pk])

    form_html = client.get(url).content.decode()
    assert 'value="Đắk Lắk"' in form_html  # the province box shows its current name
    assert '<option value="tonne" selected>' in form_html

    data = form_data(reference, actors.supplier_org, title="Robusta loại 1", quantity="25")
    response = client.post(url, data)

    coffee.refresh_from_db()
    assert response.status_code == 302
    assert (coffee.title, coffee.quantity) == ("Robusta loại 1", Decimal("25.000"))


def test_a_rejected_edit_changes_nothing(client, reference, actors, coffee):
    client.force_login(actors.supplier)
    data = form_data(reference, actors.supplier_org, title="", price_min="9", price_max="1")

    response = client.post(reverse("listings:edit", args=[coffee.pk]), data)

    coffee.refresh_from_db()
    assert response.status_code == 200
    assert coffee.title == "Cà phê Robusta Ea H'leo"


def test_outsiders_cannot_edit(client, reference, actors, coffee):
    draft = make_listing(reference, actors.supplier_org, status="draft")
    client.force_login(actors.outsider)

    assert client.get(reverse("listings:edit", args=[coffee.pk])).status_code == 403
    assert client.post(reverse("listings:edit", args=[coffee.pk]), {}).status_code == 403
    assert client.get(reverse("listings:edit", args=[draft.pk])).status_code == 404


def test_officers_may_edit(client, reference, actors, coffee):
    client.force_login(actors.officer)

    response = client.post(
        reverse("listings:edit", args=[coffee.pk]),
        form_data(reference, actors.supplier_org, title="Sửa bởi cán bộ"),
    )

    coffee.refresh_from_db()
    assert response.status_code == 302
    assert coffee.title == "Sửa bởi cán bộ"


def test_owner_pauses_closes_and_reopens_with_htmx(client, actors, coffee):
    client.force_login(actors.supplier)
    url = reverse("listings:status", args=[coffee.pk])
    htmx = {"HX-Request": "true", "HX-Target": f"listing-{coffee.pk}"}

    paused = client.post(url, {"status": "paused"}, headers=htmx).content.decode()
    coffee.refresh_from_db()
    assert coffee.status == "paused"
    assert paused.lstrip().startswith(f'<article id="listing-{coffee.pk}"')
    assert 'data-status="paused"' in paused
    assert "<html" not in paused

    client.post(url, {"status": "open"}, headers=htmx)
    coffee.refresh_from_db()
    assert coffee.status == "open"

    closed = client.post(url, {"status": "closed"}, headers=htmx).content.decode()
    coffee.refresh_from_db()
    assert coffee.status == "closed"
    assert 'value="open"' in closed  # "Reopen" is offered next


def test_detail_action_bar_is_swapped_on_its_own(client, actors, coffee):
    client.force_login(actors.supplier)
    htmx = {"HX-Request": "true", "HX-Target": "listing-actions"}

    html = client.post(
        reverse("listings:status", args=[coffee.pk]), {"status": "paused"}, headers=htmx
    ).content.decode()

    assert html.lstrip().startswith('<div id="listing-actions"')


def test_status_change_without_javascript_redirects(client, actors, coffee):
    client.force_login(actors.supplier)

    response = client.post(reverse("listings:status", args=[coffee.pk]), {"status": "closed"})

    coffee.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("listings:mine")
    assert coffee.status == "closed"


def test_a_status_the_listing_cannot_take_is_refused(client, reference, actors):
    draft = make_listing(reference, actors.supplier_org, status="draft")
    client.force_login(actors.supplier)

    response = client.post(
        reverse("listings:status", args=[draft.pk]),
        {"status": "paused"},
        headers={"HX-Request": "true", "HX-Target": f"listing-{draft.pk}"},
    )

    draft.refresh_from_db()
    assert draft.status == "draft"
    assert 'class="inline-error"' in response.content.decode()


def test_reopening_a_listing_whose_window_ended_shows_the_reason(client, reference, actors):
    today = timezone.localdate()
    old = make_listing(
        reference,
        actors.supplier_org,
        status="closed",
        available_from=today - datetime.timedelta(days=30),
        available_until=today - datetime.timedelta(days=1),
    )
    client.force_login(actors.supplier)

    response = client.post(
        reverse("listings:status", args=[old.pk]),
        {"status": "open"},
        headers={"HX-Request": "true", "HX-Target": f"listing-{old.pk}", **EN},
    )

    old.refresh_from_db()
    assert old.status == "closed"
    assert "past" in response.content.decode()


@pytest.mark.parametrize("viewer", ["outsider", "buyer"])
def test_others_cannot_change_the_status(client, actors, coffee, viewer):
    client.force_login(getattr(actors, viewer))

    response = client.post(reverse("listings:status", args=[coffee.pk]), {"status": "closed"})

    coffee.refresh_from_db()
    assert response.status_code == 403
    assert coffee.status == "open"


def test_anonymous_status_change_goes_to_login(client, coffee):
    response = client.post(reverse("listings:status", args=[coffee.pk]), {"status": "closed"})

    coffee.refresh_from_db()
    assert response.status_code == 302 and coffee.status == "open"


def test_status_change_needs_post(client, actors, coffee):
    client.force_login(actors.supplier)

    assert client.get(reverse("listings:status", args=[coffee.pk])).status_code == 405


def test_my_listings_shows_all_statuses_of_my_organizations_only(client, reference, actors):
    mine_open = make_listing(reference, actors.supplier_org, title="Của tôi mở")
    mine_paused = make_listing(reference, actors.supplier_org, title="Của tôi tạm dừng")
    services.listing_set_status(listing=mine_paused, status="paused")
    others = make_listing(reference, actors.buyer_org, title="Của người khác", side="demand")
    client.force_login(actors.supplier)

    html = client.get(reverse("listings:mine")).content.decode()
    paused_only = client.get(reverse("listings:mine"), {"status": "paused"}).content.decode()

    assert shows(html, mine_open.title) and shows(html, mine_paused.title)
    assert not shows(html, others.title)
    assert shows(paused_only, mine_paused.title) and not shows(paused_only, mine_open.title)
    assert reverse("listings:create") in html


# --- look-ups and the home page -------------------------------------------------------------


def test_province_lookup_finds_legacy_and_unaccented_names(client, reference):
    url = reverse("accounts:lookup-provinces")

    legacy = client.get(url, {"q": "phu yen"}).content.decode()
    spelling = client.get(url, {"field": "province", "province": "tp hcm"}).content.decode()
    current = client.get(url, {"q": "lam dong"}).content.decode()
    too_short = client.get(url, {"q": "d"}).content.decode()

    assert "Phú Yên → Đắk Lắk" in legacy
    assert 'data-value="Đắk Lắk"' in legacy
    assert 'data-value="Hồ Chí Minh"' in spelling and "TP HCM →" in spelling
    assert 'data-value="Lâm Đồng"' in current and "→" not in current
    assert "suggestion" not in too_short


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
    make_listing(reference, actors.buyer_org, side="demand", title="Cần mua robusta")
    make_listing(reference, actors.buyer_org, side="demand", title="Bản nháp", status="draft")

    response = client.get(reverse("home"))
    html = response.content.decode()
    counts = response.context["counts"]

    assert counts == {"supplies": 1, "demands": 1, "organizations": 3, "provinces": 3}
    assert shows(html, "Cần mua robusta") and not shows(html, "Bản nháp")
    assert "<strong>20 tấn</strong>" in html and "95.000–110.000 ₫/tấn" in html
    assert reverse("api-docs") in html and reverse("admin:index") in html
    assert '<meta name="viewport"' in html
