"""Who may do what to listings: supplier (member), buyer, outsider, anonymous and officer,
for every listing endpoint."""

import pytest

from listings.models import Listing
from listings.tests.factories import listing_payload, make_listing

pytestmark = pytest.mark.django_db

URL = "/api/v1/listings/"


def _client(api, actors, who):
    return api if who == "anonymous" else api.as_user(getattr(actors, who))


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 201), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 403)],
)
def test_post_only_for_an_organization_one_belongs_to(api, actors, reference, who, expected):
    body = listing_payload(actors.supplier_org)
    response = _client(api, actors, who).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == expected
    assert Listing.objects.count() == (1 if expected == 201 else 0)
    if expected == 403:
        assert "organization you belong to" in response.json()["detail"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 200), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 403)],
)
def test_patch_other_fields(api, actors, listing, who, expected):
    response = _client(api, actors, who).patch(
        f"{URL}{listing.pk}/", {"title": "Đã sửa"}, format="json"
    )
    assert response.status_code == expected
    listing.refresh_from_db()
    assert (listing.title == "Đã sửa") is (expected == 200)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 200), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 200)],
)
def test_patch_status_closed(api, actors, listing, who, expected):
    response = _client(api, actors, who).patch(
        f"{URL}{listing.pk}/", {"status": "closed"}, format="json"
    )
    assert response.status_code == expected
    listing.refresh_from_db()
    assert (listing.status == "closed") is (expected == 200)


def test_an_officer_may_not_reopen_or_pause_someone_elses_listing(api, actors, listing):
    client = api.as_user(actors.officer)
    for body in ({"status": "paused"}, {"status": "closed", "title": "x"}, ["status"]):
        response = client.patch(
            f"{URL}{listing.pk}/", body, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 403, body
        assert "close" in response.json()["detail"]
    listing.refresh_from_db()
    assert listing.status == "open" and listing.title != "x"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 204), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 403)],
)
def test_delete(api, actors, listing, who, expected):
    response = _client(api, actors, who).delete(f"{URL}{listing.pk}/")
    assert response.status_code == expected
    assert Listing.objects.filter(pk=listing.pk).exists() is (expected != 204)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 403), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 200)],
)
def test_hide(api, actors, listing, who, expected):
    response = _client(api, actors, who).post(
        f"{URL}{listing.pk}/hide/", {"hidden": True}, format="json"
    )
    assert response.status_code == expected
    listing.refresh_from_db()
    assert listing.hidden is (expected == 200)
    if expected == 200:
        assert response.json()["hidden"] is True


def test_a_hidden_listing_leaves_public_view_and_comes_back(api, actors, listing):
    officer = api.as_user(actors.officer)
    officer.post(f"{URL}{listing.pk}/hide/", {"hidden": True}, format="json")

    api.force_authenticate(None)
    assert api.get(URL).json()["count"] == 0
    assert api.get(f"{URL}{listing.pk}/").status_code == 404
    # its members still see it, flagged
    member_view = api.as_user(actors.supplier).get(f"{URL}{listing.pk}/").json()
    assert member_view["hidden"] is True

    api.as_user(actors.officer).post(f"{URL}{listing.pk}/hide/", {"hidden": False}, format="json")
    api.force_authenticate(None)
    assert api.get(URL).json()["count"] == 1


@pytest.mark.parametrize("status", ["draft", "paused", "closed", "expired"])
@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("supplier", True),
        ("buyer", False),
        ("outsider", False),
        ("anonymous", False),
        ("officer", True),
    ],
)
def test_non_open_listings_are_seen_by_members_and_officers_only(
    api, actors, listing, status, who, visible
):
    Listing.objects.filter(pk=listing.pk).update(status=status)
    client = _client(api, actors, who)

    detail = client.get(f"{URL}{listing.pk}/")
    assert detail.status_code == (200 if visible else 404)
    ids = [item["id"] for item in client.get(URL).json()["results"]]
    assert (listing.pk in ids) is visible
    if not visible and who != "anonymous":
        # nor can they change what they cannot see
        patch = client.patch(f"{URL}{listing.pk}/", {"status": "closed"}, format="json")
        assert patch.status_code == 404


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider", "anonymous", "officer"])
def test_open_listings_are_read_by_everyone(api, actors, listing, who):
    client = _client(api, actors, who)
    assert client.get(f"{URL}{listing.pk}/").status_code == 200
    assert client.get(URL).json()["count"] == 1


def test_mine_lists_only_the_callers_organizations(api, actors, reference, listing):
    theirs = make_listing(
        organization=actors.buyer_org, reference=reference, side="demand", title="Cần mua"
    )
    mine = api.as_user(actors.buyer).get(URL, {"mine": "true"}).json()
    assert [item["id"] for item in mine["results"]] == [theirs.pk]
    everything = api.get(URL, {"mine": "false"}).json()
    assert everything["count"] == 2
    api.force_authenticate(None)
    assert api.get(URL, {"mine": "true"}).json()["count"] == 0
