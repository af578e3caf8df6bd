"""A person's own account (``accounts/account.py``, ``accounts/views_account.py``): password
reset by email, email change confirmed by a signed link, deletion that keeps the history."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts import account
from accounts.models import Membership, Organization
from accounts.tests.factories import PASSWORD, UserFactory
from core.tests.pages import field_errors

EN = {"accept-language": "en"}
VI = {"accept-language": "vi"}


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


# --- password reset -------------------------------------------------------------------------


@pytest.mark.parametrize(("headers", "words"), [(EN, "Choose a new password"), (VI, "mật khẩu")])
def test_password_reset_sends_a_link_that_sets_a_new_password(client, db, headers, words):
    user = UserFactory(email="lienhe@eatu.vn")

    response = client.post(
        reverse("accounts:password_reset"), {"email": "lienhe@eatu.vn"}, headers=headers
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["lienhe@eatu.vn"]
    assert words in mail.outbox[0].subject
    path = link_in(mail.outbox[0]).split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert 'name="new_password1"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


def test_password_reset_says_the_same_for_an_unknown_address(client, db):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.vn"})

    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_is_refused_in_words(client, db):
    response = client.get(
        reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]), headers=EN
    )

    assert 'data-testid="invalid-link"' in response.content.decode()


def test_the_login_page_links_to_the_reset(client, db):
    html = client.get(reverse("accounts:login"), headers=VI).content.decode()

    assert reverse("accounts:password_reset") in html


# --- email change ---------------------------------------------------------------------------


def test_an_email_change_applies_only_once_the_link_is_opened(client, db):
    user = UserFactory(email="old@eatu.vn", preferred_language="en")
    client.force_login(user)

    response = client.post(
        reverse("accounts:settings"), {"email": "new@eatu.vn", "password": PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "old@eatu.vn"
    assert mail.outbox[0].to == ["new@eatu.vn"]
    assert mail.outbox[0].subject == "Confirm your new email address"
    path = link_in(mail.outbox[0]).split("8000", 1)[-1]
    page = client.get(path, headers=EN)
    assert 'data-testid="email-changed"' in page.content.decode()
    user.refresh_from_db()
    assert user.email == "new@eatu.vn"
    again = client.get(path, headers=EN)
    assert again.status_code == 400
    assert "already been used" in again.content.decode()


def test_an_email_change_needs_the_current_password(client, db):
    user = UserFactory(email="old@eatu.vn")
    client.force_login(user)

    response = client.post(
        reverse("accounts:settings"), {"email": "new@eatu.vn", "password": "wrong"}, headers=VI
    )

    assert "không phải mật khẩu hiện tại" in field_errors(response.content.decode(), "password")
    assert mail.outbox == []


def test_an_email_of_another_account_is_refused(client, db):
    UserFactory(email="taken@eatu.vn")
    user = UserFactory(email="old@eatu.vn")
    client.force_login(user)

    response = client.post(
        reverse("accounts:settings"), {"email": "TAKEN@eatu.vn", "password": PASSWORD}, headers=EN
    )

    assert "already exists" in field_errors(response.content.decode(), "email")


def test_a_tampered_or_expired_link_changes_nothing(client, db, settings):
    user = UserFactory(email="old@eatu.vn")
    token = signing.dumps(
        {"u": user.pk, "old": "old@eatu.vn", "new": "evil@x.vn"}, salt="another-salt"
    )

    response = client.get(reverse("accounts:email-confirm", args=[token]), headers=EN)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "old@eatu.vn"


def test_a_link_opened_by_someone_else_signed_in_is_refused(client, db):
    user = UserFactory(email="old@eatu.vn")
    token = account.email_change_request(user=user, new_email="new@eatu.vn", password=PASSWORD)
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:email-confirm", args=[token]))

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email == "old@eatu.vn"


# --- deletion -------------------------------------------------------------------------------


def test_deleting_the_account_anonymises_it_and_keeps_the_organizations_history(
    client, reference, actors
):
    user = actors.supplier
    Token.objects.create(user=user)
    organization = actors.supplier_org
    history_before = organization.history.count()
    client.force_login(user)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    assert user.username == f"deleted-{user.pk}" and user.email == ""
    assert not Membership.objects.filter(user=user).exists()
    assert not Token.objects.filter(user=user).exists()
    assert Organization.objects.filter(pk=organization.pk).exists()
    assert organization.history.count() == history_before
    assert "_auth_user_id" not in client.session
    login = client.post(
        reverse("accounts:login"), {"username": f"deleted-{user.pk}", "password": PASSWORD}
    )
    assert login.status_code == 200 and "_auth_user_id" not in client.session


def test_deleting_needs_the_password_and_the_confirmation(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:delete"), {"password": "wrong", "confirm": "on"}, headers=EN
    )

    assert "not your current password" in field_errors(response.content.decode(), "password")
    user.refresh_from_db()
    assert user.is_active
    response = client.post(reverse("accounts:delete"), {"password": PASSWORD}, headers=EN)
    assert field_errors(response.content.decode(), "confirm")
    user.refresh_from_db()
    assert user.is_active


def test_account_pages_need_a_login(client, db):
    for name in ("accounts:settings", "accounts:delete"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/" in response.url
