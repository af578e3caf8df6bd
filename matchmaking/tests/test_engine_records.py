"""The engine's records: one source of default weights, derived tables shared by copies."""

import numpy as np
from django.conf import settings

from matchmaking.engine import geo, records
from matchmaking.engine.records import DEFAULT_WEIGHTS, Config, Context


def _context(**extra) -> Context:
    return Context(
        parent=np.array([-1, 0]),
        category_names=["Nông sản", "Cà phê"],
        category_names_en=["Farm produce", "Coffee"],
        province_lat=np.array([12.67, 10.78]),
        province_lon=np.array([108.04, 106.70]),
        province_names=["Đắk Lắk", "Hồ Chí Minh"],
        province_names_en=["Dak Lak", "Ho Chi Minh City"],
        programme=np.full((2, 2), -1),
        **extra,
    )


def test_settings_read_the_engines_default_weights():
    """Unified rule: the weights were written twice and disagreed; the documented ones win."""
    assert settings.MATCHING["WEIGHTS"] == dict(DEFAULT_WEIGHTS)
    assert DEFAULT_WEIGHTS["product"] == 0.30 and DEFAULT_WEIGHTS["trust"] == 0.10
    assert Config().weight_vector.sum() == 1.0


def test_a_copy_for_one_run_shares_the_derived_tables():
    base = _context()
    run = base.for_run(declined={(1, 2)}, config=Config(min_score=0.5))
    assert run.tree is base.tree and run.distance_km is base.distance_km
    assert list(run.declined) == [(1 << 32) | 2] and len(base.declined) == 0
    assert run.config.min_score == 0.5 and base.config.min_score == Config().min_score


def test_distances_come_from_the_one_haversine():
    ctx = _context()
    km = ctx.distance_km[0, 1]
    assert 250 < km < 350  # Buôn Ma Thuột to Ho Chi Minh City, as the crow flies
    assert np.allclose(ctx.distance_km, geo.distance_matrix_km(ctx.province_lat, ctx.province_lon))
    assert ctx.distance_km[0, 0] == 0.0
    assert records.CategoryTree is type(ctx.tree)
