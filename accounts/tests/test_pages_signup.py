"""Sign-up states every rule at once (``accounts/forms.py`` with the service's checks), and a
new organization is offered its first listing with its province filled in."""

import re

import pytest
from django.urls import reverse

from accounts.models import Organization
from accounts.tests.factories import signup_data
from core.tests.pages import field_errors

EN = {"accept-language": "en"}
VI = {"accept-language": "vi"}


def test_username_and_password_rules_are_stated_together_on_the_first_submit(client, db):
    data = signup_data(username="htx ea tu", password1="12345678", password2="12345679")

    html = client.post(reverse("accounts:signup"), data, headers=EN).content.decode()

    assert "Enter a valid username" in field_errors(html, "username")
    password_errors = field_errors(html, "password1")
    assert "entirely numeric" in password_errors and "too common" in password_errors
    assert "The two passwords differ." in field_errors(html, "password2")


def test_a_password_like_the_username_is_refused_with_the_rest(client, db):
    data = signup_data(username="caphe eatu", password1="caphe eatu", password2="caphe eatu")

    html = client.post(reverse("accounts:signup"), data, headers=VI).content.decode()

    assert field_errors(html, "username")
    assert "quá giống" in field_errors(html, "password1")


def test_the_rules_are_written_beside_the_fields_before_any_submit(client, db):
    html = client.get(reverse("accounts:signup"), headers=EN).content.decode()

    assert "no spaces" in html
    assert "not like your username or email" in html


def test_a_valid_signup_still_creates_the_account(client, db):
    response = client.post(reverse("accounts:signup"), signup_data())

    assert response.status_code == 302


def test_a_new_organization_is_offered_its_first_listing(client, reference, actors):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    data = {
        "name": "HTX Cà phê Buôn Hồ",
        "kind": "cooperative",
        "province": "Phu Yen",
        "contact_person": "Y Bih",
        "phone": "0262 3812 345",
        "email": "htx@buonho.vn",
    }

    response = client.post(reverse("accounts:organization-create"), data, headers=EN)
    organization = Organization.objects.get(name="HTX Cà phê Buôn Hồ")
    page = client.get(response.url, headers=EN).content.decode()

    assert response.url == f"{reverse('accounts:organizations')}?created={organization.pk}"
    assert 'data-testid="first-listing"' in page
    link = f"{reverse('listings:create')}?organization={organization.pk}&amp;side=supply"
    assert link in page

    form = client.get(link.replace("&amp;", "&"), headers=EN).content.decode()
    assert f'value="{reference.daklak.name}"' in form  # the organization's province
    assert f'<option value="{organization.pk}" selected>' in form


def test_the_listing_form_takes_only_an_organization_of_the_user(client, reference, actors):
    client.force_login(actors.supplier)

    form = client.get(
        reverse("listings:create"), {"organization": actors.buyer_org.pk}, headers=EN
    ).content.decode()

    # Only the organization field's own options count (other fields have values too).
    field = re.search(r'<select name="organization".*?</select>', form, re.S).group(0)
    offered = re.findall(r'<option value="(\d+)"', field)
    assert offered == [str(actors.supplier_org.pk)]  # the supplier's only organization
    assert str(actors.buyer_org.pk) not in offered
    assert f'value="{reference.daklak.name}"' in form


@pytest.mark.parametrize("headers", [EN, VI])
def test_the_first_listing_step_speaks_both_languages(client, reference, actors, headers):
    client.force_login(actors.supplier)

    page = client.get(
        reverse("accounts:organizations"), {"created": actors.supplier_org.pk}, headers=headers
    ).content.decode()

    expected = "Post its first listing" if headers is EN else "Đăng tin đầu tiên"
    assert expected in page
