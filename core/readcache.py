"""Repeated reads served from the cache while none of the rows they read has changed.

A read (an API list or detail, a page) is computed once and kept in the cache with the list of
the tables its SQL read and the *marks* those tables had just before it ran. The next identical
read (same address, caller and roles, format, language, time zone and day; for pages the same
CSRF cookie and htmx headers) serves the kept bytes when the marks of those tables are still
the same: the same answer the view would give, for the price
of one cache get and one small statement.

The marks. On PostgreSQL a statement-level trigger on every table (installed after each
``migrate`` by :func:`install`, so a new table gets it too) stamps the writing database
session's row of :class:`~core.models.TableMark` for that table with a fresh value of a
sequence, in the writer's own transaction. :func:`sums` reads, for each table, the sum of its
rows' marks: every committed write makes it larger (a stamp replaces a row's mark by a larger
one or adds a row), a rolled-back write leaves it as it was, and each session stamps only its
own row, so writers never wait for one another. Raw SQL, ``COPY`` and bulk updates are stamped
as any other write. :func:`compact` folds the rows of sessions gone into one per table, keeping
the sums.

Why the kept answer is never older than the rows: the marks are read *before* the view runs,
so a write that commits while it runs either is in the marks (and in what the view read) or
makes the next read's marks differ. Which tables a read used is not declared by hand but seen:
every statement the view runs (ORM, raw cursors, template rendering) passes through
:func:`_seen`, and its table names are kept. A read that touches a table with no marks (the
sessions table, a table created since the last ``migrate``) is not kept at all.

What is not kept: anything but a 200, a response that sets a cookie (a new session, a message,
a fresh CSRF secret), a page while messages wait to be shown, a page requested without a CSRF
cookie (its token would be shared), the browsable API. Entries live ``READ_CACHE_SECONDS``
(60 s; 0 turns the cache off), which bounds what depends on the clock alone; the day is in the
key, so nothing is served across midnight. Elsewhere (SQLite, the embedded run) there are no
marks and every read is computed, as before.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import timezone, translation

log = logging.getLogger(__name__)

TABLE = "core_tablemark"
SEQUENCE = "core_tablemark_mark_seq"
FUNCTION = "core_table_marked"
TRIGGER = "core_table_marked"
#: Tables never marked: the marks themselves, the migration history, the sessions (read to
#: know who asks, before the read is computed) and the outcome figures' own stamps.
UNMARKED = frozenset({TABLE, "django_migrations", "django_session", "matchmaking_outcomechange"})
#: While one request computes a read, the same read's other requests wait for its answer
#: (up to COMPUTE_WAIT_SECONDS) instead of computing it again; the lock lapses by itself if
#: the process dies.
COMPUTE_LOCK_SECONDS = 10
COMPUTE_WAIT_SECONDS = 3.0
#: The biggest answer kept (bytes).
MAX_BYTES = 2 * 1024 * 1024
HEADER = "X-Cache"
#: The request headers a page's answer may depend on besides the address (htmx's).
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-Trigger", "HX-Boosted", "HX-Current-URL")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_tables_lock = threading.Lock()
_tables: dict[str, frozenset[str]] = {}


def enabled() -> bool:
    return settings.READ_CACHE_SECONDS > 0 and connection.vendor == "postgresql"


# --- the marks (PostgreSQL) -----------------------------------------------------------------


def _function_sql() -> str:
    return f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TABLE} (backend, tablename, mark)
            VALUES (pg_backend_pid(), TG_TABLE_NAME, nextval('{SEQUENCE}'))
            ON CONFLICT (backend, tablename) DO UPDATE SET mark = EXCLUDED.mark;
            RETURN NULL;
        END $$
    """


def install(using: str = "default") -> int:
    """The sequence, the function and a trigger on every table that has none yet (all but
    :data:`UNMARKED`), each with a first mark; returns how many tables got one. Idempotent:
    run after every ``migrate`` (``core.apps``)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return 0
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT to_regclass('{TABLE}') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return 0  # before core's migration
        cursor.execute(f"SELECT to_regclass('{SEQUENCE}') IS NULL")
        if cursor.fetchone()[0]:
            cursor.execute(f"CREATE SEQUENCE {SEQUENCE}")
            # From a random start: a database made again from nothing (with the same cache)
            # does not give the sums of the one before.
            cursor.execute(f"SELECT setval('{SEQUENCE}', 1 + (random() * 1e12)::bigint)")
        cursor.execute(_function_sql())
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid "
            "AND t.tgname = %s)",
            [TRIGGER],
        )
        missing = sorted({name for (name,) in cursor.fetchall()} - UNMARKED)
        for name in missing:
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{name}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
            )
        # Every marked table has a row: a table with none was never marked (see _cacheable).
        cursor.execute(
            f"INSERT INTO {TABLE} (backend, tablename, mark) "
            f"SELECT 0, c.relname, nextval('{SEQUENCE}') FROM pg_trigger t "
            f"JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s "
            f"ON CONFLICT (backend, tablename) DO NOTHING",
            [TRIGGER],
        )
    with _tables_lock:
        _tables.clear()
    return len(missing)


def uninstall(schema_editor) -> None:
    """Take the triggers, the function and the sequence out again (migrating core back)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [TRIGGER],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{name}"')
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def installed_on_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate``: mark the tables the migrations (or a test's flush) left unmarked (once
    per migrate: the signal is sent for every app, after all of them migrated)."""
    if getattr(sender, "name", None) == "core":
        install(using)


def sums() -> dict[str, int] | None:
    """Each marked table's sum of marks, read in one statement; None where there are none."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tablename, sum(mark) FROM {TABLE} GROUP BY tablename")
        return {name: int(total) for name, total in cursor.fetchall()}


def compact() -> int:
    """Fold the rows no session is writing now into one per table (:func:`fold_sessions`)."""
    return fold_sessions(TABLE, "tablename")


def fold_sessions(table: str, key: str) -> int:
    """Fold the rows of a marks table (``backend``, ``key``, ``mark``; these marks' and the
    outcome figures') that no session is writing now (``SKIP LOCKED``) into one row per
    ``key`` on backend 0 holding their sum; returns how many rows were folded. The sums stay,
    so whatever was kept under them stays valid."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE id IN ("
            f"SELECT id FROM {table} WHERE backend <> 0 FOR UPDATE SKIP LOCKED) "
            f"RETURNING {key}, mark), "
            f"folded AS (INSERT INTO {table} (backend, {key}, mark) "
            f"SELECT 0, {key}, sum(mark) FROM gone GROUP BY {key} "
            f"ON CONFLICT (backend, {key}) DO UPDATE SET mark = {table}.mark + EXCLUDED.mark) "
            f"SELECT count(*) FROM gone"
        )
        (folded,) = cursor.fetchone()
    return folded


def _all_tables() -> frozenset[str]:
    """Every table and view of the database (to tell table names from other words in SQL)."""
    alias = connection.alias
    with _tables_lock:
        names = _tables.get(alias)
    if names is None:
        names = frozenset(connection.introspection.table_names(include_views=True))
        with _tables_lock:
            _tables[alias] = names
    return names


def tables_in(sql: str, known: frozenset[str] | None = None) -> set[str]:
    """The tables a statement names (quoted or not)."""
    return set(_NAME.findall(sql.lower())) & (known if known is not None else _all_tables())


@contextmanager
def _seen():
    """The tables named by every statement run inside the block."""
    found: set[str] = set()
    known = _all_tables()  # before the wrapper: its own statements are not the read's

    def note(execute, sql, params, many, context):
        found.update(tables_in(sql if isinstance(sql, str) else str(sql), known))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield found


def _digest(marks: dict[str, int], tables) -> str:
    text = ",".join(f"{t}={marks.get(t, 0)}" for t in sorted(tables))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


# --- responses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    tables: tuple[str, ...]
    digest: str
    content: bytes
    #: The headers the view set (its content type among them); the middleware adds the rest.
    headers: tuple[tuple[str, str], ...]


#: Headers not kept with an answer: the server computes its length, cookies are never kept.
_UNKEPT = frozenset({"content-length", "set-cookie", HEADER.lower()})


def caller(user) -> str:
    """Who asks, as the key needs it: the user and the roles read before the view runs (an
    officer promoted or demoted gets other entries; memberships are read inside the view, so
    its tables hold them)."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    roles = (user.is_staff, user.is_superuser, bool(getattr(user, "is_officer", False)))
    return f"{user.pk}:" + "".join(str(int(r)) for r in roles)


def key_for(*parts) -> str:
    """The cache key of a read: its parts, plus the language, the time zone and the day."""
    text = "\x1f".join(
        str(p)
        for p in (
            *parts,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            timezone.localdate().isoformat(),
        )
    )
    return "read:2:" + hashlib.sha256(text.encode()).hexdigest()


def serve(
    key: str,
    respond: Callable[[], HttpResponse],
    *,
    prepare: Callable[[HttpResponse], None] | None = None,
    keep: Callable[[HttpResponse], bool] | None = None,
) -> HttpResponse:
    """The kept answer of ``key`` if the tables it read are unchanged, else ``respond()``
    (rendered here, so that the queries of templates are seen too), kept when it may be.
    ``prepare(response)`` readies a response for rendering (DRF's renderer); ``keep(response)``
    may refuse to keep one (a page that changed its session)."""
    marks = sums()
    kept = cache.get(key)
    entry = _valid(kept, marks)
    if entry is None:
        # The marks this request would compute from, over the tables the read used last time.
        state = _digest(marks, kept.tables) if kept is not None else ""
        lock = f"{key}:computing"
        if cache.add(lock, state, timeout=COMPUTE_LOCK_SECONDS):
            return _computed(key, respond, marks, prepare, keep, lock=lock)
        # Another request computes this read. From the same marks (no write between the two),
        # its answer is this one's too: wait for it. From older marks, it would be outdated
        # when it lands: compute now.
        if cache.get(lock) == state:
            entry = _valid(_awaited(lock, key), marks)
        if entry is None:
            return _computed(key, respond, marks, prepare, keep, lock=None)
    response = HttpResponse(entry.content, headers=dict(entry.headers))
    response[HEADER] = "hit"
    return response


def _valid(entry: Entry | None, marks: dict[str, int]) -> Entry | None:
    """The entry if none of the tables it read changed since it was computed."""
    if entry is not None and _digest(marks, entry.tables) == entry.digest:
        return entry
    return None


def _awaited(lock: str, key: str) -> Entry | None:
    """The entry of ``key`` once the request holding ``lock`` is done computing it (at most
    :data:`COMPUTE_WAIT_SECONDS`: a slow or dead one is not waited for longer)."""
    deadline = time.monotonic() + COMPUTE_WAIT_SECONDS
    while time.monotonic() < deadline and cache.has_key(lock):
        time.sleep(0.01)
    return cache.get(key)


def _computed(key, respond, marks, prepare, keep, *, lock: str | None) -> HttpResponse:
    started = time.monotonic()
    try:
        with _seen() as tables:
            response = respond()
            if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
                if prepare is not None:
                    prepare(response)
                response.render()
        if _cacheable(response, tables, marks) and (keep is None or keep(response)):
            stored = Entry(
                tuple(sorted(tables)),
                _digest(marks, tables),
                response.content,
                tuple((k, v) for k, v in response.items() if k.lower() not in _UNKEPT),
            )
            cache.set(key, stored, timeout=settings.READ_CACHE_SECONDS)
            response[HEADER] = "miss"
            log.debug("read kept after %.1f ms: %s", (time.monotonic() - started) * 1000, tables)
        else:
            _skipped(response)
    finally:
        if lock is not None:
            cache.delete(lock)
    return response


def _cacheable(response: HttpResponse, tables: set[str], marks: dict[str, int]) -> bool:
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    if "no-store" in response.get("Cache-Control", ""):
        return False
    if len(response.content) > MAX_BYTES:
        return False
    unmarked = [t for t in tables if t not in marks]
    if unmarked:
        log.info("read not kept: it reads unmarked tables %s", sorted(unmarked))
        return False
    return True


# --- pages ----------------------------------------------------------------------------------


def _skipped(response: HttpResponse) -> HttpResponse:
    response[HEADER] = "skip"
    return response


def _messages_waiting(request) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(storage) > 0


def cached_page(view):
    """Serve a GET page from the cache while the rows it read are unchanged (see the module).

    Only for a request that carries its CSRF cookie (the page's token then belongs to that
    browser) and has no message waiting; the key holds the user and roles, that cookie, the
    address, the htmx headers, the language, the time zone and the day.
    """
    import functools

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not enabled():
            return view(request, *args, **kwargs)
        if (
            request.method != "GET"
            or not request.META.get("CSRF_COOKIE")
            or _messages_waiting(request)
        ):
            return _skipped(view(request, *args, **kwargs))
        key = key_for(
            "page",
            view.__module__,
            view.__qualname__,
            caller(request.user),  # resolves the session before anything is seen
            request.META["CSRF_COOKIE"],
            request.build_absolute_uri(),  # the host too: links in the answer name it
            # htmx asks for fragments and names the page it came from ("next" links use it).
            *(request.headers.get(name, "") for name in HTMX_HEADERS),
        )

        secret = request.META["CSRF_COOKIE"]

        def keep(response) -> bool:
            # What the middleware would write after the view: a changed session, a new CSRF
            # secret, a message for the next page. A kept page would skip it.
            session = getattr(request, "session", None)
            return not (
                (session is not None and session.modified)
                or request.META.get("CSRF_COOKIE") != secret
                or _messages_waiting(request)
            )

        response = serve(key, lambda: view(request, *args, **kwargs), keep=keep)
        if response.get(HEADER) == "hit":
            # As the page's {% csrf_token %} would: the same cookie sent again, its expiry
            # renewed.
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
        return response

    return wrapper
