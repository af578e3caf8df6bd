"""``bench_stats``'s market: the sizes asked for, every kind of outcome present, reused when the
sizes match, removed by ``clean``; the figures on it agree with plain counts."""

import pytest

from matchmaking.benchmarks import stats as bench
from matchmaking.models import Deal, Match
from matchmaking.selectors_stats import StatsFilters, outcome_stats

pytestmark = pytest.mark.django_db


def test_builds_reuses_and_cleans(reference):
    lines = []
    bench.ensure(400, 600, 30, lines.append)
    have = bench.size()
    assert have["listings"] == 400
    assert have["matches"] == 600
    assert have["deals"] == 30
    figures = outcome_stats(StatsFilters())
    assert figures["matches"]["proposed"] == Match.objects.count() == 600
    assert figures["matches"]["connected"] == 30
    assert figures["deals"]["lost"] == Deal.objects.filter(stage="lost").count() > 0
    assert figures["delivered_value_vnd"] > 0
    assert (
        sum(figures["decline_reasons"].values()) == Match.objects.filter(status="declined").count()
    )
    lines.clear()
    bench.ensure(400, 600, 30, lines.append)
    assert lines[0].startswith("reusing the market")
    bench.clean()
    assert bench.size() == {"listings": 0, "matches": 0, "deals": 0}


def test_percentile():
    values = [float(v) for v in range(1, 101)]
    assert bench.percentile(values, 0.5) in (50.0, 51.0)
    assert bench.percentile(values, 0.95) == 95.0
