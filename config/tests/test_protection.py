"""Login lockout (django-axes), API throttles and request size limits."""

import uuid
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from accounts.tests.factories import PASSWORD, UserFactory

TOKEN_URL = "/api/v1/auth/token/"
ADMIN_LOGIN_URL = "/admin/login/"
REGISTER_URL = "/api/v1/auth/register/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- login lockout ------------------------------------------------------------------------------


@pytest.fixture
def lockout_after_three(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.fixture
def staff():
    return UserFactory(username="canbo", is_staff=True, is_superuser=True)


def post_token(api, username, password, forwarded_for=None):
    headers = {"accept-language": "en"}
    if forwarded_for:
        headers["x-forwarded-for"] = forwarded_for
    return api.post(
        TOKEN_URL, {"username": username, "password": password}, format="json", headers=headers
    )


def test_token_endpoint_locks_out_after_repeated_failures(api, staff, lockout_after_three):
    failures = [post_token(api, "canbo", "sai-mat-khau") for _ in range(2)]
    assert [r.status_code for r in failures] == [400, 400]
    assert list(failures[0].json()) == ["non_field_errors"]

    third = post_token(api, "canbo", "sai-mat-khau")
    # Now locked: even the right password gets no token.
    with_right_password = post_token(api, "canbo", PASSWORD)

    for response in (third, with_right_password):
        assert response.status_code == 429
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["code"] == "locked_out"
        assert body["detail"] == "Too many failed login attempts. Try again later."
        assert body["retry_after"] == 3600
        assert response["Retry-After"] == "3600"
        assert "token" not in body


def test_lockout_is_per_username_and_address(api, staff, lockout_after_three):
    other = UserFactory(username="nhacungcap")
    for _ in range(3):
        post_token(api, "canbo", "sai-mat-khau")

    assert post_token(api, "canbo", PASSWORD).status_code == 429
    assert post_token(api, other.username, PASSWORD).status_code == 200


def test_lockout_counts_the_client_behind_our_proxy_and_ignores_forged_addresses(
    api, staff, lockout_after_three, settings
):
    settings.NUM_PROXIES = 1
    # The client at 203.0.113.7 prepends a forged address; our one proxy appends the real one.
    for _ in range(3):
        post_token(api, "canbo", "sai-mat-khau", forwarded_for="198.51.100.1, 203.0.113.7")

    forged_again = post_token(api, "canbo", PASSWORD, forwarded_for="198.51.100.99, 203.0.113.7")
    colleague = post_token(api, "canbo", PASSWORD, forwarded_for="203.0.113.8")

    assert forged_again.status_code == 429
    assert colleague.status_code == 200


def page_login(client, url, password):
    return client.post(
        url, {"username": "canbo", "password": password}, headers={"accept-language": "en"}
    )


@pytest.mark.parametrize("url_name", ["admin:login", "accounts:login"])
def test_login_pages_lock_out_after_repeated_failures(client, staff, lockout_after_three, url_name):
    url = reverse(url_name)
    for _ in range(2):
        response = page_login(client, url, "sai")
        assert response.status_code == 200  # the form again, with its error

    locked = page_login(client, url, "sai")
    right_password = page_login(client, url, PASSWORD)

    for response in (locked, right_password):
        assert response.status_code == 429
        assert response["Retry-After"] == "3600"
        assert response.content.decode() == "Too many failed login attempts. Try again later."
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still asked to log in


# --- throttles ----------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """Three anonymous and five authenticated requests a minute, counted in a fresh cache.

    DRF copies ``DEFAULT_THROTTLE_RATES`` onto ``SimpleRateThrottle`` when it is imported, so
    the class attribute is what a test must change. The counters live in their own key space
    of the real Redis, so neither other tests nor parallel runs touch them.
    """
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "5/min"})
    prefix = f"ops-throttle-{uuid.uuid4().hex}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/12",
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        from django.core.cache import cache

        yield
        cache.clear()


def test_anonymous_callers_are_throttled(api, low_rates):
    answers = [api.get("/api/v1/units/") for _ in range(4)]

    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    throttled = answers[-1]
    assert throttled["Content-Type"] == "application/json"
    assert "detail" in throttled.json()
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_authenticated_callers_have_their_own_higher_rate(api, low_rates):
    for _ in range(3):
        api.get("/api/v1/units/")
    assert api.get("/api/v1/units/").status_code == 429  # anonymous bucket used up

    user = UserFactory()
    client = api.as_user(user)
    answers = [client.get("/api/v1/units/") for _ in range(6)]

    assert [r.status_code for r in answers] == [200] * 5 + [429]
    assert "detail" in answers[-1].json()


def test_other_users_are_not_throttled_by_one_users_traffic(api, low_rates):
    busy, quiet = UserFactory(), UserFactory()
    for _ in range(5):
        api.as_user(busy).get("/api/v1/units/")
    assert api.as_user(busy).get("/api/v1/units/").status_code == 429

    assert api.as_user(quiet).get("/api/v1/units/").status_code == 200


# --- request size -------------------------------------------------------------------------------


@pytest.fixture
def small_bodies(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.IMPORT_MAX_BYTES = 4096


def test_an_oversized_json_body_gets_a_413_json_answer(api, small_bodies):
    payload = {"username": "x" * 2000, "email": "a@example.vn", "password": "p"}

    response = api.post(REGISTER_URL, payload, format="json")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert "1024" in response.json()["detail"]
    assert not get_user_model().objects.filter(email="a@example.vn").exists()


def test_a_body_within_the_limit_goes_through(api, small_bodies):
    response = api.post(
        REGISTER_URL,
        {"username": "nongdan", "email": "nongdan@example.vn", "password": "Mat-khau-dai-123"},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["username"] == "nongdan"


def test_an_upload_may_carry_a_file_up_to_the_import_limit(api, small_bodies):
    """Multipart bodies get room for one import file; oversized form fields still fail cleanly."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("listings.csv", b"a" * 3000, content_type="text/csv")
    with_file = api.post(
        REGISTER_URL,
        {"username": "htx", "email": "htx@example.vn", "password": "Mat-khau-dai-123", "f": upload},
        format="multipart",
    )
    big_field = api.post(
        REGISTER_URL,
        {"username": "y" * 2000, "email": "y@example.vn", "password": "p"},
        format="multipart",
    )

    assert with_file.status_code == 201
    # Under the multipart allowance, but the form fields alone exceed the limit: Django raises
    # RequestDataTooBig while DRF parses, and the answer is still a 413 in JSON.
    assert big_field.status_code == 413
    assert big_field.json()["code"] == "request_too_large"


def test_too_many_form_fields_is_a_400_json_answer(api, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = {f"field{i}": "x" for i in range(10)}

    response = api.post(REGISTER_URL, fields, format="multipart")

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_fields"


def test_an_oversized_page_form_gets_a_413_page(client, small_bodies):
    form = urlencode({"username": "canbo", "password": "x" * 2000})

    response = client.post(ADMIN_LOGIN_URL, form, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/plain")
    assert "1024" in response.content.decode()


# --- password spray -----------------------------------------------------------------------------


def test_a_password_spray_across_usernames_from_one_address_is_locked_out(api, settings):
    """Ten usernames, one wrong password each: no username reaches its own limit, but the
    address does; a successful login of the sprayer's own account does not reset it."""
    settings.AXES_IP_FAILURE_RATE = "5/h"
    n = uuid.uuid4().int
    sprayer = f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"
    victims = [UserFactory(username=f"nan_nhan_{i}") for i in range(7)]
    own = UserFactory(username="ke_tan_cong")

    def attempt(username, password, address=sprayer):
        body = {"username": username, "password": password}
        return api.post(TOKEN_URL, body, format="json", REMOTE_ADDR=address)

    first = [attempt(v.username, "123456").status_code for v in victims[:4]]
    assert first == [400] * 4
    assert attempt(own.username, PASSWORD).status_code == 200  # axes resets its own rows
    assert attempt(victims[4].username, "123456").status_code == 400  # the fifth failure
    # The address is now locked for every username, even with the right password.
    assert attempt(victims[5].username, PASSWORD).status_code == 429
    assert attempt(own.username, PASSWORD).status_code == 429
    # Another address logs in as usual.
    assert attempt(victims[5].username, PASSWORD, address="192.0.2.10").status_code == 200
