"""The organization rules (``accounts/services.py``): members edit their organization, officers
verify it but do not rewrite it; and the same rule answered at every door."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.models import Membership
from accounts.selectors import organization_ids_of
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_creator_becomes_the_owner_and_cannot_verify_it(actors, reference):
    user = UserFactory()
    assert organization_ids_of(user) == frozenset()  # read once, kept for the request

    org = services.organization_create(
        owner=user, name="HTX Mới", kind="cooperative", province=reference.daklak, verified=True
    )

    assert org.verified is False
    assert Membership.objects.get(organization=org).role == Membership.Role.OWNER
    assert organization_ids_of(user) == {org.pk}  # the kept set was refreshed


def test_members_edit_their_organization(actors):
    services.organization_update(
        organization=actors.supplier_org, by_user=actors.supplier, contact_person="Người mới"
    )
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.contact_person == "Người mới"


def test_an_edit_never_verifies(actors):
    services.organization_update(
        organization=actors.supplier_org, by_user=actors.supplier, verified=True
    )
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.verified is False


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("officer", "Officers verify an organization"),
        ("superuser", "Officers verify an organization"),
        ("buyer", "Only members of this organization"),
        ("nobody", "Only members of this organization"),
    ],
)
def test_others_do_not_rewrite_it(actors, who, message):
    users = {
        "officer": actors.officer,
        "superuser": UserFactory(is_staff=True, is_superuser=True),
        "buyer": actors.buyer,
        "nobody": None,
    }
    with pytest.raises(PermissionDenied, match=message):
        services.organization_update(
            organization=actors.supplier_org, by_user=users[who], name="Chiếm quyền"
        )
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.name == "HTX Cà phê Ea Tu"


def test_a_bad_edit_is_a_field_error(actors):
    with pytest.raises(ValidationError) as exc:
        services.organization_update(
            organization=actors.supplier_org, by_user=actors.supplier, tax_code="123"
        )
    assert set(exc.value.message_dict) == {"tax_code"}


def test_only_officers_verify(actors):
    with pytest.raises(PermissionDenied, match="Only trade-promotion officers"):
        services.organization_verify(organization=actors.supplier_org, by_user=actors.supplier)
    services.organization_verify(organization=actors.supplier_org, by_user=actors.officer)
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.verified and actors.supplier_org.verified_by == actors.officer
    services.organization_verify(
        organization=actors.supplier_org, by_user=actors.officer, verified=False
    )
    actors.supplier_org.refresh_from_db()
    assert (actors.supplier_org.verified, actors.supplier_org.verified_by) == (False, None)


def test_officers_register_a_business_without_joining_it(actors, reference):
    org = services.organization_register(
        by_user=actors.officer, name="HTX Đăng ký", kind="cooperative", province=reference.daklak
    )
    assert not org.memberships.exists()
    with pytest.raises(PermissionDenied):
        services.organization_register(
            by_user=actors.supplier, name="Khác", kind="cooperative", province=reference.daklak
        )


# --- one rule, every door -------------------------------------------------------------------


def _api(client, actors, who):
    client.force_authenticate(getattr(actors, who))
    url = f"/api/v1/organizations/{actors.supplier_org.pk}/"
    return client.patch(url, {"name": "Đổi tên"}, format="json").status_code


def _page(client, actors, who):
    client.force_login(getattr(actors, who))
    url = reverse("accounts:organization-edit", args=[actors.supplier_org.pk])
    data = {
        "name": "Đổi tên",
        "kind": "cooperative",
        "province": "Đắk Lắk",
        "contact_person": "Nguyễn Văn A",
    }
    return client.post(url, data).status_code


def _admin(client, actors, who):
    from django.contrib.auth.models import Group, Permission

    from accounts.models import OFFICERS_GROUP

    user = getattr(actors, who)
    if who == "supplier":
        user.is_staff = True
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename="change_organization"))
    Group.objects.get(name=OFFICERS_GROUP).permissions.add(
        *Permission.objects.filter(codename__in=["view_organization", "change_organization"])
    )
    client.force_login(user)
    url = f"/admin/accounts/organization/{actors.supplier_org.pk}/change/"
    data = {
        "name": "Đổi tên",
        "kind": "cooperative",
        "province": actors.supplier_org.province_id,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return client.post(url, data).status_code


DOORS = {"api": _api, "page": _page, "admin": _admin}


@pytest.mark.parametrize("door", DOORS)
def test_an_officer_rewrites_at_no_door(api, client, actors, door):
    DOORS[door](api if door == "api" else client, actors, "officer")
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.name == "HTX Cà phê Ea Tu"


@pytest.mark.parametrize("door", DOORS)
def test_a_member_rewrites_at_every_door(api, client, actors, door):
    answer = DOORS[door](api if door == "api" else client, actors, "supplier")
    assert answer in (200, 302)
    actors.supplier_org.refresh_from_db()
    assert actors.supplier_org.name == "Đổi tên"


def test_the_model_stores_clean_text_whatever_path_saves_it(actors, reference):
    """Control characters leave at ``full_clean()`` (core.cleaning), whoever saves."""
    from accounts.models import Organization
    from accounts.services import organization_create

    organization = organization_create(
        owner=actors.outsider,
        name="HTX\r\nNông sản\x01 Lâm Đồng",
        kind=Organization.Kind.COOPERATIVE,
        province=reference.lamdong,
        address="Thôn 1\x1b",
        description="Dòng 1\r\nDòng 2\x07",
    )
    organization.refresh_from_db()
    assert organization.name == "HTX Nông sản Lâm Đồng"
    assert organization.address == "Thôn 1"
    assert organization.description == "Dòng 1\nDòng 2"
