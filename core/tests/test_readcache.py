"""The read cache's marks (triggers on every table, sums that grow with each committed write)
and ``serve``: kept while the tables read are unchanged, computed again after any write to
them, never kept when a read touches an unmarked table or is not a plain 200."""

from __future__ import annotations

import datetime
import threading
import time

import psycopg
import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone, translation

from core import readcache
from core.models import IdempotencyKey
from core.tests.processes import psycopg_dsn

pytestmark = pytest.mark.django_db
KEYS = "core_idempotencykey"


def _key(n: int) -> IdempotencyKey:
    return IdempotencyKey.objects.create(
        scope="test",
        key=f"k{n}",
        fingerprint="f",
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )


def _scopes() -> HttpResponse:
    """A read of the idempotency keys, as a view would answer it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key FROM {KEYS} ORDER BY key")
        keys = [k for (k,) in cursor.fetchall()]
    return HttpResponse(",".join(keys), content_type="text/plain")


def test_every_table_but_the_unmarked_carries_the_trigger_and_a_mark():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid "
            "AND t.tgname = %s) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema()",
            [readcache.TRIGGER],
        )
        tables = dict(cursor.fetchall())
    assert {"listings_listing", "matchmaking_match", "accounts_membership", KEYS} <= set(tables)
    unmarked = {name for name, marked in tables.items() if not marked}
    assert unmarked == readcache.UNMARKED & set(tables)
    assert set(readcache.sums()) == set(tables) - readcache.UNMARKED


def test_install_is_idempotent():
    before = readcache.sums()
    assert readcache.install() == 0  # every table already has its trigger
    assert readcache.sums() == before


def test_every_kind_of_write_raises_the_sum_and_a_rolled_back_one_does_not():
    start = readcache.sums()[KEYS]
    row = _key(1)
    after_insert = readcache.sums()[KEYS]
    assert after_insert > start
    with connection.cursor() as cursor:  # raw SQL is stamped as any other write
        cursor.execute(f"UPDATE {KEYS} SET fingerprint = 'g' WHERE id = %s", [row.pk])
    after_raw = readcache.sums()[KEYS]
    assert after_raw > after_insert
    IdempotencyKey.objects.filter(pk=row.pk).update(fingerprint="h")  # a bulk update
    after_bulk = readcache.sums()[KEYS]
    assert after_bulk > after_raw
    with pytest.raises(RuntimeError), transaction.atomic():
        IdempotencyKey.objects.filter(pk=row.pk).delete()
        raise RuntimeError("rolled back")
    assert readcache.sums()[KEYS] == after_bulk
    before_other = readcache.sums()["listings_listing"]
    _key(2)
    assert readcache.sums()["listings_listing"] == before_other  # other tables: untouched


def test_a_read_is_kept_until_a_table_it_read_changes():
    key = readcache.key_for("test", "scopes")
    _key(1)
    first = readcache.serve(key, _scopes)
    assert first[readcache.HEADER] == "miss" and first.content == b"k1"
    second = readcache.serve(key, _scopes)
    assert second[readcache.HEADER] == "hit" and second.content == b"k1"
    # A write elsewhere (a table the read did not touch) keeps it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_unit SET code = code")
    assert readcache.serve(key, _scopes)[readcache.HEADER] == "hit"
    _key(2)
    third = readcache.serve(key, _scopes)
    assert third[readcache.HEADER] == "miss" and third.content == b"k1,k2"
    assert readcache.serve(key, _scopes).content == b"k1,k2"


def test_a_hit_runs_one_statement(django_assert_num_queries):
    key = readcache.key_for("test", "scopes")
    readcache.serve(key, _scopes)
    with django_assert_num_queries(1) as queries:
        assert readcache.serve(key, _scopes)[readcache.HEADER] == "hit"
    assert readcache.TABLE in queries.captured_queries[0]["sql"]


def test_a_read_of_an_unmarked_table_is_never_kept():
    def sessions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM django_session")
            return HttpResponse(str(cursor.fetchone()[0]))

    key = readcache.key_for("test", "sessions")
    assert readcache.serve(key, sessions)[readcache.HEADER] == "skip"
    assert readcache.serve(key, sessions)[readcache.HEADER] == "skip"


@pytest.mark.parametrize(
    "answer",
    [
        lambda: HttpResponse("gone", status=404),
        lambda: HttpResponse("later", headers={"Cache-Control": "no-store"}),
    ],
)
def test_only_a_plain_200_is_kept(answer):
    def respond():
        _scopes()
        return answer()

    key = readcache.key_for("test", "answer")
    assert readcache.serve(key, respond)[readcache.HEADER] == "skip"


def test_a_response_that_sets_a_cookie_is_not_kept():
    def respond():
        response = _scopes()
        response.set_cookie("sessionid", "new")
        return response

    key = readcache.key_for("test", "cookie")
    assert readcache.serve(key, respond)[readcache.HEADER] == "skip"


def test_the_key_holds_the_language_and_the_parts():
    with translation.override("vi"):
        vi = readcache.key_for("a", 1)
    with translation.override("en"):
        en = readcache.key_for("a", 1)
        assert readcache.key_for("a", 2) != en
    assert vi != en


def test_compaction_folds_rows_and_keeps_the_sums():
    _key(1)
    before = readcache.sums()
    assert readcache.compact() >= 1
    assert readcache.sums() == before
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {readcache.TABLE} WHERE backend <> 0")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_writers_in_two_sessions_never_wait_for_each_other():
    """Two open transactions write the same table: neither waits for the other's commit
    (each stamps its own row), and each commit is seen by the next read at once."""
    dsn = psycopg_dsn(connection.settings_dict)
    insert = (
        f"INSERT INTO {KEYS} (scope, key, fingerprint, location, created_at, expires_at) "
        "VALUES ('test', %s, 'f', '', now(), now())"
    )
    key = readcache.key_for("test", "scopes")
    readcache.serve(key, _scopes)
    before = readcache.sums()[KEYS]
    first, second = psycopg.connect(dsn), psycopg.connect(dsn)
    try:
        for conn in (first, second):
            conn.execute("SET lock_timeout = '3s'")
        first.execute(insert, ["one"])
        errors = []

        def write():
            try:
                second.execute(insert, ["two"])
            except psycopg.Error as exc:  # a lock wait past 3 s
                errors.append(exc)

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(10)
        assert not thread.is_alive() and not errors
        assert readcache.sums()[KEYS] == before  # nothing committed yet
        assert readcache.serve(key, _scopes)[readcache.HEADER] == "hit"
        second.commit()
        assert readcache.serve(key, _scopes).content == b"two"
        first.commit()
        assert readcache.serve(key, _scopes).content == b"one,two"
    finally:
        first.close()
        second.close()


def test_the_views_own_headers_are_served_with_the_kept_answer():
    def respond():
        response = _scopes()
        response["Content-Language"] = "vi"
        response["Link"] = '</api/v1/units/>; rel="units"'
        return response

    key = readcache.key_for("test", "headers")
    readcache.serve(key, respond)
    kept = readcache.serve(key, respond)
    assert kept[readcache.HEADER] == "hit"
    assert kept["Content-Type"] == "text/plain"
    assert kept["Content-Language"] == "vi" and kept["Link"] == '</api/v1/units/>; rel="units"'
    assert "Content-Length" not in kept or int(kept["Content-Length"]) == len(kept.content)


def test_the_beat_task_compacts_the_marks():
    from django.conf import settings

    from core.tasks import compact_table_marks

    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.tasks.compact_table_marks" in schedule
    _key(1)
    before = readcache.sums()
    assert compact_table_marks.apply().get() >= 1
    assert readcache.sums() == before


@pytest.mark.django_db(transaction=True)
def test_a_read_being_computed_is_computed_once_unless_a_write_came_between():
    """The same read's concurrent requests wait for the one computing it and take its answer;
    a request that read newer marks (a write committed meanwhile) computes its own, at once
    when it can tell."""
    calls = []

    def slow():
        started = time.monotonic()
        time.sleep(0.4)
        calls.append((started, time.monotonic()))
        return _scopes()

    def in_thread(results, name):
        try:
            results[name] = readcache.serve(key, slow)
        finally:
            connection.close()

    _key(1)
    key = readcache.key_for("test", "slow")
    results: dict = {}
    first = threading.Thread(target=in_thread, args=(results, "first"))
    first.start()
    time.sleep(0.1)  # the first one holds the lock and computes
    in_thread(results, "second")
    first.join(5)
    assert len(calls) == 1
    assert results["second"][readcache.HEADER] == "hit"
    assert results["second"].content == results["first"].content == b"k1"

    key = readcache.key_for("test", "slow", "again")
    results = {}
    first = threading.Thread(target=in_thread, args=(results, "first"))
    first.start()
    time.sleep(0.1)
    _key(2)  # committed while the first computes
    in_thread(results, "second")
    first.join(5)
    assert len(calls) == 3
    assert results["second"][readcache.HEADER] == "miss"
    assert results["second"].content == b"k1,k2"

    # Kept once, then a write: the first request computes from the new marks; after another
    # write, the second cannot use that answer, so it computes at once instead of waiting.
    _key(3)
    results = {}
    first = threading.Thread(target=in_thread, args=(results, "first"))
    first.start()
    time.sleep(0.1)
    _key(4)
    in_thread(results, "second")
    first.join(5)
    assert len(calls) == 5
    (_, first_done), (second_started, _) = sorted(calls[3:], key=lambda c: c[1])
    assert second_started < first_done  # it did not wait for the first
    assert results["second"].content == b"k1,k2,k3,k4"
