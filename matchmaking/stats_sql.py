"""SQL the ORM cannot say, for the outcome figures: one scan grouped several ways, and a cheap
month of a timestamp.

:func:`grouped` reads a filtered queryset once and groups it by several sets of keys at once
(``GROUPING SETS`` on PostgreSQL; elsewhere, e.g. the embedded SQLite run, a ``UNION ALL`` of one
``GROUP BY`` per set). The filters stay the ORM's (``selectors_stats``): the queryset is
compiled by Django and becomes the statement's ``WITH`` query, which PostgreSQL folds into one
plan when it is read once (and materializes once when another table is joined to it).

:class:`LocalMonth` is ``TruncMonth`` in the current time zone. On PostgreSQL it looks the
month up in an array of month starts (``width_bucket``, a binary search) instead of converting
every row's time zone (``AT TIME ZONE`` costs about as much as the rest of a 200k-row scan);
rows outside the array's years fall back to ``date_trunc`` in SQL, so the result is exact.
"""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import DateTimeField, F
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth
from django.utils import timezone

WORK_MEM = "64MB"  # for the grouping statements only (their transaction)
YEARS_BACK = 6  # the array of month starts covers this year − YEARS_BACK … this year + 1


@lru_cache(maxsize=8)
def _month_starts(zone: str, year: int) -> tuple[list, list]:
    """(month starts as aware datetimes, the same as naive local datetimes), one more start
    than months, so ``starts[i] <= t < starts[i + 1]`` is the month ``local[i]``."""
    tz = zoneinfo.ZoneInfo(zone)
    local = [
        datetime.datetime(y, month, 1)
        for y in range(year - YEARS_BACK, year + 2)
        for month in range(1, 13)
    ]
    local.append(datetime.datetime(year + 2, 1, 1))
    return [d.replace(tzinfo=tz) for d in local], local[:-1]


class LocalMonth(TruncMonth):
    """The first day of the row's month (Vietnam time), as ``TruncMonth``."""

    def as_postgresql(self, compiler, connection, **extra_context):
        if not isinstance(self.lhs.output_field, DateTimeField):
            return super().as_postgresql(compiler, connection, **extra_context)
        column, params = compiler.compile(self.lhs)
        zone = timezone.get_current_timezone_name()
        starts, local = _month_starts(zone, timezone.now().year)
        sql = (
            f"COALESCE((%s::timestamp[])[width_bucket({column}, %s::timestamptz[])], "
            f"date_trunc('month', {column} AT TIME ZONE %s))"
        )
        return sql, (local, *params, starts, *params, zone)


def literal(value: str) -> str:
    """A constant of the code (a status), written into the SQL: letters and ``_`` only."""
    if not value.replace("_", "").isalnum():
        raise ValueError(value)
    return f"'{value}'"


def grouped(
    queryset,
    *,
    keys: dict,
    sets: list[tuple[str, ...]],
    aggregates: dict[str, str],
    columns: dict | None = None,
    joined=None,
) -> list[list[dict]]:
    """Group ``queryset`` by each of ``sets`` (tuples of names of ``keys``) in one read.

    ``keys`` and ``columns`` map a name to what the queryset selects under it (a field path or
    an expression); ``aggregates`` map a name to SQL over those names written ``{name}``
    (``"COUNT(*) FILTER (WHERE {status} = 'connected')"``, constants through :func:`literal`).
    The kept rows are the statement's ``WITH`` query ``t``. ``joined`` (optional) maps the kept
    rows' ids (a subquery; select ``{"id": "pk"}`` among the columns) to a grouped queryset of
    another table that selects key and aggregate names: its rows come from the same statement
    (e.g. the kept deals' deliveries by month), without filtering again.
    Returns, for each set, its rows as dicts of the set's keys and the aggregates (then the
    joined rows, with the names they select).
    """
    selected = {**keys, **(columns or {})}
    inner = queryset.order_by().values(
        **{f"k_{name}": F(e) if isinstance(e, str) else e for name, e in selected.items()}
    )
    sql, params = inner.query.sql_with_params()
    params = tuple(params)
    quote = connection.ops.quote_name
    col = {name: f"t.{quote('k_' + name)}" for name in selected}
    aggs = ", ".join(f"{expr.format(**col)} AS {quote(name)}" for name, expr in aggregates.items())
    names = list(keys)

    def mask(keyset) -> int:  # GROUPING(names…): a bit set for each key not grouped on
        return sum(1 << (len(names) - 1 - i) for i, k in enumerate(names) if k not in keyset)

    if connection.vendor == "postgresql":
        sets_sql = ", ".join("(" + ", ".join(col[k] for k in s) + ")" for s in sets)
        parts = [
            f"SELECT {', '.join(col[k] for k in names)}, "
            f"GROUPING({', '.join(col[k] for k in names)}), {aggs} "
            f"FROM t GROUP BY GROUPING SETS ({sets_sql})"
        ]
    else:
        parts = []
        for s in sets:
            select = ", ".join(col[k] if k in s else "NULL" for k in names)
            by = f" GROUP BY {', '.join(col[k] for k in s)}" if s else ""
            parts.append(f"SELECT {select}, {mask(s)}, {aggs} FROM t{by}")
    joined_names: tuple = ()
    if joined is not None:
        other = joined(RawSQL(f"SELECT {col['id']} FROM t", ()))
        joined_names = tuple(other.query.values_select) + tuple(other.query.annotation_select)
        other_sql, other_params = other.query.sql_with_params()
        pick = [f"x.{quote(n)}" if n in joined_names else "NULL" for n in (*names, *aggregates)]
        pick.insert(len(names), "-1")
        parts.append(f"SELECT {', '.join(pick)} FROM ({other_sql}) x")
        params += tuple(other_params)
    query = f"WITH t AS ({sql}) " + " UNION ALL ".join(parts)
    which = {mask(s): i for i, s in enumerate(sets)}
    which[-1] = len(sets)
    out: list[list[dict]] = [[] for _ in range(len(sets) + (joined is not None))]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Enough memory to hash every grouping set (the default makes PostgreSQL sort the
            # 200k rows on disk instead, twice as slow), and no JIT compiling for a 0.1 s read.
            cursor.execute(
                "SELECT set_config('work_mem', %s, true), set_config('jit', 'off', true)",
                [WORK_MEM],
            )
        cursor.execute(query, params)
        for row in cursor.fetchall():
            i = which[row[len(names)]]
            shown = sets[i] if i < len(sets) else joined_names
            record = {k: row[j] for j, k in enumerate(names) if k in shown}
            values = zip(aggregates, row[len(names) + 1 :], strict=True)
            record.update((k, v) for k, v in values if i < len(sets) or k in joined_names)
            out[i].append(record)
    return out
