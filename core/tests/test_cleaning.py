"""Control characters leave text at input (issue 16, findings 3 and 5)."""

import pytest

from core.cleaning import has_control, multi_line, single_line


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("HTX Ea Tu", "HTX Ea Tu"),
        ("HTX\rEa\nTu", "HTX Ea Tu"),
        ("HTX\r\n\tEa Tu", "HTX Ea Tu"),
        ("Cà phê\x01\x1b\x7f\x9b", "Cà phê"),
        ("abc\u202edcba", "abcdcba"),  # a bidi override that makes a name read backwards
        ("Hồ\u2028Chí Minh", "Hồ Chí Minh"),
    ],
)
def test_single_line(raw, clean):
    assert single_line(raw) == clean
    assert has_control(raw) is (raw != clean)


def test_multi_line_keeps_line_breaks_and_tabs():
    assert multi_line("a\r\nb\rc\nd\te\x00\x1b") == "a\nb\nc\nd\te"
