"""Full re-match runs survive a worker that stops: chunk heartbeats, claims and the reaper."""

import datetime
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import ProductCategory, Unit
from config.celery import app as celery_app
from listings.models import Listing
from listings.tests.factories import make_listing
from matchmaking import tasks
from matchmaking.admin_runs import run_story
from matchmaking.models import Match, MatchRun, MatchRunChunk
from matchmaking.services import matching, runs

pytestmark = pytest.mark.django_db(transaction=True)
Chunk = MatchRunChunk.Status


@pytest.fixture
def market(actors, reference):
    """Two root families (coffee, seafood), so a full run has two chunks; 3 proposals."""
    seafood = ProductCategory.objects.create(slug="seafood", name="Thủy sản", name_en="Seafood")
    shrimp = ProductCategory.objects.create(
        slug="shrimp", name="Tôm", name_en="Shrimp", parent=seafood
    )
    tonne = Unit.objects.get(code="tonne")
    make_listing(organization=actors.supplier_org, reference=reference)
    make_listing(organization=actors.outsider_org, reference=reference, title="Cà phê vối Lâm Đồng")
    make_listing(
        organization=actors.buyer_org,
        reference=reference,
        side=Listing.Side.DEMAND,
        title="Cần mua cà phê Robusta",
        category=reference.coffee,
        quantity=Decimal("8"),
    )
    make_listing(
        organization=actors.outsider_org,
        reference=reference,
        title="Tôm sú Cà Mau",
        category=shrimp,
        quantity=Decimal("8"),
        unit=tonne,
    )
    make_listing(
        organization=actors.buyer_org,
        reference=reference,
        side=Listing.Side.DEMAND,
        title="Mua tôm sú",
        category=seafood,
        quantity=Decimal("2"),
        unit=tonne,
    )
    clean = set(Match.objects.values_list("supply_id", "demand_id", "suggested_quantity"))
    assert len(clean) == 3
    Match.objects.all().delete()
    return clean


def _planned_run() -> tuple[MatchRun, list[list[int]]]:
    run = MatchRun.objects.create(kind=MatchRun.Kind.FULL)
    chunks = matching.plan_full_rematch(run_id=run.pk)
    runs.record_chunks(run_id=run.pk, chunks=chunks)
    return run, chunks


def _proposals():
    return set(Match.objects.values_list("supply_id", "demand_id", "suggested_quantity"))


def _age(chunk_filter, seconds):
    MatchRunChunk.objects.filter(**chunk_filter).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


def test_a_full_run_records_its_chunks_and_finishes_once_all_are_done(market):
    run = matching.start_full_rematch()  # eager: the chord runs in-process
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    chunks = list(run.chunks.all())
    assert [c.index for c in chunks] == [0, 1]
    assert all(c.status == Chunk.DONE and c.attempts == 1 and c.finished_at for c in chunks)
    assert _proposals() == market


def test_a_chunk_is_taken_once_while_its_worker_reports_and_again_once_it_stops(market):
    run, _chunks = _planned_run()
    with runs.chunk_attempt(run_id=run.pk, index=0, worker="w1") as first:
        assert first
        with runs.chunk_attempt(run_id=run.pk, index=0, worker="w2") as second:
            assert not second  # running elsewhere, heartbeat fresh
        _age({"run": run, "index": 0}, settings.MATCHING["RUN_STALE_SECONDS"] + 1)
        with runs.chunk_attempt(run_id=run.pk, index=0, worker="w2") as third:
            assert third  # w1 stopped reporting: w2 takes over
    chunk = MatchRunChunk.objects.get(run=run, index=0)
    assert (chunk.status, chunk.attempts, chunk.worker) == (Chunk.DONE, 2, "w2")
    with runs.chunk_attempt(run_id=run.pk, index=0) as again:
        assert not again  # done: a redelivered message does nothing


def test_the_reaper_sends_a_silent_chunk_again_and_the_run_finishes_with_nothing_lost(market):
    run, chunks = _planned_run()
    # Chunk 0 completed; the worker was killed in the middle of chunk 1.
    tasks.match_chunk.apply(args=[run.pk, chunks[0], 0])
    MatchRunChunk.objects.filter(run=run, index=1).update(
        status=Chunk.RUNNING, attempts=1, worker="celery@dead", started_at=timezone.now()
    )
    _age({"run": run, "index": 1}, 30)
    assert runs.reap_stale_runs()["resent"] == 0  # 30 s of silence is not yet stale
    _age({"run": run, "index": 1}, settings.MATCHING["RUN_STALE_SECONDS"] + 5)

    counts = runs.reap_stale_runs()  # eager: the chunk runs again at once, and finishes the run

    assert counts["resent"] == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    chunk = MatchRunChunk.objects.get(run=run, index=1)
    assert chunk.status == Chunk.DONE and chunk.attempts == 2
    assert "stopped reporting" in chunk.note and "celery@dead" in chunk.note
    assert _proposals() == market  # no duplicate (unique pairs), nothing lost
    with translation.override("en"):
        assert "1 chunk was sent again" in run_story(run)


def test_a_chunk_that_keeps_stopping_fails_the_run_and_the_run_can_be_repeated(market):
    run, _chunks = _planned_run()
    MatchRunChunk.objects.filter(run=run, index=0).update(
        status=Chunk.RUNNING, attempts=settings.MATCHING["RUN_CHUNK_ATTEMPTS"], worker="w9"
    )
    _age({"run": run, "index": 0}, settings.MATCHING["RUN_STALE_SECONDS"] + 5)
    assert runs.reap_stale_runs()["failed"] == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED and run.finished_at
    assert "chunk 0 stopped reporting" in run.error and "given up after 3 attempts" in run.error
    with translation.override("en"):
        assert run_story(run).startswith("Failed: chunk 0 stopped reporting")
    # An officer starts it again: a new run, complete.
    again = matching.start_full_rematch()
    again.refresh_from_db()
    assert again.status == MatchRun.Status.DONE and _proposals() == market


def test_a_failed_chunk_is_sent_again(market):
    run, chunks = _planned_run()
    with pytest.raises(RuntimeError), runs.chunk_attempt(run_id=run.pk, index=1):
        raise RuntimeError("database went away")
    assert MatchRunChunk.objects.get(run=run, index=1).status == Chunk.FAILED
    tasks.match_chunk.apply(args=[run.pk, chunks[0], 0])
    assert runs.reap_stale_runs()["resent"] == 1
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE and _proposals() == market


def test_the_reaper_finishes_a_run_whose_chord_callback_never_came(market):
    run, chunks = _planned_run()
    for index, chunk in enumerate(chunks):
        with runs.chunk_attempt(run_id=run.pk, index=index) as go:
            assert go
            matching.run_chunk(run_id=run.pk, category_ids=chunk)
    # The chord's callback waits for every chunk, so a lost chunk never finishes a run early.
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING
    assert runs.reap_stale_runs()["finished"] == 1
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE


def test_the_chord_callback_waits_while_a_chunk_is_not_done(market):
    run, _chunks = _planned_run()
    assert tasks.finish_full_rematch.apply(args=[run.pk]).get()["status"] == "waiting for chunks"
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.RUNNING


def test_a_single_listing_run_left_running_by_a_dead_worker_is_marked_failed(actors, reference):
    listing = make_listing(organization=actors.supplier_org, reference=reference)
    stuck = MatchRun.objects.create(
        kind=MatchRun.Kind.LISTING,
        listing=listing,
        status=MatchRun.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    fresh = MatchRun.objects.create(
        kind=MatchRun.Kind.LISTING, status=MatchRun.Status.RUNNING, started_at=timezone.now()
    )
    assert runs.reap_stale_runs()["listing_runs_failed"] == 1
    assert MatchRun.objects.get(pk=stuck.pk).status == MatchRun.Status.FAILED
    assert MatchRun.objects.get(pk=fresh.pk).status == MatchRun.Status.RUNNING


def test_a_running_chunk_beats_while_it_works(market, settings):
    settings.MATCHING = {**settings.MATCHING, "RUN_HEARTBEAT_SECONDS": 0.2}
    run, _chunks = _planned_run()
    with runs.chunk_attempt(run_id=run.pk, index=0) as go:
        assert go
        started = MatchRunChunk.objects.get(run=run, index=0).heartbeat_at
        time.sleep(1.0)
        beat = MatchRunChunk.objects.get(run=run, index=0).heartbeat_at
    assert beat > started


def test_every_task_ends_before_redis_would_hand_its_message_to_another_worker():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    conf = celery_app.conf
    assert conf.task_soft_time_limit < conf.task_time_limit
    ours = [t for name, t in celery_app.tasks.items() if not name.startswith("celery.")]
    assert len(ours) >= 8
    for task in ours:
        hard = task.time_limit or conf.task_time_limit
        soft = task.soft_time_limit or conf.task_soft_time_limit
        assert soft < hard < visibility, task.name
    assert visibility <= 30 * 60  # a lost message comes back within half an hour, not hours


def test_the_reaper_runs_every_minute():
    job = settings.CELERY_BEAT_SCHEDULE["matchmaking-reap-stale-runs"]
    assert job["task"] == "matchmaking.tasks.reap_stale_runs" and job["schedule"] == 60.0
    assert job["task"] in celery_app.tasks


def test_the_admin_run_page_lists_the_chunks_and_says_what_happened(market, actors, client):
    actors.officer.is_superuser = True  # the page is what matters here, not the group's rights
    actors.officer.save()
    run, chunks = _planned_run()
    tasks.match_chunk.apply(args=[run.pk, chunks[0], 0])
    MatchRunChunk.objects.filter(run=run, index=1).update(
        status=Chunk.RUNNING, attempts=1, worker="celery@dead", started_at=timezone.now()
    )
    _age({"run": run, "index": 1}, settings.MATCHING["RUN_STALE_SECONDS"] + 5)
    runs.reap_stale_runs()
    client.force_login(actors.officer, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:matchmaking_matchrun_change", args=[run.pk])
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "1 chunk was sent again after its worker stopped reporting" in english
    assert "chunk 1: 2 attempts" in english and "celery@dead" in english
    vietnamese = client.get(url, headers={"accept-language": "vi"}).content.decode()
    assert "phần việc đã được gửi lại" in vietnamese
