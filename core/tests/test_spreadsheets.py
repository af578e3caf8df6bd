"""The cell every export writes (issue 16, findings 4 and 5); the exports themselves are
checked in ``config/tests/test_exports.py``."""

import pytest

from core.spreadsheets import safe_cell, strip_neutraliser


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Cà phê = ngon", "Cà phê = ngon"),
        ("Cà\x01phê\x1b", "Càphê"),
        ("\x1b=1", "'=1"),  # the control character cannot hide the formula
        ("dòng 1\r\ndòng 2", "dòng 1\ndòng 2"),
        (-5, -5),  # numbers are not formulas
        (None, None),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell
    if isinstance(value, str) and value.startswith("="):
        assert strip_neutraliser(cell) == value
