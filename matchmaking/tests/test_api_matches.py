"""GET/POST /api/v1/matches/…: the review flow, privacy and the permission matrix."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from matchmaking.models import Match, MatchTransition
from matchmaking.services import review
from matchmaking.tests.factories import (
    _fast_password_hasher,  # noqa: F401 - autouse fixture
    demand_listing,
    supply_and_demand_match,
    supply_listing,
)

pytestmark = pytest.mark.django_db
S = Match.Status
CONTACT_FIELDS = {"contact_person", "phone", "email", "address", "website", "tax_code"}


@pytest.fixture
def match(actors, reference):
    actors.supplier_org.address = "Buôn Ma Thuột, Đắk Lắk"
    actors.supplier_org.save()
    actors.buyer_org.address = "Quận 7, TP. Hồ Chí Minh"
    actors.buyer_org.save()
    return supply_and_demand_match(actors, reference)


def client_for(user, language="en"):
    """Messages are asserted in English; the default language (Vietnamese) is tested apart."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user=user)
    return client


def url(match, action=""):
    return f"/api/v1/matches/{match.pk}/" + (f"{action}/" if action else "")


def test_whole_flow_contacts_open_only_once_connected(actors, reference):
    actors.buyer_org.phone = "028 3822 1111"
    actors.buyer_org.save()
    supply = supply_listing(actors, reference)
    demand = demand_listing(actors, reference)
    match = supply_and_demand_match(actors, reference, supply=supply, demand=demand)
    supplier, buyer = client_for(actors.supplier), client_for(actors.buyer)

    seen_by_supplier = supplier.get(url(match)).json()
    seen_by_buyer = buyer.get(url(match)).json()
    assert seen_by_supplier["status"] == seen_by_buyer["status"] == "proposed"
    assert seen_by_supplier["my_side"] == "supply" and seen_by_buyer["my_side"] == "demand"
    # Each side sees the other's organization, never its contacts.
    assert seen_by_supplier["demand_contact"] is None
    assert seen_by_buyer["supply_contact"] is None
    assert seen_by_supplier["demand"]["organization"] == {
        "id": actors.buyer_org.pk,
        "name": "Công ty Phân phối Sài Gòn",
        "kind": "distributor",
        "province": "79",
        "province_name": "Hồ Chí Minh",
        "verified": False,
    }
    assert not CONTACT_FIELDS & set(seen_by_buyer["supply"]["organization"])
    assert "0262" not in str(seen_by_buyer) and actors.supplier_org.email not in str(seen_by_buyer)
    assert "028 3822" not in str(seen_by_supplier)

    response = supplier.post(url(match, "accept"))
    assert response.status_code == 200
    assert response.json()["status"] == "accepted_by_supply"
    assert response.json()["demand_contact"] is None
    assert buyer.get(url(match)).json()["supply_contact"] is None

    response = buyer.post(url(match, "accept"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "connected" and body["connected_at"]
    assert body["supply_contact"] == {
        "contact_person": "Nguyễn Văn A",
        "phone": "0262 3812 345",
        "email": actors.supplier_org.email,
        "address": "",
        "website": "",
        "tax_code": "",
    }
    seen_by_supplier = supplier.get(url(match)).json()
    assert seen_by_supplier["demand_contact"]["email"] == actors.buyer_org.email
    assert seen_by_supplier["demand_contact"]["phone"] == "028 3822 1111"
    history = supplier.get(url(match, "history")).json()
    assert [(h["from_status"], h["to_status"], h["side"]) for h in history] == [
        ("proposed", "accepted_by_supply", "supply"),
        ("accepted_by_supply", "connected", "demand"),
    ]
    # The supplier sees their own name in the trail, not the buyer's user.
    assert [h["by"] for h in history] == [actors.supplier.username, None]


def test_match_body_shape_and_explanation(match, actors):
    body = client_for(actors.supplier, language="vi").get(url(match)).json()
    assert set(body) == {
        "id", "supply", "demand", "score", "explanation", "suggested_quantity",
        "suggested_unit", "status", "origin", "my_side", "decline_reason", "decline_note",
        "declined_by", "respond_by", "supply_accepted_at", "demand_accepted_at",
        "connected_at", "created_at", "updated_at", "supply_contact", "demand_contact",
    }  # fmt: skip
    assert body["supply"]["title"] == "Cà phê Robusta nhân xô Ea Tu"
    assert body["supply"]["province"] == "66" and body["supply"]["unit"] == "tonne"
    assert body["suggested_quantity"] == "15000.000" and body["suggested_unit"] == "kg"
    factors = [item["factor"] for item in body["explanation"]]
    assert factors == ["product", "quantity", "price", "distance", "programme", "time", "trust"]
    product = body["explanation"][0]
    assert product["value"] == 0.85
    assert product["detail"].startswith("Cùng loại hàng: Cà phê Robusta")
    assert round(sum(item["weight"] for item in body["explanation"]), 3) == 1.0

    english = client_for(actors.supplier).get(url(match)).json()
    assert english["explanation"][0]["detail"].startswith("Same category: Robusta coffee")
    assert english["explanation"][3]["detail"].startswith("About ")


def test_officer_written_explanation_is_served_in_the_request_language(match, actors):
    from matchmaking.tests.factories import sample_explanation

    Match.objects.filter(pk=match.pk).update(explanation=sample_explanation(), factors=[])
    vi = client_for(actors.buyer, language="vi").get(url(match)).json()["explanation"]
    en = client_for(actors.buyer).get(url(match)).json()["explanation"]
    assert vi[1] == {
        "factor": "quantity",
        "value": 0.8,
        "weight": 0.15,
        "detail": "Đáp ứng 80% số lượng cần mua",
    }
    assert en[1]["detail"] == "Covers 80% of the quantity wanted"


# --- the permission matrix --------------------------------------------------------------------

LIST_EXPECTED = {"supplier": 1, "buyer": 1, "outsider": 0, "officer": 1}


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider", "officer", "anonymous"])
def test_list(who, match, actors):
    response = client_for(getattr(actors, who, None)).get("/api/v1/matches/")
    if who == "anonymous":
        assert response.status_code == 401
        assert response.json() == {"detail": "Authentication credentials were not provided."}
        return
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == LIST_EXPECTED[who]
    assert [m["id"] for m in body["results"]] == [match.pk] * LIST_EXPECTED[who]


@pytest.mark.parametrize(
    "who,status,my_side",
    [
        ("supplier", 200, "supply"),
        ("buyer", 200, "demand"),
        ("outsider", 404, None),
        ("officer", 200, None),
        ("anonymous", 401, None),
    ],
)
def test_detail(who, status, my_side, match, actors):
    response = client_for(getattr(actors, who, None)).get(url(match))
    assert response.status_code == status
    body = response.json()
    if status == 200:
        assert body["id"] == match.pk and body["my_side"] == my_side
        if who == "officer":  # officers see everything, contacts included
            assert body["supply_contact"]["phone"] and body["demand_contact"]["phone"]
    elif status == 404:
        assert body == {"detail": "No Match matches the given query."} or "detail" in body
        assert "supply" not in body
    else:
        assert "supply" not in body


@pytest.mark.parametrize(
    "who,status,outcome",
    [
        ("supplier", 200, "accepted_by_supply"),
        ("buyer", 200, "accepted_by_demand"),
        ("outsider", 404, None),
        ("officer", 400, None),  # an officer must name the side they act for
        ("anonymous", 401, None),
    ],
)
def test_accept(who, status, outcome, match, actors):
    response = client_for(getattr(actors, who, None)).post(url(match, "accept"), {})
    assert response.status_code == status
    match.refresh_from_db()
    if outcome:
        assert response.json()["status"] == outcome == match.status
    else:
        assert match.status == S.PROPOSED
        assert not match.transitions.exists()
    if who == "officer":
        assert response.json() == {
            "side": ["As an officer, say which side you act for: supply or demand."]
        }


@pytest.mark.parametrize(
    "who,status",
    [("supplier", 200), ("buyer", 200), ("outsider", 404), ("officer", 400), ("anonymous", 401)],
)
def test_decline(who, status, match, actors):
    response = client_for(getattr(actors, who, None)).post(
        url(match, "decline"), {"reason": "price", "note": "Giá cao quá"}
    )
    assert response.status_code == status
    match.refresh_from_db()
    if status == 200:
        body = response.json()
        assert body["status"] == "declined" == match.status
        assert body["decline_reason"] == "price" and body["decline_note"] == "Giá cao quá"
        assert body["declined_by"] == ("supply" if who == "supplier" else "demand")
    else:
        assert match.status == S.PROPOSED


def test_officer_acting_for_a_side_is_recorded(match, actors):
    officer = client_for(actors.officer)
    response = officer.post(url(match, "accept"), {"side": "supply"})
    assert response.status_code == 200
    assert response.json()["status"] == "accepted_by_supply"
    response = officer.post(url(match, "decline"), {"side": "demand", "reason": "timing"})
    assert response.status_code == 200
    assert response.json()["declined_by"] == "demand"
    trail = MatchTransition.objects.filter(match=match).order_by("pk")
    assert [(t.side, t.as_officer, t.by_user_id) for t in trail] == [
        ("supply", True, actors.officer.pk),
        ("demand", True, actors.officer.pk),
    ]
    history = officer.get(url(match, "history")).json()
    assert [h["as_officer"] for h in history] == [True, True]
    assert history[0]["by"] == "officer"


def test_a_member_cannot_answer_for_the_other_side(match, actors):
    response = client_for(actors.supplier).post(url(match, "accept"), {"side": "demand"})
    assert response.status_code == 403
    assert "detail" in response.json()
    match.refresh_from_db()
    assert match.status == S.PROPOSED


# --- illegal transitions ----------------------------------------------------------------------


def test_accept_after_decline_is_409(match, actors):
    client_for(actors.buyer).post(url(match, "decline"), {"reason": "quantity"})
    response = client_for(actors.supplier).post(url(match, "accept"))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A match that is “Declined” can no longer be accepted.",
        "code": "illegal_transition",
    }


def test_decline_after_connected_is_409(match, actors):
    client_for(actors.supplier).post(url(match, "accept"))
    client_for(actors.buyer).post(url(match, "accept"))
    response = client_for(actors.buyer).post(url(match, "decline"), {"reason": "price"})
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert response.json()["detail"] == "A match that is “Connected” can no longer be declined."


def test_double_accept_by_the_same_side_is_409(match, actors):
    assert client_for(actors.supplier).post(url(match, "accept")).status_code == 200
    response = client_for(actors.supplier).post(url(match, "accept"))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This side has already accepted; waiting for the other side."
    )
    assert MatchTransition.objects.filter(match=match).count() == 1


def test_decline_validation(match, actors):
    buyer = client_for(actors.buyer)
    response = buyer.post(url(match, "decline"), {})
    assert response.status_code == 400
    assert response.json() == {"reason": ["This field is required."]}
    response = buyer.post(url(match, "decline"), {"reason": "too-far", "note": "x"})
    assert response.status_code == 400
    assert response.json() == {"reason": ['"too-far" is not a valid choice.']}
    response = buyer.post(url(match, "decline"), {"reason": "price", "note": "x" * 1001})
    assert response.status_code == 400 and "note" in response.json()
    match.refresh_from_db()
    assert match.status == S.PROPOSED


# --- filters and visibility -------------------------------------------------------------------


def test_filters_by_listing_and_status(actors, reference):
    supply = supply_listing(actors, reference)
    first = supply_and_demand_match(actors, reference, supply=supply)
    second = supply_and_demand_match(
        actors, reference, supply=supply, demand=demand_listing(actors, reference), score=0.9
    )
    other = supply_and_demand_match(actors, reference)
    review.match_decline(match=first, by_user=actors.buyer, reason="price")
    client = client_for(actors.supplier)

    body = client.get("/api/v1/matches/", {"listing": supply.pk}).json()
    assert [m["id"] for m in body["results"]] == [second.pk, first.pk]  # best score first
    body = client.get("/api/v1/matches/", {"status": "proposed"}).json()
    assert {m["id"] for m in body["results"]} == {second.pk, other.pk}
    body = client.get("/api/v1/matches/", {"status": "declined,connected"}).json()
    assert [m["id"] for m in body["results"]] == [first.pk]

    response = client.get("/api/v1/matches/", {"status": "maybe"})
    assert response.status_code == 400
    assert response.json()["status"][0].startswith("Unknown status: maybe.")
    response = client.get("/api/v1/matches/", {"listing": "abc"})
    assert response.status_code == 400
    assert response.json() == {"listing": ["Enter a listing id (a whole number)."]}


def test_hidden_matches_are_404_for_members_and_visible_to_officers(match, actors):
    review.match_hide(match=match, by_user=actors.officer)
    assert client_for(actors.supplier).get(url(match)).status_code == 404
    assert client_for(actors.supplier).post(url(match, "accept")).status_code == 404
    assert client_for(actors.supplier).get("/api/v1/matches/").json()["count"] == 0
    assert client_for(actors.officer).get(url(match)).status_code == 200


def test_list_query_count_does_not_grow_with_matches(
    actors, reference, django_assert_max_num_queries
):
    supply = supply_listing(actors, reference)
    for i in range(12):
        supply_and_demand_match(
            actors,
            reference,
            supply=supply,
            demand=demand_listing(actors, reference, title=f"D{i}"),
        )
    client = client_for(actors.supplier)
    # Constant: the page's explanations are worded in one batch (~14 queries of reference data).
    with django_assert_max_num_queries(28):
        body = client.get("/api/v1/matches/").json()
    assert body["count"] == 12


def test_listings_posted_through_the_api_are_matched_then_reviewed(
    actors, reference, django_capture_on_commit_callbacks, mailoutbox
):
    """End to end with the real matching: nobody starts a run, the proposal simply appears."""
    from listings.tests.factories import listing_payload

    supplier, buyer = client_for(actors.supplier), client_for(actors.buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = supplier.post(
            "/api/v1/listings/", listing_payload(actors.supplier_org), format="json"
        )
        assert response.status_code == 201, response.json()
    with django_capture_on_commit_callbacks(execute=True):
        response = buyer.post(
            "/api/v1/listings/",
            listing_payload(
                actors.buyer_org, side="demand", title="Cần mua cà phê Robusta", province="79",
                quantity="10", certifications=[],
            ),
            format="json",
        )  # fmt: skip
        assert response.status_code == 201, response.json()

    proposals = supplier.get("/api/v1/matches/").json()
    assert proposals["count"] == 1
    match_id = proposals["results"][0]["id"]
    assert buyer.get("/api/v1/matches/").json()["results"][0]["id"] == match_id
    assert proposals["results"][0]["demand_contact"] is None
    assert {m.to[0] for m in mailoutbox} == {actors.supplier.email, actors.buyer.email}

    with django_capture_on_commit_callbacks(execute=True):
        supplier.post(f"/api/v1/matches/{match_id}/accept/")
    with django_capture_on_commit_callbacks(execute=True):
        body = buyer.post(f"/api/v1/matches/{match_id}/accept/").json()
    assert body["status"] == "connected"
    assert body["supply_contact"]["email"] == actors.supplier_org.email
    assert "Connected — contacts are open (1):" in mailoutbox[-1].body


def test_explanation_falls_back_to_the_stored_values(match, actors, monkeypatch):
    """Should the engine's findings fail, the page still shows every factor's value and
    weight; there is no second wording to fall back on (one wording: explanations.py)."""
    from matchmaking import explanations

    def broken(*args, **kwargs):
        raise KeyError("listing not in the table")

    monkeypatch.setattr(explanations, "explain_matches", broken)
    body = client_for(actors.supplier).get(url(match)).json()
    assert body["explanation"][0] == {
        "factor": "product", "value": 0.85, "weight": 0.3, "detail": "",
    }  # fmt: skip
    assert [i["factor"] for i in body["explanation"]][-1] == "trust"


def test_the_schema_of_the_match_endpoints(tmp_path):
    import yaml
    from django.core.management import call_command

    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--file", str(path))
    schema = yaml.safe_load(path.read_text())
    schemas, paths = schema["components"]["schemas"], schema["paths"]
    match = schemas["Match"]["properties"]
    assert match["status"]["allOf"][0]["enum"] == list(Match.Status.values)
    assert match["supply_contact"]["allOf"][0]["$ref"].endswith("/Contact")
    assert match["supply_contact"]["nullable"] is True
    assert match["explanation"]["items"]["$ref"].endswith("/ExplanationItem")
    assert set(schemas["ExplanationItem"]["properties"]) == {"factor", "value", "weight", "detail"}
    listing = schemas["ListingSummary"]["properties"]
    assert listing["organization"]["allOf"][0]["$ref"].endswith("/OrganizationSummary")
    assert set(schemas["OrganizationSummary"]["properties"]) == {
        "id", "name", "kind", "province", "province_name", "verified",
    }  # no contact fields  # fmt: skip
    decline = schemas["DeclineRequest"]
    assert decline["required"] == ["reason"]
    assert decline["properties"]["reason"]["allOf"][0]["enum"] == list(Match.DeclineReason.values)
    accept = paths["/api/v1/matches/{id}/accept/"]["post"]
    assert set(accept["responses"]) == {
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "429",
    }
    parameters = {p["name"]: p for p in paths["/api/v1/matches/"]["get"]["parameters"]}
    assert parameters["status"]["schema"]["items"]["enum"] == sorted(Match.Status.values)
    assert parameters["status"]["explode"] is False
    assert parameters["listing"]["schema"]["type"] == "integer"
    assert set(paths) >= {
        "/api/v1/matches/{id}/history/",
        "/api/v1/notifications/mark-read/",
        "/api/v1/notifications/unread-count/",
    }
