"""An optional English title and description (``Listing.title_en`` / ``description_en``):
posted through the form and the API, shown to English readers, searched."""

import pytest
from django.urls import reverse

from listings.models import Listing
from listings.tests.factories import coffee_listing, listing_form_data, listing_payload

EN = {"accept-language": "en"}
VI = {"accept-language": "vi"}


@pytest.fixture
def listing(reference, actors):
    return coffee_listing(
        actors.supplier_org,
        reference,
        title="Cà phê nhân xô Ea H'leo",
        description="Hạt xanh sàng 16",
        title_en="Ea H'leo green robusta beans",
        description_en="Screen 16, new crop",
    )


def test_english_readers_see_the_english_title_and_description(client, listing):
    en = client.get(reverse("listings:detail", args=[listing.pk]), headers=EN).content.decode()
    vi = client.get(reverse("listings:detail", args=[listing.pk]), headers=VI).content.decode()

    assert "<h1>Ea H&#x27;leo green robusta beans</h1>" in en and "Screen 16, new crop" in en
    assert "<h1>Cà phê nhân xô Ea H&#x27;leo</h1>" in vi and "Hạt xanh sàng 16" in vi


def test_without_an_english_title_english_readers_see_the_title(client, reference, actors):
    plain = coffee_listing(actors.supplier_org, reference, title="Sầu riêng Ri6")

    html = client.get(reverse("listings:browse"), headers=EN).content.decode()

    assert ">Sầu riêng Ri6<" in html and plain.title_en == ""


def test_the_english_words_are_searched(client, listing):
    html = client.get(reverse("listings:browse"), {"q": "screen 16"}, headers=EN).content.decode()

    assert "Ea H&#x27;leo green robusta beans" in html


def test_the_form_posts_the_english_text(client, reference, actors):
    client.force_login(actors.supplier)
    data = listing_form_data(
        reference, actors.supplier_org, title_en="Robusta, new crop", description_en="Washed"
    )

    client.post(reverse("listings:create"), data)

    listing = Listing.objects.get()
    assert (listing.title_en, listing.description_en) == ("Robusta, new crop", "Washed")


def test_the_api_takes_and_shows_the_english_text(api, reference, actors):
    client = api.as_user(actors.supplier)

    created = client.post(
        "/api/v1/listings/",
        listing_payload(actors.supplier_org, title_en="Green robusta"),
        format="json",
    )
    patched = client.patch(
        f"/api/v1/listings/{created.json()['id']}/",
        {"description_en": "Screen 18"},
        format="json",
    )

    assert created.status_code == 201 and created.json()["title_en"] == "Green robusta"
    assert patched.json()["description_en"] == "Screen 18"
    assert patched.json()["title_en"] == "Green robusta"


def test_an_english_title_too_long_is_a_field_error(api, reference, actors):
    response = api.as_user(actors.supplier).post(
        "/api/v1/listings/",
        listing_payload(actors.supplier_org, title_en="x" * 201),
        format="json",
    )

    assert response.status_code == 400 and list(response.json()) == ["title_en"]
