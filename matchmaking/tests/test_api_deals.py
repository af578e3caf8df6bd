"""The deals API: a deal's whole life, who sees and updates it, filters, bad input."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from catalog.models import Source
from matchmaking.models import CooperationProgramme, Deal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = "/api/v1/deals/"


def days_ago(n: int) -> str:
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def test_whole_life_through_the_api(api, deal, actors):
    client = api.as_user(actors.buyer)
    body = client.get(f"{URL}{deal.pk}/").json()
    assert body["stage"] == "connected"
    assert body["supply_organization"]["name"] == actors.supplier_org.name
    assert body["next_stages"] == ["negotiating", "contract_signed", "lost"]

    r = client.post(f"{URL}{deal.pk}/advance/", {"stage": "negotiating"}, format="json")
    assert r.status_code == 200 and r.json()["stage"] == "negotiating"
    r = client.post(
        f"{URL}{deal.pk}/advance/",
        {
            "stage": "contract_signed",
            "contract_quantity": "12",
            "contract_unit": "tấn",
            "contract_value_vnd": 1_140_000_000,
            "signed_on": days_ago(5),
        },
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["stage"], body["contract_unit"], body["contract_value_vnd"]) == (
        "contract_signed",
        "tonne",
        1_140_000_000,
    )
    supplier = api.as_user(actors.supplier)
    for quantity, stage in (("5000", "delivering"), ("7000", "completed")):
        r = supplier.post(
            f"{URL}{deal.pk}/deliveries/",
            {"quantity": quantity, "unit": "kg", "delivered_on": days_ago(1), "value_vnd": 1},
            format="json",
        )
        assert r.status_code == 201, r.json()
        assert r.json()["stage"] == stage
    body = r.json()
    assert body["delivered_quantity"] in ("12.000", 12.0)
    assert [h["to_stage"] for h in body["history"]] == [
        "connected",
        "negotiating",
        "contract_signed",
        "delivering",
        "completed",
    ]
    assert len(body["deliveries"]) == 2


def test_illegal_move_is_409_with_message(api, deal, actors):
    r = api.as_user(actors.buyer).post(
        f"{URL}{deal.pk}/advance/",
        {"stage": "completed"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 409
    assert r.json()["code"] == "illegal_transition" and "Connected" in r.json()["detail"]
    r = api.as_user(actors.buyer).post(
        f"{URL}{deal.pk}/deliveries/",
        {"quantity": "1", "unit": "kg", "delivered_on": days_ago(1), "value_vnd": 1},
        format="json",
    )
    assert r.status_code == 409


def test_bad_input_is_400_per_field_and_saves_nothing(api, deal, actors):
    client = api.as_user(actors.supplier)
    r = client.post(
        f"{URL}{deal.pk}/advance/",
        {"stage": "contract_signed", "contract_quantity": "-2", "contract_unit": "kg"},
        format="json",
    )
    assert r.status_code == 400
    assert {"contract_quantity", "contract_value_vnd", "signed_on"} <= set(r.json())
    r = client.post(
        f"{URL}{deal.pk}/advance/",
        {
            "stage": "contract_signed",
            "contract_quantity": "1",
            "contract_unit": "tonne",
            "contract_value_vnd": 5,
            "signed_on": days_ago(2),
        },
        format="json",
    )
    assert r.status_code == 200
    bad = [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "2000"}, "quantity"),
        ({"delivered_on": days_ago(-3)}, "delivered_on"),
        ({"unit": "nonsense"}, "unit"),
        ({"value_vnd": -4}, "value_vnd"),
    ]
    for override, field in bad:
        data = {"quantity": "10", "unit": "kg", "delivered_on": days_ago(1), "value_vnd": 1}
        data.update(override)
        r = client.post(f"{URL}{deal.pk}/deliveries/", data, format="json")
        assert r.status_code == 400 and field in r.json(), (override, r.json())
    deal.refresh_from_db()
    assert deal.stage == "contract_signed" and deal.deliveries.count() == 0
    r = client.post(f"{URL}{deal.pk}/advance/", {"stage": "lost"}, format="json")
    assert r.status_code == 400 and "lost_reason" in r.json()


def test_who_sees_and_updates(api, deal, actors):
    assert api.as_user(actors.outsider).get(URL).json()["count"] == 0
    assert api.as_user(actors.outsider).get(f"{URL}{deal.pk}/").status_code == 404
    r = api.as_user(actors.outsider).post(
        f"{URL}{deal.pk}/advance/", {"stage": "negotiating"}, format="json"
    )
    assert r.status_code == 404
    assert [d["id"] for d in api.as_user(actors.supplier).get(URL).json()["results"]] == [deal.pk]
    officer = api.as_user(actors.officer)
    assert officer.get(URL).json()["count"] == 1
    r = officer.post(
        f"{URL}{deal.pk}/advance/", {"stage": "negotiating", "side": "demand"}, format="json"
    )
    assert r.status_code == 200
    last = r.json()["history"][-1]
    assert (last["side"], last["as_officer"], last["by"]) == ("demand", True, "officer")


def test_filters(api, deal, actors, reference):
    officer = api.as_user(actors.officer)
    assert officer.get(URL, {"stage": "connected"}).json()["count"] == 1
    assert officer.get(URL, {"stage": "lost"}).json()["count"] == 0
    assert officer.get(URL, {"stage": "bogus"}).status_code == 400
    assert officer.get(URL, {"event": "x"}).status_code == 400
    assert officer.get(URL, {"programme": "nope"}).status_code == 400
    source = Source.objects.create(key="test", outlet="Báo", title="HCMC–Central Highlands")
    programme = CooperationProgramme.objects.create(
        slug="hcm-tay-nguyen", name="HCM – Tây Nguyên", name_en="HCMC – Highlands", source=source
    )
    programme.provinces.add(reference.daklak, reference.hcmc)
    other = CooperationProgramme.objects.create(
        slug="other", name="Khác", name_en="Other", source=source
    )
    other.provinces.add(reference.lamdong)
    assert officer.get(URL, {"programme": "hcm-tay-nguyen"}).json()["count"] == 1
    assert officer.get(URL, {"programme": "other"}).json()["count"] == 0
    assert Deal.objects.count() == 1
