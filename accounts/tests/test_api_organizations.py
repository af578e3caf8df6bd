"""``/api/v1/organizations/``: who may read, post, change and verify an organization."""

import pytest

from accounts.models import Membership, Organization

pytestmark = pytest.mark.django_db

URL = "/api/v1/organizations/"
EN = {"accept-language": "en"}
WHO = ["supplier", "buyer", "outsider", "anonymous", "officer"]


def _client(api, actors, who):
    return api if who == "anonymous" else api.as_user(getattr(actors, who))


def _body(**overrides):
    body = {
        "name": "HTX Hồ tiêu Chư Sê",
        "kind": "cooperative",
        "province": "Phú Yên",
        "contact_person": "Rơ Châm Hyin",
        "phone": "0269 3812 345",
        "email": "hotieu@example.vn",
        "tax_code": "5900123456",
        "verified": True,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("who", "sees_contacts"),
    [
        ("supplier", True),
        ("buyer", False),
        ("outsider", False),
        ("anonymous", False),
        ("officer", True),
    ],
)
def test_contacts_only_for_members_and_officers(api, actors, who, sees_contacts):
    response = _client(api, actors, who).get(f"{URL}{actors.supplier_org.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "HTX Cà phê Ea Tu"
    assert body["contacts_visible"] is sees_contacts
    assert (body["phone"] == actors.supplier_org.phone) is sees_contacts
    assert (body["email"] == actors.supplier_org.email) is sees_contacts
    listed = {o["id"]: o for o in _client(api, actors, who).get(URL).json()["results"]}
    assert (listed[actors.supplier_org.pk]["phone"] != "") is sees_contacts


@pytest.mark.parametrize("who", WHO)
def test_search_and_ordering_cannot_confirm_hidden_contacts(api, actors, who):
    """The probe recovered a contact person letter by letter through ``?q=`` (finding 2)."""
    org = actors.supplier_org
    org.contact_person = "Y Bhin Niê"
    org.address = "Thôn 3, xã Ea Tu"
    org.save()
    client = _client(api, actors, who)

    def found(**params):
        return [o["id"] for o in client.get(URL, params).json()["results"]]

    assert found(q="ea tu") == [org.pk]  # the name, without accents
    assert found(q="Bhin") == []
    assert found(q="y bhin nie") == []
    assert found(q="Thôn 3") == []
    by_contact = client.get(URL, {"ordering": "contact_person"}).json()["results"]
    assert [o["id"] for o in by_contact] == found()  # ignored: the usual order by name


def test_control_characters_leave_the_name_and_numbers_are_not_text(api, actors):
    client = api.as_user(actors.outsider)
    response = client.post(URL, _body(name="HTX\rHồ tiêu\x01 Chư Sê"), format="json")
    assert response.status_code == 201, response.content
    assert Organization.objects.get(pk=response.json()["id"]).name == "HTX Hồ tiêu Chư Sê"

    response = client.post(URL, _body(name=12345, contact_person=["x"]), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "contact_person"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 201), ("buyer", 201), ("outsider", 201), ("anonymous", 401), ("officer", 201)],
)
def test_posting_makes_the_caller_its_owner(api, actors, who, expected):
    response = _client(api, actors, who).post(URL, _body(), format="json")
    assert response.status_code == expected
    created = Organization.objects.filter(name="HTX Hồ tiêu Chư Sê").first()
    assert (created is not None) is (expected == 201)
    if created:
        assert created.verified is False  # only an officer's verify sets it
        assert created.province.code == "66"  # "Phú Yên" resolved
        membership = Membership.objects.get(organization=created)
        assert (membership.user, membership.role) == (getattr(actors, who), "owner")
        assert response.json()["phone"] == "0269 3812 345"  # the owner sees them


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 200), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 403)],
)
def test_only_members_patch(api, actors, who, expected):
    response = _client(api, actors, who).patch(
        f"{URL}{actors.supplier_org.pk}/", {"contact_person": "Người mới"}, format="json"
    )
    assert response.status_code == expected
    actors.supplier_org.refresh_from_db()
    assert (actors.supplier_org.contact_person == "Người mới") is (expected == 200)


def test_a_member_cannot_verify_by_patch(api, actors):
    response = api.as_user(actors.supplier).patch(
        f"{URL}{actors.supplier_org.pk}/", {"verified": True}, format="json"
    )
    assert response.status_code == 200
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.verified is False


@pytest.mark.parametrize(
    ("who", "expected"),
    [("supplier", 403), ("buyer", 403), ("outsider", 403), ("anonymous", 401), ("officer", 200)],
)
def test_only_officers_verify(api, actors, who, expected):
    response = _client(api, actors, who).post(
        f"{URL}{actors.supplier_org.pk}/verify/", {"verified": True}, format="json"
    )
    assert response.status_code == expected
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.verified is (expected == 200)
    if expected == 200:
        assert response.json()["verified"] is True
        assert actors.supplier_org.verified_by == actors.officer
        undo = api.post(
            f"{URL}{actors.supplier_org.pk}/verify/", {"verified": False}, format="json"
        )
        assert undo.json()["verified"] is False


def test_put_and_delete_are_not_offered(api, actors):
    client = api.as_user(actors.supplier)
    url = f"{URL}{actors.supplier_org.pk}/"
    assert client.put(url, _body(), format="json").status_code == 405
    assert client.delete(url).status_code == 405
    assert Organization.objects.filter(pk=actors.supplier_org.pk).exists()


def test_filters(api, actors):
    def names(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return {o["name"] for o in response.json()["results"]}

    assert names(q="ca phe ea tu") == {"HTX Cà phê Ea Tu"}
    assert names(kind="distributor") == {"Công ty Phân phối Sài Gòn"}
    assert names(province="tp hcm") == {"Công ty Phân phối Sài Gòn"}
    assert names(province="Phu Yen") == {"HTX Cà phê Ea Tu"}
    assert names(verified="true") == set()
    assert len(names(mine="false")) == 3
    assert names(mine="true") == set()  # anonymous: nobody's
    api.as_user(actors.buyer)
    assert names(mine="true") == {"Công ty Phân phối Sài Gòn"}


@pytest.mark.parametrize(
    "params", [{"province": "Kon Tumm"}, {"kind": "pirate"}, {"province": "66\x00"}]
)
def test_bad_filters_answer_400(api, reference, params):
    response = api.get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"province": "Kon Tumm"}, "province"),
        ({"province": 66}, "province"),
        ({"kind": "pirate"}, "kind"),
        ({"tax_code": "123"}, "tax_code"),
        ({"phone": "call me"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"name": "x" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"name": ["HTX"]}, "name"),
        ({"name": "\x00\r\n"}, "name"),  # nothing left once control characters are dropped
        ({"name": 12345}, "name"),
        ({"description": "x" * 4001}, "description"),
    ],
)
def test_bad_input_saves_nothing(api, actors, overrides, field):
    before = Organization.objects.count()
    response = api.as_user(actors.outsider).post(URL, _body(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Organization.objects.count() == before


def test_messages_follow_the_request_language(api, actors):
    client = api.as_user(actors.outsider)
    english = client.post(URL, _body(province="Kon Tumm"), format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["province"] == [
        "Unknown province “Kon Tumm”: use a code from /api/v1/provinces/ or a province name."
    ]
    vietnamese = client.post(URL, _body(tax_code="123"), format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert vietnamese.json()["tax_code"] == [
        "Mã số thuế gồm 10 chữ số, hoặc 13 chữ số với chi nhánh (ví dụ 0301234567-001)."
    ]


def test_a_duplicate_name_in_the_same_province(api, actors):
    body = _body(name=actors.supplier_org.name, province="66")
    response = api.as_user(actors.outsider).post(URL, body, format="json", headers=EN)
    assert response.status_code == 400
    assert response.json() == {  # under the field to change (issue 16, finding 8)
        "name": ["An organization with this name is already registered in this province."]
    }
    assert Organization.objects.filter(name=actors.supplier_org.name).count() == 1


@pytest.mark.parametrize("path", ["abc", "0", "99999999999999999999999"])
def test_odd_ids_are_not_found(api, actors, path):
    assert api.get(f"{URL}{path}/").status_code == 404
    assert api.as_user(actors.officer).post(f"{URL}{path}/verify/", {}).status_code == 404
