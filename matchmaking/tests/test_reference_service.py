"""The reference data memo: kept per process, dropped when the catalogue changes."""

import numpy as np
import pytest

from catalog.models import ProductCategory
from matchmaking.services import reference as reference_service

pytestmark = pytest.mark.django_db


def test_the_reference_is_built_once_and_shared_by_calls_with_other_declined_pairs(reference):
    first = reference_service.load_reference()
    again = reference_service.load_reference(declined=np.array([(1 << 32) | 2], dtype=np.int64))
    assert first.category_index is again.category_index  # the memo, not a rebuild
    # Derived tables are shared, not recomputed, and nothing is written into __dict__.
    assert again.context.tree is first.context.tree
    assert again.context.distance_km is first.context.distance_km
    assert list(again.context.declined) == [(1 << 32) | 2]
    assert len(first.context.declined) == 0


def test_a_new_category_invalidates_the_memo(reference):
    before = reference_service.load_reference()
    added = ProductCategory.objects.create(
        slug="tieu-test", name="Tiêu thử", name_en="Test pepper", parent=reference.agri
    )
    after = reference_service.load_reference()
    assert added.pk not in before.category_index and added.pk in after.category_index
    assert after.fingerprint != before.fingerprint


def test_clear_caches_drops_it(reference):
    before = reference_service.load_reference()
    reference_service.clear_caches()
    assert reference_service.load_reference().category_index is not before.category_index
