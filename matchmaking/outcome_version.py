"""Which state of the counted rows the outcome figures were computed from, *per part of the
figures*, so that ``GET /api/v1/stats/`` and the officers' dashboard serve what was already
counted from the very same rows and, after a change, count again only the part it touched.

On PostgreSQL, statement-level triggers on every table the figures read (migrations ``0022``
and ``0023``, SQL from :func:`install`) stamp the writing database session's rows of
:class:`~matchmaking.models.OutcomeChange` — one per *concern* — with fresh values of a
sequence, in the writer's own transaction. A concern is what a part of the figures depends on:

- ``meeting``, ``registration``: any write to that table;
- ``reference``: organizations, provinces, regions, categories, programmes and events;
- ``listing:keys``, ``deal:keys``, ``meeting:keys``, ``match:keys``: a change to the columns
  other tables' figures are filtered and grouped by (a listing's province, category, posting
  time or organization; which match and event a deal or meeting belongs to; a match's two
  listings), and any insert or delete that can change them;
- ``listing:N`` / ``match:N`` / ``deal:N``: any write to a listing, a match (a deal, or one of
  its deliveries) whose id is in block ``N`` (ids ``N·size … (N+1)·size−1``, :data:`BLOCKS`),
  and ``listing:all`` / ``match:all`` / ``deal:all`` for a truncate — so a new proposal or an
  answer re-counts one block of the matches, not 200k of them, a deal's new stage one block of
  the deals, a listing's edit one block of the listings.

:func:`marks` reads, for each concern, the *sum* of its rows' marks. Every committed stamp
replaces a row's mark by a larger one or adds a row, so the sum grows with every committed
write and never comes back; a rolled-back write leaves rows and sums as they were; each session
stamps only its own rows, so writers never wait for one another. A part cached under the sums
of its concerns was counted after they were read, so it is never older than the rows they
name: an answer from the cache is the answer a count would give.

:func:`compact` (``matchmaking.tasks.compact_outcome_changes``) folds the rows of finished
sessions into one row per concern holding their sum — the sums, and so every cached part, stay
valid.

Elsewhere (SQLite, the embedded run) there are no marks and every request counts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection

from core import readcache

TABLE = "matchmaking_outcomechange"
SEQUENCE = "matchmaking_outcomechange_mark_seq"
STAMP = "matchmaking_outcome_stamp"
FUNCTION = "matchmaking_outcome_changed"
TRIGGER = "outcome_changed"
#: Rows per block of the tables counted block by block: {prefix of the concern: size}. The
#: triggers compute blocks with the same numbers (a new size needs a migration that installs
#: them again).
BLOCKS = {"listing": 8192, "match": 8192, "deal": 2048}

#: Every concern stamped on any write to the table (TRUNCATE included).
WHOLE_TABLE = {
    "matchmaking_meeting": "meeting",
    "matchmaking_registration": "registration",
    "matchmaking_registration_listings": "registration",
    "matchmaking_connectionevent": "reference",
    "matchmaking_cooperationprogramme": "reference",
    "matchmaking_cooperationprogramme_provinces": "reference",
    "accounts_organization": "reference",
    "catalog_province": "reference",
    "catalog_region": "reference",
    "catalog_productcategory": "reference",
}

#: table: (concern, the columns it follows, stamped also on these events).
KEYS = {
    "listings_listing": (
        "listing:keys",
        ("province_id", "category_id", "created_at", "organization_id"),
        "DELETE OR TRUNCATE",  # a new listing has no match, deal or meeting yet
    ),
    "matchmaking_deal": ("deal:keys", ("match_id", "event_id"), "INSERT OR DELETE OR TRUNCATE"),
    "matchmaking_meeting": (
        "meeting:keys",
        ("match_id", "event_id"),
        "INSERT OR DELETE OR TRUNCATE",
    ),
    "matchmaking_match": ("match:keys", ("supply_id", "demand_id"), "DELETE OR TRUNCATE"),
}
MATCHES = "matchmaking_match"
#: Tables stamped per block of rows: table: (concern prefix, the column whose value's block).
BLOCKED = {
    "listings_listing": ("listing", "id"),
    "matchmaking_match": ("match", "id"),
    "matchmaking_deal": ("deal", "id"),
    "matchmaking_delivery": ("deal", "deal_id"),  # a delivery counts with its deal
}
COUNTED = [*WHOLE_TABLE, *BLOCKED]


def _stamp_sql() -> str:
    return f"""
        CREATE OR REPLACE FUNCTION {STAMP}(concerns text[]) RETURNS void LANGUAGE sql AS $$
            INSERT INTO {TABLE} (backend, concern, mark)
            SELECT pg_backend_pid(), c, nextval('{SEQUENCE}')
            FROM (SELECT DISTINCT unnest(concerns) AS c) AS s
            ON CONFLICT (backend, concern) DO UPDATE SET mark = EXCLUDED.mark
        $$
    """


def _plpgsql(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {body} RETURN NULL; END $$"
    )


def _changed(columns) -> str:
    """SQL: true when a row's ``columns`` differ between the statement's old and new rows — a
    set difference (hashed or sorted), never a join, which the planner would run as a nested
    loop over transition tables it has no statistics for."""
    picked = ", ".join(("id", *columns))
    return f"EXISTS (SELECT {picked} FROM old_rows EXCEPT SELECT {picked} FROM new_rows)"


def _blocks(table: str, rows: str) -> str:
    prefix, column = BLOCKED[table]
    return f"(SELECT array_agg(DISTINCT '{prefix}:' || ({column} / {BLOCKS[prefix]})) FROM {rows})"


def _statements() -> list[str]:
    """The functions and triggers, as SQL (for :func:`install`)."""
    out = [
        _stamp_sql(),
        _plpgsql(FUNCTION, f"PERFORM {STAMP}(TG_ARGV::text[]);"),
    ]

    def trigger(name, events, table, function, args="", referencing=""):
        out.append(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
        out.append(
            f'CREATE TRIGGER {name} AFTER {events} ON "{table}" {referencing} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({args})"
        )

    for table, concern in WHOLE_TABLE.items():
        trigger(TRIGGER, "INSERT OR UPDATE OR DELETE OR TRUNCATE", table, FUNCTION, f"'{concern}'")
    for table, (concern, columns, events) in KEYS.items():
        if table == MATCHES:
            continue  # with its blocks, below
        function = f"matchmaking_outcome_keys_{table}"
        out.append(
            _plpgsql(
                function, f"IF {_changed(columns)} THEN PERFORM {STAMP}(TG_ARGV::text[]); END IF;"
            )
        )
        both = "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
        trigger("outcome_keys", "UPDATE", table, function, f"'{concern}'", both)
        trigger("outcome_keys_rows", events, table, FUNCTION, f"'{concern}'")
    # The tables counted block by block: the blocks written (and the matches' keys, with them;
    # the other tables' keys are above).
    for table, (prefix, _column) in BLOCKED.items():
        keys = KEYS.get(table)
        name = f"matchmaking_outcome_blocks_{table}"
        inserted, old = _blocks(table, "new_rows"), _blocks(table, "old_rows")
        updated = f"PERFORM {STAMP}({inserted} || {old});"
        if table == MATCHES:
            updated += f" IF {_changed(keys[1])} THEN PERFORM {STAMP}(ARRAY['{keys[0]}']); END IF;"
            trigger("outcome_keys_rows", keys[2], table, FUNCTION, f"'{keys[0]}'")
        out += [
            _plpgsql(f"{name}_inserted", f"PERFORM {STAMP}({inserted});"),
            _plpgsql(f"{name}_updated", updated),
            _plpgsql(f"{name}_deleted", f"PERFORM {STAMP}({old});"),
        ]
        trigger(TRIGGER, "TRUNCATE", table, FUNCTION, f"'{prefix}:all'")
        for event, sql_event, rows in (
            ("inserted", "INSERT", "NEW TABLE AS new_rows"),
            ("updated", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("deleted", "DELETE", "OLD TABLE AS old_rows"),
        ):
            trigger(
                f"outcome_blocks_{event}",
                sql_event,
                table,
                f"{name}_{event}",
                referencing=f"REFERENCING {rows}",
            )
    return out


def install(schema_editor) -> None:
    """The sequence, the functions and the triggers of every counted table (PostgreSQL), and a
    first mark for every concern (each block of the listings, matches and deals there are)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    run(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    # From a random start: a database made again from nothing (with the same cache) does not
    # give the marks, and so the sums, of the one before.
    run(f"SELECT setval('{SEQUENCE}', 1 + (random() * 1e12)::bigint)")
    for sql in _statements():
        run(sql)
    concerns = {*WHOLE_TABLE.values(), *(k[0] for k in KEYS.values())}
    concerns |= {f"{prefix}:all" for prefix in BLOCKS}
    existing = " UNION ".join(
        f"SELECT DISTINCT '{prefix}:' || ({column} / {BLOCKS[prefix]}) FROM {table}"
        for table, (prefix, column) in BLOCKED.items()
    )
    run(
        f"INSERT INTO {TABLE} (backend, concern, mark) "
        f"SELECT 0, c, nextval('{SEQUENCE}') FROM ("
        f"SELECT unnest(%s::text[]) AS c UNION {existing}) AS s",
        [sorted(concerns)],
    )


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    run = schema_editor.execute
    names = [TRIGGER, "outcome_keys", "outcome_keys_rows"]
    names += ["outcome_blocks_inserted", "outcome_blocks_updated", "outcome_blocks_deleted"]
    functions = [f"matchmaking_outcome_keys_{table}" for table in KEYS]
    for table in BLOCKED:
        functions += [
            f"matchmaking_outcome_blocks_{table}_{e}" for e in ("inserted", "updated", "deleted")
        ]
    for table in COUNTED:
        for name in names:
            run(f'DROP TRIGGER IF EXISTS {name} ON "{table}"')
    for name in [*functions, FUNCTION]:
        run(f"DROP FUNCTION IF EXISTS {name}()")
    run(f"DROP FUNCTION IF EXISTS {STAMP}(text[])")


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


@dataclass(frozen=True)
class Marks:
    """The sum of the marks of each concern, as read at one moment."""

    sums: dict[str, int]

    def digest(self, concerns) -> str:
        """A short digest of these concerns' sums (a concern never stamped counts as 0)."""
        text = ",".join(f"{c}={self.sums.get(c, 0)}" for c in sorted(concerns))
        return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()

    @property
    def whole(self) -> str:
        return self.digest(self.sums)

    def blocks(self, prefix: str) -> list[int]:
        """The blocks of a table (``"match"``, ``"deal"``) that were ever written (those that
        can hold its rows)."""
        start = len(prefix) + 1
        return sorted(
            int(c[start:]) for c in self.sums if c.startswith(f"{prefix}:") and c[start:].isdigit()
        )


def marks() -> Marks | None:
    """The marks of the counted rows' state, or None where the database keeps none."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT concern, sum(mark) FROM {TABLE} GROUP BY concern")
        return Marks({concern: int(total) for concern, total in cursor.fetchall()})


def current() -> str | None:
    """One digest of every concern's marks, or None where the database keeps none."""
    state = marks()
    return None if state is None else state.whole


def compact() -> int:
    """Fold the rows no session is writing now (those being written stay: ``SKIP LOCKED``)
    into one row per concern holding their sum; returns how many were folded. The sums do not
    change, so what was counted stays valid."""
    return readcache.fold_sessions(TABLE, "concern")
