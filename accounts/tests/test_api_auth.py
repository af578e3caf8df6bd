"""``/api/v1/auth/register/`` and ``/api/v1/auth/token/``."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"


def test_register_then_token_then_me(api):
    response = api.post(
        REGISTER,
        {"username": "ntlan", "email": "lan@example.vn", "password": "Cà-phê-Buôn-Ma-Thuột-2025"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "username": "ntlan",
        "email": "lan@example.vn",
        "preferred_language": "vi",
        "email_notifications": True,
        "is_officer": False,
    }
    user = get_user_model().objects.get(username="ntlan")
    assert user.check_password("Cà-phê-Buôn-Ma-Thuột-2025")

    token = api.post(
        TOKEN, {"username": "ntlan", "password": "Cà-phê-Buôn-Ma-Thuột-2025"}, format="json"
    ).json()["token"]
    assert token == Token.objects.get(user=user).key
    me = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["username"] == "ntlan"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "a", "email": "a@example.vn", "password": "123"}, "password"),
        ({"username": "a", "email": "a@example.vn", "password": "password"}, "password"),
        ({"username": "a", "email": "not-an-email", "password": "Kh0ng-de-doan!"}, "email"),
        ({"username": "a b/c", "email": "a@example.vn", "password": "Kh0ng-de-doan!"}, "username"),
        ({"username": "", "email": "a@example.vn", "password": "Kh0ng-de-doan!"}, "username"),
        ({"username": ["a"], "email": "a@example.vn", "password": "Kh0ng-de-doan!"}, "username"),
        (
            {"username": "\x00\x1b", "email": "a@example.vn", "password": "Kh0ng-de-doan!"},
            "username",
        ),
        ({"username": 12345, "email": "a@example.vn", "password": "Kh0ng-de-doan!"}, "username"),
        (
            {"username": "a" * 151, "email": "a@example.vn", "password": "Kh0ng-de-doan!"},
            "username",
        ),
        ({"email": "a@example.vn", "password": "Kh0ng-de-doan!"}, "username"),
        (
            {"username": "a", "email": "a@example.vn", "password": "x", "preferred_language": "fr"},
            "preferred_language",
        ),
    ],
)
def test_register_refuses_bad_input(api, body, field):
    response = api.post(REGISTER, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert get_user_model().objects.count() == 0


def test_register_refuses_a_taken_username_or_email_in_both_languages(api, actors):
    taken = {"username": actors.supplier.username, "email": "new@example.vn"}
    body = {**taken, "password": "Kh0ng-de-doan!"}
    english = api.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["username"] == ["A user with that username already exists."]
    vietnamese = api.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert vietnamese["username"] == ["Tên đăng nhập đã được sử dụng"]

    body = {"username": "new", "email": actors.supplier.email.upper(), "password": "Kh0ng-de-doan!"}
    assert api.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["email"] == [
        "A user with this email already exists."
    ]
    assert api.post(REGISTER, body, format="json", HTTP_ACCEPT_LANGUAGE="vi").json()["email"] == [
        "Đã có người dùng với địa chỉ email này."
    ]


def test_register_with_malformed_json(api):
    response = api.post(REGISTER, data="{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider", "officer"])
def test_every_actor_gets_their_own_token(api, actors, who):
    user = getattr(actors, who)
    response = api.post(TOKEN, {"username": user.username, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}


def test_a_wrong_password_gets_no_token_in_both_languages(api, actors):
    body = {"username": actors.supplier.username, "password": "sai"}
    english = api.post(TOKEN, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json() == {
        "non_field_errors": ["Unable to log in with the given username and password."]
    }
    vietnamese = api.post(TOKEN, body, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert vietnamese.json() == {
        "non_field_errors": ["Không đăng nhập được với tên đăng nhập và mật khẩu này."]
    }
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(api, actors):
    actors.supplier.is_active = False
    actors.supplier.save()
    body = {"username": actors.supplier.username, "password": PASSWORD}
    assert api.post(TOKEN, body, format="json").status_code == 400


def test_repeated_failures_lock_the_username_out(api, actors, settings):
    settings.AXES_FAILURE_LIMIT = 3
    body = {"username": actors.supplier.username, "password": "sai"}
    for _ in range(3):
        api.post(TOKEN, body, format="json")
    locked = api.post(
        TOKEN, {"username": actors.supplier.username, "password": PASSWORD}, format="json"
    )
    assert locked.status_code in (403, 429)
    assert "token" not in locked.json()


def test_a_bad_token_is_401(api):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."} or "detail" in response.json()


@pytest.mark.parametrize("url", [REGISTER, TOKEN])
def test_auth_endpoints_only_take_post(api, url):
    assert api.get(url).status_code == 405
