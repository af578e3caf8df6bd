"""Sign-ups per address (page and API), counted in the real Redis cache."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.ratelimit import Rate, parse_rate

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_rates_are_read_as_drf_writes_them_and_with_a_multiple():
    assert parse_rate("5/10m") == Rate(limit=5, seconds=600)
    assert parse_rate("100/hour") == Rate(limit=100, seconds=3600)
    assert parse_rate("3/min") == Rate(limit=3, seconds=60)
    with pytest.raises(ValueError):
        parse_rate("five a minute")


@pytest.fixture
def address():
    """An address of its own, so counters left in Redis by other runs never count here."""
    n = uuid.uuid4().int
    return f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"


def _page_signup(client, address, i, **overrides):
    data = {
        "username": f"htx_{i}",
        "email": f"htx{i}@eatu.vn",
        "password1": "Ca-phe-Ea-Tu-2025",
        "password2": "Ca-phe-Ea-Tu-2025",
        "preferred_language": "en",
        **overrides,
    }
    client.logout()
    return client.post(
        reverse("accounts:signup"), data, REMOTE_ADDR=address, headers={"accept-language": "en"}
    )


def test_the_signup_page_allows_five_accounts_per_address_then_says_why(client, settings, address):
    settings.SIGNUP_RATE = "5/10m"
    # A form error (passwords differ) is not a sign-up and costs nothing.
    typo = _page_signup(client, address, 0, password2="other")
    assert typo.status_code == 200
    answers = [_page_signup(client, address, i).status_code for i in range(1, 7)]
    assert answers == [302] * 5 + [429]
    refused = _page_signup(client, address, 7)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) == 600
    assert "Too many sign-ups from your address" in refused.content.decode()
    assert 'name="username"' in refused.content.decode()  # the form, kept as typed
    assert User.objects.filter(username__startswith="htx_").count() == 5
    # Another address is not affected.
    assert _page_signup(client, "192.0.2.77", 8).status_code == 302


def test_the_register_api_counts_the_same_sign_ups(api, client, settings, address):
    settings.SIGNUP_RATE = "2/10m"
    _page_signup(client, address, 1)  # one on the page ...
    body = {"username": "api_1", "email": "api1@eatu.vn", "password": "Ca-phe-Ea-Tu-2025"}
    first = api.post("/api/v1/auth/register/", body, format="json", REMOTE_ADDR=address)
    body = {"username": "api_2", "email": "api2@eatu.vn", "password": "Ca-phe-Ea-Tu-2025"}
    second = api.post(
        "/api/v1/auth/register/",
        body,
        format="json",
        REMOTE_ADDR=address,
        headers={"accept-language": "en"},
    )
    assert first.status_code == 201  # ... and one through the API: the limit is reached
    assert second.status_code == 429
    assert "throttled" in second.json()["detail"].lower()
    assert not User.objects.filter(username="api_2").exists()
