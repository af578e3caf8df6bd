"""A member's listing pages (``listings/views/manage.py``): post, edit, quick status changes,
my listings. The rules are the service's: these tests check that the pages follow them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from catalog.models import Product
from core.tests.pages import field_errors, shows
from listings import services
from listings.models import Listing
from listings.tests.factories import coffee_listing, listing_form_data

EN = {"accept-language": "en"}


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

    response = client.post(
        reverse("listings:create"), listing_form_data(reference, actors.supplier_org)
    )

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
    data = listing_form_data(
        reference, actors.buyer_org, side="demand", ocop_stars="5", min_ocop_stars="3"
    )

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
        reverse("listings:create"), listing_form_data(reference, actors.supplier_org, **overrides)
    )

    assert response.status_code == 200
    assert field_errors(response.content.decode(), field), field
    assert not Listing.objects.exists()


def test_cross_field_rules_speak_with_the_models_words(client, reference, actors):
    """The form has no copy of the listing's rules: the words are ``Listing.clean()``'s, the
    same the API answers with."""
    client.force_login(actors.supplier)
    data = listing_form_data(
        reference,
        actors.supplier_org,
        price_min="200000",
        price_max="100000",
        available_from="2030-02-01",
        available_until="2030-01-01",
    )

    html = client.post(reverse("listings:create"), data, headers=EN).content.decode()

    assert "The highest price cannot be below the lowest price." in field_errors(html, "price_max")
    assert "The window must end on or after its start." in field_errors(html, "available_until")


def test_a_product_of_another_category_is_refused(client, reference, actors):
    durian_product = Product.objects.create(
        name="Sầu riêng Ri6 Krông Pắc",
        name_en="Krong Pac Ri6 durian",
        category=reference.durian,
        origin_province=reference.daklak,
    )
    client.force_login(actors.supplier)
    data = listing_form_data(reference, actors.supplier_org, product=durian_product.pk)

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
    data = listing_form_data(
        reference,
        actors.supplier_org,
        available_from=(yesterday - datetime.timedelta(days=9)).isoformat(),
        available_until=yesterday.isoformat(),
    )

    response = client.post(reverse("listings:create"), data, headers=EN)

    assert response.status_code == 200
    assert "past" in field_errors(response.content.decode(), "available_until")
    assert not Listing.objects.exists()


def test_a_draft_that_ends_in_the_past_is_told_what_applies_to_a_draft(client, reference, actors):
    """Issue 10: a draft is not "a listing that is open"."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(actors.supplier)
    data = listing_form_data(
        reference,
        actors.supplier_org,
        status="draft",
        available_from=(yesterday - datetime.timedelta(days=9)).isoformat(),
        available_until=yesterday.isoformat(),
    )

    html = client.post(reverse("listings:create"), data, headers=EN).content.decode()

    errors = field_errors(html, "available_until")
    assert "could never be opened" in errors
    assert "open cannot end" not in errors
    assert not Listing.objects.exists()


def test_cannot_post_for_an_organization_one_does_not_belong_to(client, reference, actors):
    client.force_login(actors.supplier)

    response = client.post(
        reverse("listings:create"), listing_form_data(reference, actors.buyer_org)
    )

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


# --- editing --------------------------------------------------------------------------------


def test_member_edits_a_listing(client, reference, actors, coffee):
    client.force_login(actors.supplier)
    url = reverse("listings:edit", args=[coffee.pk])

    form_html = client.get(url).content.decode()
    assert 'value="Đắk Lắk"' in form_html  # the province box shows its current name
    assert '<option value="tonne" selected>' in form_html

    data = listing_form_data(reference, actors.supplier_org, title="Robusta loại 1", quantity="25")
    response = client.post(url, data)

    coffee.refresh_from_db()
    assert response.status_code == 302
    assert (coffee.title, coffee.quantity) == ("Robusta loại 1", Decimal("25.000"))


def test_the_edit_form_offers_the_moves_of_the_service(client, reference, actors, coffee):
    client.force_login(actors.supplier)
    url = reverse("listings:edit", args=[coffee.pk])

    html = client.get(url).content.decode()
    offered = {s for s in Listing.Status.values if f'name="status" value="{s}"' in html}
    assert offered == {"open", *services.TRANSITIONS["open"]}

    draft = listing_form_data(reference, actors.supplier_org, status="draft")
    response = client.post(url, draft, headers=EN)
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "status")
    coffee.refresh_from_db()
    assert coffee.status == "open"


def test_a_rejected_edit_changes_nothing(client, reference, actors, coffee):
    client.force_login(actors.supplier)
    data = listing_form_data(reference, actors.supplier_org, title="", price_min="9", price_max="1")

    response = client.post(reverse("listings:edit", args=[coffee.pk]), data)

    coffee.refresh_from_db()
    assert response.status_code == 200
    assert coffee.title == "Cà phê Robusta Ea H'leo"


def test_outsiders_cannot_edit(client, reference, actors, coffee):
    draft = coffee_listing(actors.supplier_org, reference, status="draft")
    client.force_login(actors.outsider)

    assert client.get(reverse("listings:edit", args=[coffee.pk])).status_code == 403
    assert client.post(reverse("listings:edit", args=[coffee.pk]), {}).status_code == 403
    assert client.get(reverse("listings:edit", args=[draft.pk])).status_code == 404


def test_officers_may_not_rewrite_a_members_listing(client, reference, actors, coffee):
    """Stricter than before (issue 9): officers close or hide through the page, the admin and
    the API alike; they no longer rewrite a member's listing here."""
    client.force_login(actors.officer)

    page = client.get(reverse("listings:edit", args=[coffee.pk]))
    response = client.post(
        reverse("listings:edit", args=[coffee.pk]),
        listing_form_data(reference, actors.supplier_org, title="Sửa bởi cán bộ"),
    )

    coffee.refresh_from_db()
    assert page.status_code == 403 and response.status_code == 403
    assert coffee.title == "Cà phê Robusta Ea H'leo"


# --- quick status changes -------------------------------------------------------------------


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


def test_the_buttons_are_the_services_moves(client, reference, actors):
    client.force_login(actors.supplier)
    for status in services.TRANSITIONS:
        listing = coffee_listing(actors.supplier_org, reference, title=f"Tin {status}")
        Listing.objects.filter(pk=listing.pk).update(status=status)
    html = client.get(reverse("listings:mine")).content.decode()

    for listing in Listing.objects.all():
        card = html[html.index(f'id="listing-{listing.pk}"') :].split("</article>")[0]
        offered = {s for s in Listing.Status.values if f'name="status" value="{s}"' in card}
        assert offered == set(services.TRANSITIONS[listing.status]), listing.status


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
    draft = coffee_listing(actors.supplier_org, reference, status="draft")
    client.force_login(actors.supplier)

    response = client.post(
        reverse("listings:status", args=[draft.pk]),
        {"status": "paused"},
        headers={"HX-Request": "true", "HX-Target": f"listing-{draft.pk}", **EN},
    )

    draft.refresh_from_db()
    assert draft.status == "draft"
    html = response.content.decode()
    assert 'class="inline-error"' in html
    assert "cannot go from “Draft” to “Paused”" in html


def test_reopening_a_listing_whose_window_ended_shows_the_reason(client, reference, actors):
    today = timezone.localdate()
    old = coffee_listing(
        actors.supplier_org,
        reference,
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


def test_an_officer_closes_a_members_listing_but_does_not_pause_it(client, actors, coffee):
    client.force_login(actors.officer)
    url = reverse("listings:status", args=[coffee.pk])

    refused = client.post(url, {"status": "paused"})
    coffee.refresh_from_db()
    assert refused.status_code == 403 and coffee.status == "open"

    closed = client.post(url, {"status": "closed"})
    coffee.refresh_from_db()
    assert closed.status_code == 302 and coffee.status == "closed"


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


# --- my listings ----------------------------------------------------------------------------


def test_my_listings_shows_all_statuses_of_my_organizations_only(client, reference, actors):
    mine_open = coffee_listing(actors.supplier_org, reference, title="Của tôi mở")
    mine_paused = coffee_listing(actors.supplier_org, reference, title="Của tôi tạm dừng")
    services.listing_set_status(listing=mine_paused, status="paused", by_user=actors.supplier)
    others = coffee_listing(actors.buyer_org, reference, title="Của người khác", side="demand")
    client.force_login(actors.supplier)

    html = client.get(reverse("listings:mine")).content.decode()
    paused_only = client.get(reverse("listings:mine"), {"status": "paused"}).content.decode()

    assert shows(html, mine_open.title) and shows(html, mine_paused.title)
    assert not shows(html, others.title)
    assert shows(paused_only, mine_paused.title) and not shows(paused_only, mine_open.title)
    assert reverse("listings:create") in html
