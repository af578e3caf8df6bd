"""The officers' figures are counted once per state of the counted rows: the digest of
``outcome_version`` changes with every committed write to a table the figures read (and only
then), a change is seen by the very next request, and writers never wait for one another."""

import datetime
import random
import re
import threading

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organization
from catalog.models import ProductCategory, Province, Region
from core.tests.processes import psycopg_dsn
from listings.models import Listing
from matchmaking import outcome_version, tasks
from matchmaking.models import (
    ConnectionEvent,
    CooperationProgramme,
    Deal,
    Delivery,
    Match,
    Meeting,
    Notification,
    OutcomeChange,
    Registration,
)
from matchmaking.selectors_stats import StatsFilters, outcome_figures, outcome_stats
from matchmaking.tests.factories import MatchFactory
from matchmaking.tests.factories_stats import build_world, expected_stats, keyed

pytestmark = pytest.mark.django_db
TABLE_IN_SQL = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


@pytest.fixture
def world(actors, reference):
    return build_world(actors, reference)


def _counted_reads(queries) -> bool:
    return any("matchmaking_match" in q["sql"] for q in queries)


def test_every_table_the_figures_read_carries_the_trigger(world, reference):
    filters = [
        StatsFilters(),
        StatsFilters(programme=world.programme),
        StatsFilters(event=world.event),
        StatsFilters(province=reference.hcmc),
        StatsFilters(region=reference.hcmc.region),
        StatsFilters(category=reference.coffee, category_ids=(reference.coffee.pk,)),
        StatsFilters(date_from=timezone.localdate(), date_to=timezone.localdate()),
    ]
    read = set()
    for f in filters:
        with CaptureQueriesContext(connection) as ctx:
            outcome_stats(f)
        for q in ctx.captured_queries:
            read.update(TABLE_IN_SQL.findall(q["sql"]))
    assert {"listings_listing", "matchmaking_match", "matchmaking_deal"} <= read
    assert read <= outcome_version.triggered_tables()


def test_the_digest_follows_writes_to_counted_tables_only(actors, world):
    before = outcome_version.current()
    assert outcome_version.current() == before  # reading changes nothing
    kind = Notification.Kind.values[0]
    Notification.objects.create(user=actors.officer, kind=kind, params={})  # not counted
    assert outcome_version.current() == before
    Match.objects.filter(pk=Match.objects.first().pk).update(updated_at=timezone.now())
    after_update = outcome_version.current()
    assert after_update != before
    with connection.cursor() as cursor:  # raw SQL is seen too
        cursor.execute(
            "UPDATE listings_listing SET updated_at = now() WHERE id IN (SELECT min(id) FROM listings_listing)"
        )
    assert outcome_version.current() not in {before, after_update}


def test_a_rolled_back_write_leaves_the_digest_as_it_was(world):
    before = outcome_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Listing.objects.filter(pk=Listing.objects.first().pk).update(title="Không lưu")
        assert outcome_version.current() != before
        raise RuntimeError
    assert outcome_version.current() == before
    # The next write gets a mark never given before, so no digest of the past comes back.
    Listing.objects.filter(pk=Listing.objects.first().pk).update(title="Lưu")
    assert outcome_version.current() != before


def test_api_serves_the_count_until_a_counted_row_changes(api, actors, world):
    client = api.as_user(actors.officer)
    with CaptureQueriesContext(connection) as first:
        body = client.get("/api/v1/stats/").json()
    assert _counted_reads(first.captured_queries)
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/stats/").json() == body
    assert not _counted_reads(second.captured_queries)
    # A proposal is connected: the very next request counts again and shows it.
    proposed = Match.objects.filter(status="proposed").first()
    Match.objects.filter(pk=proposed.pk).update(status="connected", connected_at=timezone.now())
    with CaptureQueriesContext(connection) as third:
        changed = client.get("/api/v1/stats/").json()
    assert _counted_reads(third.captured_queries)
    assert changed["matches"]["connected"] == body["matches"]["connected"] + 1
    assert keyed(changed) == expected_stats({})


def test_each_filter_has_its_own_count(api, actors, world):
    client = api.as_user(actors.officer)
    whole = client.get("/api/v1/stats/").json()
    hcmc = client.get("/api/v1/stats/", {"province": "79"}).json()
    assert keyed(whole) == expected_stats({})
    assert keyed(hcmc) == expected_stats({"province": "79"})
    assert hcmc != whole


def test_dashboard_page_follows_a_new_deal_stage(client, actors, world):
    client.force_login(actors.officer)
    assert client.get("/outcomes/").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/outcomes/").status_code == 200
    assert not _counted_reads(ctx.captured_queries)
    Deal.objects.filter(pk=Deal.objects.first().pk).update(updated_at=timezone.now())
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/outcomes/").status_code == 200
    assert _counted_reads(ctx.captured_queries)


def test_without_a_digest_every_call_counts(world, monkeypatch):
    monkeypatch.setattr(outcome_version, "marks", lambda: None)
    for _ in range(2):
        with CaptureQueriesContext(connection) as ctx:
            figures = outcome_figures(StatsFilters())
        assert _counted_reads(ctx.captured_queries)
    assert keyed(figures) == expected_stats({})


def test_compacting_folds_the_rows_and_keeps_what_was_counted(api, actors, world):
    OutcomeChange.objects.bulk_create(
        [OutcomeChange(backend=900_000 + i, concern="meeting", mark=10 + i) for i in range(5)]
    )
    client = api.as_user(actors.officer)
    body = client.get("/api/v1/stats/").json()
    before = outcome_version.marks()
    folded = tasks.compact_outcome_changes()
    assert folded >= 5
    assert set(OutcomeChange.objects.values_list("backend", flat=True)) == {0}
    assert outcome_version.marks() == before  # each concern keeps the sum of its marks
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/stats/").json() == body
    assert not _counted_reads(ctx.captured_queries)
    # A write after compaction still moves its concern's sum on.
    deal = Deal.objects.first()
    Deal.objects.filter(pk=deal.pk).update(updated_at=timezone.now())
    after = outcome_version.marks()
    block = f"deal:{deal.pk // outcome_version.BLOCKS['deal']}"
    assert after.sums[block] > before.sums[block]
    assert after.sums["listing:keys"] == before.sums["listing:keys"]


@pytest.mark.django_db(transaction=True)
def test_writers_in_two_sessions_never_wait_for_each_other(actors, reference):
    """Two open transactions each write a counted table: neither waits for the other's
    commit (each stamps its own row), and each commit is seen by a reader at once."""
    build_world(actors, reference)
    ids = list(Listing.objects.order_by("pk").values_list("pk", flat=True)[:2])
    dsn = psycopg_dsn(connection.settings_dict)
    before = outcome_version.current()
    first, second = psycopg.connect(dsn), psycopg.connect(dsn)
    try:
        for conn in (first, second):
            conn.execute("SET lock_timeout = '3s'")
        first.execute("UPDATE listings_listing SET updated_at = now() WHERE id = %s", [ids[0]])
        errors = []

        def write():
            try:
                second.execute(
                    "UPDATE listings_listing SET updated_at = now() WHERE id = %s", [ids[1]]
                )
            except psycopg.Error as exc:  # a lock wait past 3 s
                errors.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(10)
        assert not thread.is_alive() and not errors
        assert outcome_version.current() == before  # nothing committed yet
        second.commit()
        after_second = outcome_version.current()
        assert after_second != before
        first.commit()
        assert outcome_version.current() not in {before, after_second}
    finally:
        first.close()
        second.close()


def test_a_request_waits_for_the_count_already_running(world, monkeypatch):
    """While another request counts the same view (it holds the lock), this one takes its
    answer when it lands instead of counting too; with no answer in time, it counts."""
    from django.core.cache import cache

    from matchmaking import selectors_stats

    view = selectors_stats._filters_key(StatsFilters())
    key = f"outcome-stats:v3:{view}:{outcome_version.current()}"  # the hand-over entry
    assert cache.add(f"{key}:lock", 1)
    landed = outcome_stats(StatsFilters())
    timer = threading.Timer(0.2, lambda: cache.set(key, landed))
    timer.start()
    with CaptureQueriesContext(connection) as ctx:
        assert outcome_figures(StatsFilters()) == landed
    timer.join()
    assert not _counted_reads(ctx.captured_queries)
    cache.delete(key)
    monkeypatch.setattr(selectors_stats, "COUNT_WAIT_FOR", 0.1)
    with CaptureQueriesContext(connection) as ctx:
        assert keyed(outcome_figures(StatsFilters())) == expected_stats({})
    assert _counted_reads(ctx.captured_queries)


# --- a change re-counts only the part of the figures it touched --------------------------------

MATCHES_PART = (
    '"k_b"'  # every blocked part groups by the id's block; the matches by nothing else here
)
DEALS_PART = '"k_cv"'
LISTINGS_PART = '"k_side"'


def _part(sql: str) -> str | None:
    if DEALS_PART in sql:  # grouped by block too
        return "deals"
    if LISTINGS_PART in sql:  # likewise
        return "listings"
    return "matches" if MATCHES_PART in sql else None


def _parts_read(queries) -> set[str]:
    return {_part(q["sql"]) for q in queries} - {None}


def _second_block(world) -> Match:
    """A new proposal whose id is in a block of its own (the world's are all in one)."""
    size = outcome_version.BLOCKS["match"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('matchmaking_match', 'id'), "
            "(SELECT (max(id) / %s + 1) * %s FROM matchmaking_match))",
            [size, size],
        )
    supply = Listing.objects.filter(side="supply").order_by("pk").last()
    demand = Listing.objects.filter(side="demand").exclude(demand_matches__supply=supply).first()
    return MatchFactory(supply=supply, demand=demand, status=Match.Status.PROPOSED)


def test_an_answer_recounts_only_its_block_of_the_matches(api, actors, world):
    newcomer = _second_block(world)
    blocks = outcome_version.marks().blocks("match")
    assert len(blocks) >= 2 and newcomer.pk // outcome_version.BLOCKS["match"] == blocks[-1]
    client = api.as_user(actors.officer)
    with CaptureQueriesContext(connection) as first:
        client.get("/api/v1/stats/")
    assert _parts_read(first.captured_queries) == {"matches", "deals", "listings"}
    Match.objects.filter(pk=newcomer.pk).update(
        status=Match.Status.CONNECTED, connected_at=timezone.now()
    )
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/api/v1/stats/").json()
    assert _parts_read(ctx.captured_queries) == {"matches"}
    bound = blocks[-1] * outcome_version.BLOCKS["match"]
    counted = [q["sql"] for q in ctx.captured_queries if _part(q["sql"]) == "matches"]
    assert counted and all(f">= {bound}" in sql for sql in counted)
    assert keyed(body) == expected_stats({})
    assert body["matches"]["connected"] == Match.objects.filter(status="connected").count()


def _move_a_matched_listing():
    supply = Match.objects.filter(deal__isnull=False).first().supply
    supply.province = Province.objects.exclude(pk=supply.province_id).first()
    supply.save(update_fields=["province"])


@pytest.mark.parametrize(
    "write, recounted",
    [
        (
            lambda: Deal.objects.filter(pk=Deal.objects.first().pk).update(
                updated_at=timezone.now()
            ),
            {"deals"},
        ),
        (
            lambda: Listing.objects.filter(pk=Listing.objects.first().pk).update(
                title="Cà phê rang xay"
            ),
            {"listings"},
        ),
        # A listing moved to another province changes every part that groups by it.
        (
            lambda: Delivery.objects.filter(pk=Delivery.objects.first().pk).update(
                value_vnd=F("value_vnd") + 1_000_000
            ),
            {"deals"},
        ),
        (_move_a_matched_listing, {"listings", "matches", "deals"}),
    ],
    ids=["deal stage", "listing title", "delivery value", "listing province"],
)
def test_a_write_recounts_the_parts_that_read_it(api, actors, world, write, recounted):
    client = api.as_user(actors.officer)
    for params in ({}, {"province": "79"}):
        client.get("/api/v1/stats/", params)
    write()
    for params in ({}, {"province": "79"}):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/stats/", params).json()
        assert _parts_read(ctx.captured_queries) == recounted
        assert keyed(body) == expected_stats(params)


def test_the_warm_task_counts_the_dashboards_one_filter_views_ahead(api, actors, world, reference):
    from django.conf import settings

    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "matchmaking.tasks.warm_outcome_figures" in entries
    warmed = tasks.warm_outcome_figures()
    one_filter = [CooperationProgramme, ConnectionEvent, Province, Region, ProductCategory]
    assert warmed == 1 + sum(model.objects.count() for model in one_filter)
    client = api.as_user(actors.officer)
    coffee = reference.coffee
    for params in (
        {},
        {"province": "79"},
        {"category": coffee.slug},
        {"programme": world.programme.slug},
    ):
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/v1/stats/", params).json()
        assert not _counted_reads(ctx.captured_queries), params
        assert keyed(body) == expected_stats(params)
    # After a write, the next run counts again only what changed, and requests find it ready.
    Deal.objects.filter(pk=Deal.objects.first().pk).update(updated_at=timezone.now())
    with CaptureQueriesContext(connection) as ctx:
        tasks.warm_outcome_figures()
    assert _parts_read(ctx.captured_queries) == {"deals"}
    with CaptureQueriesContext(connection) as ctx:
        client.get("/api/v1/stats/", {"province": "79"})
    assert not _counted_reads(ctx.captured_queries)


def test_the_warm_task_does_nothing_without_marks(world, monkeypatch):
    monkeypatch.setattr(outcome_version, "marks", lambda: None)
    with CaptureQueriesContext(connection) as ctx:
        assert tasks.warm_outcome_figures() == 0
    assert not _counted_reads(ctx.captured_queries)


def test_a_change_overwrites_the_parts_it_retires(api, actors, world):
    """The cache holds one copy of each part of a view: after any number of writes, as many
    entries as after the first count."""
    from django.core.cache import cache

    redis = cache._cache.get_client()

    def entries() -> int:
        return len(redis.keys("*outcome-*"))

    client = api.as_user(actors.officer)
    client.get("/api/v1/stats/")
    first = entries()
    for i in range(3):
        Deal.objects.filter(pk=Deal.objects.first().pk).update(updated_at=timezone.now())
        Listing.objects.filter(pk=Listing.objects.first().pk).update(title=f"Cà phê {i}")
        body = client.get("/api/v1/stats/").json()
    hand_overs = 3  # one per counted state, kept a minute for those who waited
    assert entries() == first + hand_overs
    assert keyed(body) == expected_stats({})


# --- never stale: a random run of writes of every kind -----------------------------------------


def _writes(world, reference):
    """One write per kind the figures depend on, each a callable of a random generator."""
    org_kinds = [k for k, _ in Organization.Kind.choices]

    def some(model, rng, **filters):
        rows = list(model.objects.filter(**filters).order_by("pk"))
        return rng.choice(rows)

    return [
        lambda rng: Match.objects.filter(pk=some(Match, rng).pk).update(
            status=Match.Status.DECLINED, decline_reason="price"
        ),
        lambda rng: Match.objects.filter(pk=some(Match, rng).pk).update(
            status=Match.Status.CONNECTED, connected_at=timezone.now()
        ),
        lambda rng: Deal.objects.filter(pk=some(Deal, rng).pk).update(
            stage=Deal.Stage.LOST, lost_reason="payment_terms"
        ),
        lambda rng: Deal.objects.filter(pk=some(Deal, rng).pk).update(event=world.event),
        lambda rng: Delivery.objects.filter(pk=some(Delivery, rng).pk).update(
            value_vnd=F("value_vnd") + 5_000_000
        ),
        lambda rng: Listing.objects.filter(pk=some(Listing, rng).pk).update(
            province=some(Province, rng)
        ),
        lambda rng: Listing.objects.filter(pk=some(Listing, rng).pk).update(
            category=rng.choice([reference.coffee, reference.robusta, reference.durian])
        ),
        lambda rng: Listing.objects.filter(pk=some(Listing, rng).pk).update(
            created_at=timezone.now() - datetime.timedelta(days=rng.randint(0, 400))
        ),
        lambda rng: Listing.objects.filter(pk=some(Listing, rng).pk).update(
            status=rng.choice([Listing.Status.DRAFT, Listing.Status.OPEN])
        ),
        lambda rng: Meeting.objects.filter(pk=some(Meeting, rng).pk).update(
            status=Meeting.Status.HELD, match=some(Match, rng)
        ),
        lambda rng: Organization.objects.filter(pk=some(Organization, rng).pk).update(
            kind=rng.choice(org_kinds)
        ),
        lambda rng: world.programme.provinces.add(some(Province, rng)),
        lambda rng: Registration.objects.first().listings.add(some(Listing, rng)),
        lambda rng: Match.objects.filter(pk=some(Match, rng, deal__isnull=True).pk).delete(),
    ]


def test_the_figures_are_never_stale_through_a_random_run_of_writes(api, actors, world, reference):
    """After each of 30 random writes (every kind the figures read), every filter's figures
    from the parts equal a count from nothing — and both equal the independent oracle."""
    rng = random.Random(20261202)
    writes = _writes(world, reference)
    views = [
        {},
        {"programme": world.programme.slug},
        {"event": str(world.event.pk)},
        {"province": "79"},
        {"region": reference.hcmc.region.code},
        {"category": reference.coffee.slug},
        {"from": (timezone.localdate() - datetime.timedelta(days=30)).isoformat()},
    ]
    client = api.as_user(actors.officer)
    for view in views:
        client.get("/api/v1/stats/", view)
    for step in range(30):
        write = rng.choice(writes)
        write(rng)
        for view in views:
            body = client.get("/api/v1/stats/", view).json()
            assert keyed(body) == expected_stats(view), (step, writes.index(write), view)
