"""Sign-up, log-in/out with the user's language, and the organization pages."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Membership, Organization
from accounts.tests.factories import PASSWORD, UserFactory, signup_data
from core.tests.pages import field_errors

EN = {"accept-language": "en"}
User = get_user_model()


def org_data(**overrides) -> dict:
    data = {
        "name": "HTX Nông nghiệp Ea H'leo",
        "kind": "cooperative",
        "province": "Phu Yen",  # a pre-2025 province, without accents
        "address": "Thị trấn Ea Drăng",
        "tax_code": "6001234567",
        "contact_person": "Y Bih Niê",
        "phone": "0262 3812 345",
        "email": "htx@eahleo.vn",
        "website": "https://eahleo.vn",
        "description": "Cà phê Robusta",
    }
    data.update(overrides)
    return data


# --- sign up, log in, log out ---------------------------------------------------------------


def test_signup_creates_the_user_logs_in_and_applies_the_language(client, db):
    response = client.post(reverse("accounts:signup"), signup_data())

    user = User.objects.get(username="htx_eatu")
    assert response.status_code == 302
    assert response.url == reverse("accounts:organization-create")
    assert user.email == "lienhe@eatu.vn" and user.preferred_language == "en"
    assert user.check_password("Ca-phe-Ea-Tu-2025")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("listings:mine")).status_code == 200  # logged in


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something-else-42"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": "not-an-email"}, "email"),
        ({"username": "có dấu cách"}, "username"),
        ({"preferred_language": "fr"}, "preferred_language"),
    ],
)
def test_signup_errors_show_next_to_their_field(client, db, overrides, field):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))

    assert response.status_code == 200
    assert field_errors(response.content.decode(), field), field
    assert not User.objects.exists()


def test_signup_refuses_a_taken_username_or_email(client, db):
    UserFactory(username="htx_eatu", email="lienhe@eatu.vn")

    taken_name = client.post(reverse("accounts:signup"), signup_data()).content.decode()
    taken_email = client.post(
        reverse("accounts:signup"), signup_data(username="other")
    ).content.decode()

    assert field_errors(taken_name, "username")
    assert field_errors(taken_email, "email")
    assert User.objects.count() == 1


def test_signup_page_renders_for_anonymous_and_redirects_the_logged_in(client, db):
    assert 'name="password2"' in client.get(reverse("accounts:signup")).content.decode()

    client.force_login(UserFactory())
    assert client.get(reverse("accounts:signup")).status_code == 302


def test_login_applies_the_preferred_language(client, db):
    UserFactory(username="buyer_en", preferred_language="en")

    response = client.post(
        reverse("accounts:login"), {"username": "buyer_en", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("listings:mine")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("listings:mine")).content.decode()
    assert '<html lang="en">' in html


def test_login_with_a_wrong_password_says_so(client, db):
    UserFactory(username="someone")

    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": "wrong"}, headers=EN
    )

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, db):
    client.force_login(UserFactory())

    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302 and response.url == reverse("home")
    assert "_auth_user_id" not in client.session


def test_header_has_the_language_switch_for_everyone(client, db):
    html = client.get(reverse("home")).content.decode()

    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="vi"' in html and 'name="language" value="en"' in html
    assert '<html lang="vi">' in html


def test_set_language_switches_the_pages_to_english(client, reference):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("listings:browse")}
    )

    assert response.status_code == 302
    html = client.get(reverse("listings:browse")).content.decode()
    assert '<html lang="en">' in html
    assert "Agricultural products" in html  # category names follow the page language


# --- organizations --------------------------------------------------------------------------


def test_organization_pages_need_login(client, db):
    for url in (
        reverse("accounts:organizations"),
        reverse("accounts:organization-create"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_creating_an_organization_makes_the_user_its_owner(client, reference):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:organization-create"), org_data())

    organization = Organization.objects.get(name="HTX Nông nghiệp Ea H'leo")
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:organizations')}?created={organization.pk}"
    assert organization.province == reference.daklak
    assert organization.verified is False
    assert Membership.objects.get(organization=organization).user == user
    assert Membership.objects.get(organization=organization).role == "owner"


def test_a_name_with_control_characters_is_saved_on_one_line(client, reference):
    """The probe's "\r" in a name stopped every email digest after it (issue 16, finding 3)."""
    client.force_login(UserFactory())

    data = {**org_data(), "name": "HTX\rNông nghiệp\x1b Ea H'leo", "address": "Thôn 2\r\n"}
    response = client.post(reverse("accounts:organization-create"), data)

    assert response.status_code == 302
    organization = Organization.objects.get()
    assert organization.name == "HTX Nông nghiệp Ea H'leo"
    assert organization.address == "Thôn 2"


def test_creating_an_organization_returns_to_next(client, reference):
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:organization-create"), {**org_data(), "next": "/listings/new/"}
    )

    assert response.url == "/listings/new/"


def test_creating_an_organization_ignores_an_offsite_next(client, reference):
    client.force_login(UserFactory())

    response = client.post(
        reverse("accounts:organization-create"), {**org_data(), "next": "https://evil.test/"}
    )

    assert response.url.startswith(f"{reverse('accounts:organizations')}?created=")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"tax_code": "12345"}, "tax_code"),
        ({"phone": "abc"}, "phone"),
        ({"province": "Atlantis"}, "province"),
        ({"kind": "pirate"}, "kind"),
        ({"website": "not a url"}, "website"),
    ],
)
def test_organization_errors_show_next_to_their_field_and_nothing_is_saved(
    client, reference, overrides, field
):
    client.force_login(UserFactory())

    response = client.post(reverse("accounts:organization-create"), org_data(**overrides))

    assert response.status_code == 200
    assert field_errors(response.content.decode(), field), field
    assert not Organization.objects.exists()
    assert not Membership.objects.exists()


def test_the_same_name_in_the_same_province_is_refused(client, reference, actors):
    client.force_login(actors.buyer)

    response = client.post(
        reverse("accounts:organization-create"),
        org_data(name=actors.supplier_org.name, province="Đắk Lắk"),
    )

    assert response.status_code == 200
    assert 'class="form-errors"' in response.content.decode()
    assert Organization.objects.filter(name=actors.supplier_org.name).count() == 1


def test_members_edit_their_organization(client, reference, actors):
    org = actors.supplier_org
    client.force_login(actors.supplier)
    url = reverse("accounts:organization-edit", args=[org.pk])

    form_html = client.get(url).content.decode()
    assert 'value="Đắk Lắk"' in form_html  # the province box shows the province's name

    response = client.post(url, org_data(name="HTX Cà phê Ea Tú", province="Lâm Đồng"))

    org.refresh_from_db()
    assert response.status_code == 302
    assert (org.name, org.province) == ("HTX Cà phê Ea Tú", reference.lamdong)


def test_a_rejected_edit_changes_nothing(client, reference, actors):
    org = actors.supplier_org
    client.force_login(actors.supplier)

    response = client.post(
        reverse("accounts:organization-edit", args=[org.pk]),
        org_data(name="Tên mới", tax_code="bad"),
    )

    org.refresh_from_db()
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "tax_code")
    assert org.name == "HTX Cà phê Ea Tu"


def test_non_members_cannot_edit_an_organization(client, reference, actors):
    org = actors.supplier_org
    client.force_login(actors.outsider)
    url = reverse("accounts:organization-edit", args=[org.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, org_data(name="Chiếm quyền")).status_code == 403
    org.refresh_from_db()
    assert org.name == "HTX Cà phê Ea Tu"


def test_officers_verify_but_do_not_rewrite_an_organization(client, reference, actors):
    """Stricter than before (issue 9): an officer no longer edits a member's organization
    through the page, as the API already refused; verifying stays theirs (admin, API)."""
    client.force_login(actors.officer)
    url = reverse("accounts:organization-edit", args=[actors.buyer_org.pk])

    page = client.get(url)
    response = client.post(
        url, org_data(name="Công ty Phân phối Sài Gòn (đã xác minh)", province="TP HCM")
    )

    actors.buyer_org.refresh_from_db()
    assert page.status_code == 403 and response.status_code == 403
    assert actors.buyer_org.name == "Công ty Phân phối Sài Gòn"


def test_my_organizations_lists_only_mine(client, reference, actors):
    client.force_login(actors.supplier)

    html = client.get(reverse("accounts:organizations")).content.decode()

    assert actors.supplier_org.name in html
    assert actors.buyer_org.name not in html
    assert reverse("accounts:organization-edit", args=[actors.supplier_org.pk]) in html
