"""Query helpers every app may use."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids: Iterable[int]):
    """The right-hand side of ``field__in=`` for a set of ids that may run to tens of
    thousands: on PostgreSQL one array parameter (``IN (SELECT unnest(%s::bigint[]))``), not a
    placeholder per id that the ORM and the driver would bind one by one; elsewhere the list."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return ids
