"""``manage.py bench_matching`` (``matchmaking/benchmarks/database.py``) at a tiny size: it
builds the synthetic market in the database, measures, and cleans up after itself."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Province
from listings.models import Listing
from matchmaking.benchmarks import database
from matchmaking.benchmarks.geography import PROVINCES
from matchmaking.models import Match

pytestmark = pytest.mark.django_db(transaction=True)


def bench(*args: str) -> str:
    out = StringIO()
    call_command("bench_matching", "--processes", "1", *args, stdout=out)
    return out.getvalue()


def bench_listings():
    return Listing.objects.filter(organization__name__startswith=database.BENCH_ORG)


def test_a_run_builds_measures_and_removes_its_market():
    output = bench("--supply", "60", "--demand", "50", "--single", "2")
    # the seed ran first: the synthetic provinces are the seeded rows, by official code
    assert {p.code for p in PROVINCES} <= set(Province.objects.values_list("code", flat=True))
    assert "60 supply listings" in output
    assert "50 demand listings" in output
    pairs = int(re.search(r"candidate pairs\s+([\d,]+)", output).group(1).replace(",", ""))
    created = int(re.search(r"proposals created\s+([\d,]+)", output).group(1).replace(",", ""))
    assert pairs > 0
    assert created > 0
    assert re.search(r"single listing p95\s+[\d.]+ ms", output)
    assert not bench_listings().exists()
    assert not Match.objects.exists()


def test_a_kept_market_is_measured_again_without_a_rebuild():
    bench("--supply", "40", "--demand", "40", "--single", "0", "--keep")
    before = set(bench_listings().values_list("pk", flat=True))
    assert len(before) == 80
    output = bench("--again", "--single", "0")
    assert "measuring again on the kept market of 40 supplies x 40 demands" in output
    assert "(kept)" in output
    assert re.search(r"proposals created\s+0\n", output)  # the first run proposed them all
    assert set(bench_listings().values_list("pk", flat=True)) == before
    bench("--clean")
    assert not bench_listings().exists()


def test_again_without_a_kept_market_says_so():
    with pytest.raises(CommandError, match="no kept market"):
        bench("--again")
