"""Which state of the counted rows the outcome figures were computed from, so that
``GET /api/v1/stats/`` and the officers' dashboard can serve figures already computed from the
very same rows instead of counting 100k listings and 200k matches again.

On PostgreSQL a statement-level trigger on every table the figures read (migration ``0022``,
SQL from :func:`install`) stamps the writing database session's row of
:class:`~matchmaking.models.OutcomeChange` with a fresh value of a sequence, in the writer's
own transaction. :func:`current` digests those rows: the digest changes when any write to a
counted table commits, and, since a sequence never gives a value twice, it never comes back
for different rows (a rolled-back write leaves the rows *and* the digest as they were). Each
session stamps only its own row, so writers never wait for one another. Figures cached under
a digest were counted after the digest was read, so they are never older than the rows it
names: an answer from the cache is the answer a count would give.

Elsewhere (SQLite, the embedded run) there is no digest and every request counts.

:func:`compact` (daily, ``matchmaking.tasks.compact_outcome_changes``) folds the rows of
sessions long gone into one fresh row, which also changes the digest.
"""

from __future__ import annotations

from django.db import connection

TABLE = "matchmaking_outcomechange"
SEQUENCE = "matchmaking_outcomechange_mark_seq"
FUNCTION = "matchmaking_outcome_changed"
TRIGGER = "outcome_changed"


def install(schema_editor, tables: list[str]) -> None:
    """The sequence, the trigger function and one trigger per counted table (PostgreSQL)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    # From a random start: a database made again from nothing (with the same cache) does not
    # give the marks, and so the digests, of the one before.
    run(f"SELECT setval('{SEQUENCE}', 1 + (random() * 1e15)::bigint)")
    run(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {TABLE} (backend, mark) VALUES (pg_backend_pid(), nextval('{SEQUENCE}'))
            ON CONFLICT (backend) DO UPDATE SET mark = EXCLUDED.mark;
            RETURN NULL;
        END $$
        """
    )
    for table in tables:
        run(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        run(
            f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
        )
    # A first row, so that the digest of the installed state differs from an emptied table's.
    run(f"INSERT INTO {TABLE} (backend, mark) VALUES (0, nextval('{SEQUENCE}'))")


def uninstall(schema_editor, tables: list[str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in tables:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def triggered_tables() -> set[str]:
    """The tables that carry the trigger (for the test that every counted table does)."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal",
            [TRIGGER],
        )
        return {name for (name,) in cursor.fetchall()}


def current() -> str | None:
    """The digest of the counted rows' state, or None where the database keeps none."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT md5(string_agg(backend::text || ':' || mark::text, ',' ORDER BY backend)) "
            f"FROM {TABLE}"
        )
        (digest,) = cursor.fetchone()
    return digest or "empty"


def compact() -> int:
    """Fold the rows no session is writing now into one fresh row (those being written stay:
    ``SKIP LOCKED``); returns how many were folded. The digest changes, so figures are counted
    once more afterwards — never served for rows they were not counted from."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE backend IN ("
            f"SELECT backend FROM {TABLE} WHERE backend <> 0 FOR UPDATE SKIP LOCKED)"
        )
        folded = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {TABLE} (backend, mark) VALUES (0, nextval('{SEQUENCE}')) "
            f"ON CONFLICT (backend) DO UPDATE SET mark = EXCLUDED.mark"
        )
    return folded
