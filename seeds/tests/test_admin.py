"""The admin an officer works in: every page loads, searches ignore diacritics, actions work.

The page tests loop over ``admin.site._registry``, so models registered later are covered.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Organization
from accounts.tests.factories import make_officer
from catalog.models import Product, Province

UNACCENTED_TERM = "ha noi"


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def results(response):
    return list(response.context["cl"].result_list)


@pytest.fixture
def superuser(seeded):
    return get_user_model().objects.create_superuser("root", "root@example.com", "x-Pass-123")


@pytest.fixture
def root_client(client, superuser):
    client.force_login(superuser)
    return client


def test_every_changelist_search_add_and_change_page_loads(root_client, superuser):
    request = RequestFactory().get("/")
    request.user = superuser
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = changelist(model)
        response = root_client.get(url)
        assert response.status_code == 200, url
        if model_admin.get_search_fields(request):
            response = root_client.get(url, {"q": UNACCENTED_TERM})
            assert response.status_code == 200, f"{url}?q={UNACCENTED_TERM}"
        if model_admin.has_add_permission(request):
            add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
            assert root_client.get(add).status_code == 200, add
        obj = model._default_manager.first()
        if obj is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            assert root_client.get(change).status_code == 200, change


@pytest.mark.parametrize(
    ("model", "term", "expected"),
    [
        (Province, "kon tum", "Quảng Ngãi"),  # a legacy name
        (Province, "daklak", "Đắk Lắk"),  # compact form
        (Province, "sai gon", "Hồ Chí Minh"),  # a spelling
        (Product, "ca phe buon ma thuot", "Cà phê Buôn Ma Thuột"),
        (Product, "tom su", "Tôm sú Cà Mau"),  # the category's name
        (Organization, "so cong thuong ha noi", "Sở Công Thương Hà Nội"),
    ],
)
def test_search_ignores_diacritics(root_client, model, term, expected):
    response = root_client.get(changelist(model), {"q": term})
    assert expected in [str(obj) for obj in results(response)]


def test_search_in_small_tables_folds_in_python(root_client):
    from catalog.models import Region
    from matchmaking.models import CooperationProgramme

    found = results(root_client.get(changelist(Region), {"q": "tay nguyen"}))
    assert [r.code for r in found] == ["central-highlands"]
    found = results(root_client.get(changelist(CooperationProgramme), {"q": "tay nguyen"}))
    assert [p.slug for p in found] == ["hcmc-central-highlands"]


def test_autocomplete_uses_the_folded_search(root_client):
    response = root_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "catalog",
            "model_name": "product",
            "field_name": "origin_province",
            "term": "quang ngai",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Quảng Ngãi"]


def test_verify_action_records_who_and_when(root_client, superuser):
    organization = Organization.objects.get(name="Sở Công Thương Cần Thơ")
    Organization.objects.filter(pk=organization.pk).update(verified=False)
    response = root_client.post(
        changelist(Organization),
        {"action": "verify_organizations", "_selected_action": [organization.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.verified
    assert organization.verified_by == superuser
    assert organization.verified_at is not None
    assert "1 organization verified." in response.content.decode()

    root_client.post(
        changelist(Organization),
        {"action": "unverify_organizations", "_selected_action": [organization.pk]},
    )
    organization.refresh_from_db()
    assert (organization.verified, organization.verified_by, organization.verified_at) == (
        False,
        None,
        None,
    )


def test_the_source_of_a_seeded_row_is_read_only(root_client):
    seeded_product = Product.objects.get(name="Cà phê Buôn Ma Thuột")
    url = reverse("admin:catalog_product_change", args=[seeded_product.pk])
    form = root_client.get(url).context["adminform"].form
    assert "source" not in form.fields
    assert "category" in form.fields

    own = Product.objects.create(
        name="Cà phê thử", name_en="Test coffee", category=seeded_product.category,
        origin_province=seeded_product.origin_province,
    )  # fmt: skip
    url = reverse("admin:catalog_product_change", args=[own.pk])
    assert "source" in root_client.get(url).context["adminform"].form.fields


def test_province_page_shows_its_legacy_names_inline(root_client):
    province = Province.objects.get(code="51")
    response = root_client.get(reverse("admin:catalog_province_change", args=[province.pk]))
    assert "Kon Tum" in response.content.decode()


def test_an_officer_cannot_hand_out_admin_rights(seeded, client):
    officer = make_officer("officer-a")
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "x-Pass-123")
    client.force_login(officer)
    own = client.get(reverse("admin:accounts_user_change", args=[officer.pk]))
    assert own.status_code == 200
    assert "is_superuser" not in own.context["adminform"].form.fields
    assert "groups" not in own.context["adminform"].form.fields
    # Another staff account, and its password, are out of reach.
    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    assert client.get(password_url).status_code == 403


def test_products_filter_by_product_group(root_client):
    response = root_client.get(changelist(Product), {"group": "seafood"})
    found = results(response)
    assert found and "Tôm sú Cà Mau" in [p.name for p in found]
    seafood = {"seafood", "shrimp", "black-tiger-shrimp", "whiteleg-shrimp", "pangasius", "crab"}
    assert {p.category.slug for p in found} <= seafood


def test_an_officer_adds_a_business_user_with_email_and_language(seeded, client):
    officer = make_officer("officer-d")
    client.force_login(officer)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "htx-moi",
            "email": "htx-moi@example.com",
            "preferred_language": "en",
            "usable_password": "true",
            "password1": "Kh0ng-de-doan!",
            "password2": "Kh0ng-de-doan!",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = get_user_model().objects.get(username="htx-moi")
    assert (user.email, user.preferred_language, user.is_staff) == (
        "htx-moi@example.com",
        "en",
        False,
    )
