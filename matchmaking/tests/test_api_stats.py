"""``GET /api/v1/stats/``: officers only; every figure equals the rows counted in Python, for
each filter; bad filters are 400 with a message for the field."""

import datetime

import pytest
from django.utils import timezone

from matchmaking.tests.factories_stats import build_world, expected_stats, keyed

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/"


@pytest.fixture
def world(actors, reference):
    return build_world(actors, reference)


def _get(api, user, **params):
    return api.as_user(user).get(URL, params)


def test_anonymous_is_401(api, world):
    response = api.get(URL)
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider"])
def test_members_are_403(api, actors, world, who):
    response = _get(api, getattr(actors, who))
    assert response.status_code == 403
    assert "officer" in response.json()["detail"].lower() or response.json()["detail"]


def test_the_whole_market(api, actors, world):
    body = _get(api, actors.officer).json()
    # Spelled out once, so the oracle itself is checked against hand counts.
    assert body["listings"] == {"supply": 4, "demand": 3}
    assert body["matches"] == {"proposed": 7, "connected": 4, "declined": 2}
    assert body["meetings"] == {"requested": 4, "scheduled": 2, "held": 1}
    assert body["deals"] == {"contract_signed": 2, "completed": 1, "lost": 1}
    assert body["contract_value_vnd"] == 150_000_000
    assert body["delivered_value_vnd"] == 120_000_000
    assert body["decline_reasons"]["price"] == 1
    assert body["decline_reasons"]["quantity"] == 1
    assert body["lost_reasons"]["price"] == 1
    assert sum(body["lost_reasons"].values()) == 1
    # m1: coop–distributor, m2: coop, m3: processor–distributor (neither small), m7: farm.
    assert body["connections"]["small_producers"] == 3
    assert body["connections"]["small_producer_share"] == 0.75
    # Đắk Lắk and Lâm Đồng are in the Central Highlands; m3 is HCMC–HCMC.
    assert body["connections"]["remote_provinces"] == 3
    assert keyed(body) == expected_stats({})


def _params(world, reference):
    today = timezone.localdate()
    return [
        {"programme": world.programme.slug},
        {"event": str(world.event.pk)},
        {"event": str(world.other_event.pk)},
        {"province": "79"},
        {"province": "68"},
        {"region": "central-highlands"},
        {"region": "southeast"},
        {"category": "coffee"},
        {"category": "durian"},
        {"from": (today - datetime.timedelta(days=16)).isoformat()},
        {"to": (today - datetime.timedelta(days=16)).isoformat()},
        {
            "from": (today - datetime.timedelta(days=60)).isoformat(),
            "to": (today - datetime.timedelta(days=9)).isoformat(),
        },
        {"programme": world.programme.slug, "category": "robusta"},
        {"province": "66", "from": (today - datetime.timedelta(days=12)).isoformat()},
    ]


def test_each_filter_equals_the_rows_counted(api, actors, reference, world):
    seen = set()
    for params in _params(world, reference):
        body = _get(api, actors.officer, **params).json()
        assert keyed(body) == expected_stats(params), params
        seen.add(body["matches"]["proposed"])
    # The filters do cut: not every answer is the whole market.
    assert len(seen) > 3


def test_programme_keeps_its_events_and_member_provinces(api, actors, world):
    body = _get(api, actors.officer, programme=world.programme.slug).json()
    # m4 (Lâm Đồng–HCMC) is neither met at its event nor between members; m7 was met there.
    assert body["matches"]["proposed"] == 6
    assert body["meetings"]["requested"] == 3
    # Lâm Đồng's supply is registered for the programme's event.
    assert body["listings"]["supply"] == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "to"),
        ({"programme": "nowhere"}, "programme"),
        ({"event": "abc"}, "event"),
        ({"event": "99999999999999999999"}, "event"),
        ({"province": "00"}, "province"),
        ({"region": "atlantis"}, "region"),
        ({"category": "unicorns"}, "category"),
    ],
)
def test_bad_filters_are_400_by_field(api, actors, world, params, field):
    response = _get(api, actors.officer, **params)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0]


def test_messages_in_english(api, actors, world):
    response = api.as_user(actors.officer).get(
        URL, {"from": "2026-05-02", "to": "2026-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {"to": ["The end of the period is before its start."]}


def test_counts_follow_the_rows(api, actors, world):
    from matchmaking.models import Match

    before = _get(api, actors.officer).json()["matches"]["connected"]
    Match.objects.filter(status="proposed").update(status="connected", connected_at=timezone.now())
    after = _get(api, actors.officer).json()
    assert after["matches"]["connected"] == before + 1
    assert keyed(after) == expected_stats({})
