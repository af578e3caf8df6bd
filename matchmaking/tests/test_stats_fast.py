"""How the outcome figures are read fast: the public programme page's figures are cached (and
say as of when), the officers' figures never; one grouped read gives the same groups on both
SQL renderings; the month lookup is exact at month edges and outside its years."""

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from listings.models import Listing
from matchmaking import selectors_programmes
from matchmaking.models import Deal, Delivery, Match
from matchmaking.stats_sql import LocalMonth, grouped
from matchmaking.tests.factories_stats import build_world, expected_stats

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(actors, reference):
    return build_world(actors, reference)


def _page(client, world):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/programmes/{world.programme.slug}/")
    assert response.status_code == 200
    reads_matches = any("matchmaking_match" in q["sql"] for q in ctx.captured_queries)
    return response.content.decode(), reads_matches


def _connected(html: str) -> int:
    return int(html.split('data-testid="measured-connected">', 1)[1].split("<", 1)[0])


def _as_of(html: str) -> str:
    return html.split('data-testid="figures-as-of">', 1)[1].split("</p>", 1)[0]


def _age_entry(world, minutes: int) -> None:
    key = selectors_programmes.cache_key(world.programme)
    entry = cache.get(key)
    entry["at"] -= datetime.timedelta(minutes=minutes)
    cache.set(key, entry)


def test_public_page_counts_once_then_serves_the_cache(client, world):
    html, read = _page(client, world)
    assert read
    counted = _connected(html)
    assert counted == expected_stats({"programme": world.programme.slug})["matches"]["connected"]
    # A new connection in the programme is not counted again within ten minutes…
    Match.objects.filter(pk=Match.objects.filter(status="proposed").first().pk).update(
        status="connected", connected_at=timezone.now()
    )
    html2, read2 = _page(client, world)
    assert not read2
    assert _connected(html2) == counted
    # …and the second language is served from the same entry.
    client.cookies["django_language"] = "en"
    html_en, read_en = _page(client, world)
    assert not read_en and "Figures as of" in html_en


def test_public_page_says_as_of_when(client, world):
    html, _read = _page(client, world)
    at = cache.get(selectors_programmes.cache_key(world.programme))["at"]
    assert f"{at.astimezone(VN):%H:%M}" in _as_of(html)
    assert _as_of(html).startswith("Số liệu tính đến") and "mỗi 10 phút" in _as_of(html)


def test_stale_figures_are_recounted_by_one_request(client, world):
    _page(client, world)
    _age_entry(world, 11)
    stale = cache.get(selectors_programmes.cache_key(world.programme))["at"]
    # Another request holds the recount's lock: this one is served the stale figures at once.
    assert cache.add(selectors_programmes.cache_key(world.programme) + ":lock", 1)
    html, read = _page(client, world)
    assert not read and f"{stale.astimezone(VN):%H:%M}" in _as_of(html)
    # Once the lock is free, the next request recounts and the page says so; with no counted
    # row changed, the officers' count of the same rows serves it (no statement over matches)…
    cache.delete(selectors_programmes.cache_key(world.programme) + ":lock")
    _html, read = _page(client, world)
    assert not read
    assert cache.get(selectors_programmes.cache_key(world.programme))["at"] > stale
    # …and after a change, the recount reads the rows.
    Match.objects.filter(pk=Match.objects.first().pk).update(updated_at=timezone.now())
    _age_entry(world, 11)
    _html, read = _page(client, world)
    assert read
    fresh = cache.get(selectors_programmes.cache_key(world.programme))["at"]
    assert fresh > stale + datetime.timedelta(minutes=10)


def _orm_groups(queryset, *fields) -> list[dict]:
    return sorted(
        (dict(r) for r in queryset.values(*fields).annotate(n=Count("pk")).order_by()),
        key=repr,
    )


@pytest.mark.parametrize("vendor", ["postgresql", "other"])
def test_one_read_grouped_two_ways(world, monkeypatch, vendor):
    """GROUPING SETS on PostgreSQL and the portable UNION ALL give the ORM's groups."""
    monkeypatch.setattr(connection, "vendor", vendor)
    by_status, by_place = grouped(
        Match.objects.all(),
        keys={"status": "status", "p": "supply__province_id", "c": "supply__category_id"},
        sets=[("status",), ("p", "c")],
        aggregates={"n": "COUNT(*)"},
    )
    monkeypatch.undo()
    assert sorted(by_status, key=repr) == _orm_groups(Match.objects.all(), "status")
    want = _orm_groups(Match.objects.all(), "supply__province_id", "supply__category_id")
    got = [
        {"supply__province_id": r["p"], "supply__category_id": r["c"], "n": r["n"]}
        for r in by_place
    ]
    assert sorted(got, key=repr) == want


@pytest.mark.parametrize("vendor", ["postgresql", "other"])
def test_joined_rows_come_from_the_same_read(world, monkeypatch, vendor):
    """The kept deals' deliveries by month, in the deals' statement."""
    kept = Deal.objects.exclude(stage="lost")
    monkeypatch.setattr(connection, "vendor", vendor)
    by_stage, delivered = grouped(
        kept,
        keys={"stage": "stage"},
        columns={"id": "pk"},
        sets=[("stage",)],
        aggregates={"n": "COUNT(*)", "dv": "SUM({id})"},
        joined=lambda ids: (
            Delivery.objects.filter(deal_id__in=ids)
            .order_by()
            .values(stage=F("deal__stage"))
            .annotate(dv=Sum("value_vnd"))
        ),
    )
    monkeypatch.undo()
    assert sorted((r["stage"], r["n"]) for r in by_stage) == sorted(
        (r["stage"], r["n"]) for r in _orm_groups(kept, "stage")
    )
    want = Delivery.objects.filter(deal__in=kept).values("deal__stage").annotate(v=Sum("value_vnd"))
    assert delivered
    assert sorted((r["stage"], int(r["dv"])) for r in delivered) == sorted(
        (r["deal__stage"], int(r["v"])) for r in want.order_by()
    )


def test_local_month_at_the_edges_and_outside_its_years(world):
    listing = Listing.objects.first()
    cases = {
        datetime.datetime(2026, 3, 1, 0, 30, tzinfo=VN): datetime.datetime(2026, 3, 1),
        datetime.datetime(2026, 2, 28, 23, 59, tzinfo=VN): datetime.datetime(2026, 2, 1),
        datetime.datetime(2001, 7, 15, tzinfo=VN): datetime.datetime(2001, 7, 1),  # before
        datetime.datetime(2090, 1, 1, 3, tzinfo=VN): datetime.datetime(2090, 1, 1),  # after
    }
    for created, month in cases.items():
        Listing.objects.filter(pk=listing.pk).update(created_at=created)
        (rows,) = grouped(
            Listing.objects.filter(pk=listing.pk),
            keys={"m": LocalMonth("created_at")},
            sets=[("m",)],
            aggregates={"n": "COUNT(*)"},
        )
        assert rows == [{"m": month, "n": 1}], created
