"""The catalog admin's search ignores diacritics (FoldedSearchMixin), on the small fixture."""

import pytest
from django.urls import reverse

from catalog.models import LegacyName

pytestmark = pytest.mark.django_db


def found(admin_client, model_name, term):
    response = admin_client.get(reverse(f"admin:catalog_{model_name}_changelist"), {"q": term})
    assert response.status_code == 200
    return [str(obj) for obj in response.context["cl"].result_list]


def test_provinces_by_unaccented_legacy_and_compact_names(admin_client, reference):
    legacy = LegacyName.objects.get(name="Đắk Nông").province.name
    assert found(admin_client, "province", "dak nong") == [legacy]
    assert found(admin_client, "province", "tp hcm") == ["Hồ Chí Minh"]
    assert found(admin_client, "province", "daklak") == ["Đắk Lắk"]
    assert found(admin_client, "province", "LAM DONG") == ["Lâm Đồng"]
    assert found(admin_client, "province", "68") == ["Lâm Đồng"]  # raw search on the code
    assert found(admin_client, "province", "hà nội") == []


def test_every_word_must_match(admin_client, reference):
    assert found(admin_client, "province", "ho chi minh") == ["Hồ Chí Minh"]
    assert found(admin_client, "province", "ho lak") == []


def test_categories_by_synonym(admin_client, reference):
    assert found(admin_client, "productcategory", "ca phe voi") == ["Cà phê Robusta"]
    assert set(found(admin_client, "productcategory", "ca phe")) == {"Cà phê", "Cà phê Robusta"}


def test_small_tables_are_folded_in_python(admin_client, reference):
    assert found(admin_client, "certification", "huu co") == ["Hữu cơ"]
    assert found(admin_client, "unit", "tan") == ["tấn (tonne)"]
    assert found(admin_client, "region", "tay nguyen") == ["Tây Nguyên"]


def test_legacy_names_by_compact_form(admin_client, reference):
    assert found(admin_client, "legacyname", "tphcm") == ["TP HCM → Hồ Chí Minh"]


def test_a_legacy_name_that_folds_to_an_existing_one_is_refused(admin_client, reference):
    response = admin_client.post(
        reverse("admin:catalog_legacyname_add"),
        {"name": "TP. HCM", "kind": "spelling", "legacy_code": "", "province": reference.hcmc.pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"] == [
        "“TP. HCM” is already recorded as “TP HCM → Hồ Chí Minh”."
    ]
    assert LegacyName.objects.filter(province=reference.hcmc).count() == 1
