"""``/api/v1/me/``: the caller and their organizations."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/"


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401
    assert api.patch(URL, {"preferred_language": "en"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("who", "organization"),
    [("supplier", "supplier_org"), ("buyer", "buyer_org"), ("outsider", "outsider_org")],
)
def test_members_see_their_organization_with_its_contacts(api, actors, who, organization):
    body = api.as_user(getattr(actors, who)).get(URL).json()
    org = getattr(actors, organization)
    assert body["is_officer"] is False
    assert [m["role"] for m in body["memberships"]] == ["owner"]
    shown = body["memberships"][0]["organization"]
    assert shown["id"] == org.pk
    assert shown["phone"] == org.phone  # one's own contacts are shown
    assert shown["contacts_visible"] is True


def test_an_officer(api, actors):
    body = api.as_user(actors.officer).get(URL).json()
    assert body["is_officer"] is True
    assert body["memberships"] == []


def test_patch_preferences(api, actors):
    client = api.as_user(actors.buyer)
    response = client.patch(
        URL,
        {"preferred_language": "en", "email_notifications": False, "username": "hacker"},
        format="json",
    )
    assert response.status_code == 200
    actors.buyer.refresh_from_db()
    assert actors.buyer.preferred_language == "en"
    assert actors.buyer.email_notifications is False
    assert actors.buyer.username != "hacker"  # read-only


@pytest.mark.parametrize(
    "body", [{"preferred_language": "fr"}, {"email": "nope"}, {"email_notifications": "maybe"}]
)
def test_patch_refuses_bad_values(api, actors, body):
    response = api.as_user(actors.buyer).patch(URL, body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == set(body)


def test_put_and_delete_are_not_offered(api, actors):
    client = api.as_user(actors.buyer)
    assert client.put(URL, {}, format="json").status_code == 405
    assert client.delete(URL).status_code == 405
