"""An OCOP rating counts for 36 months; only its year is known."""

import datetime

from catalog import ocop


def test_a_rating_counts_until_it_is_certainly_older_than_36_months():
    today = datetime.date(2026, 12, 1)

    assert ocop.current_stars(4, 2023, today) == 4  # given in 2023: at most 35 months old
    assert ocop.current_stars(4, 2022, today) is None  # at least 47 months old
    assert ocop.current_stars(4, 2023, datetime.date(2027, 1, 1)) is None
    assert ocop.current_stars(5, None, today) == 5  # no year recorded: counts as before
    assert ocop.current_stars(None, 2025, today) is None
