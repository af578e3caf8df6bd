"""The binary COPY payload reads back as the arrays it was built from (real PostgreSQL)."""

import json

import numpy as np
import pytest
from django.db import connection

from core.pgcopy import binary_copy

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's COPY format")
@pytest.mark.parametrize("width", [0, 3])
def test_binary_copy_round_trips_ints_floats_and_float_arrays(width):
    ids = np.array([1, 2**40, -7], dtype=np.int64)
    score = np.array([0.1235, 1.0, -0.5])
    values = np.arange(3 * width, dtype=np.float64).reshape(3, width) / 8
    payload = binary_copy([("int8", ids), ("float8", score), ("float8[]", values)])
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE t_copy (i bigint, s double precision, a float8[])")
        with cursor.cursor.copy("COPY t_copy (i, s, a) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(payload)
        cursor.execute("SELECT i, s, to_jsonb(a)::text FROM t_copy ORDER BY s")
        rows = cursor.fetchall()
        cursor.execute("DROP TABLE t_copy")
    expected = sorted(
        zip(ids.tolist(), score.tolist(), values.tolist(), strict=True), key=lambda r: r[1]
    )
    assert [(i, s) for i, s, _ in rows] == [(i, s) for i, s, _ in expected]
    assert [json.loads(a) for _, _, a in rows] == [v for _, _, v in expected]


def test_an_unknown_column_kind_is_refused():
    with pytest.raises(ValueError, match="unsupported"):
        binary_copy([("text", np.array(["a"]))])
