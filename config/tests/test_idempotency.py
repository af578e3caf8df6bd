"""Idempotency-Key on the creating API endpoints, and the one-time token of creating pages."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from core.idempotency import FORM_FIELD, form_token
from core.models import IdempotencyKey
from listings.models import Listing
from listings.tests.factories import listing_form_data, listing_payload

pytestmark = pytest.mark.django_db
URL = "/api/v1/listings/"


def _post(api, body, key, **headers):
    return api.post(URL, body, format="json", headers={"Idempotency-Key": key, **headers})


def test_the_same_key_and_body_replay_the_first_answer_and_create_nothing(actors, api):
    client = api.as_user(actors.supplier)
    body = listing_payload(actors.supplier_org)
    first = _post(client, body, "b9a2c3e4-0001")
    again = _post(client, body, "b9a2c3e4-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Listing.objects.filter(organization=actors.supplier_org).count() == 1
    # Without a key, or with another key, each POST creates.
    assert client.post(URL, body, format="json").status_code == 201
    assert _post(client, body, "b9a2c3e4-0002").status_code == 201
    assert Listing.objects.filter(organization=actors.supplier_org).count() == 3


def test_the_same_key_with_another_body_is_a_422(actors, api):
    client = api.as_user(actors.supplier)
    assert _post(client, listing_payload(actors.supplier_org), "k-1").status_code == 201
    other = _post(
        client,
        listing_payload(actors.supplier_org, title="Hồ tiêu đen"),
        "k-1",
        **{"Accept-Language": "en"},
    )
    assert other.status_code == 422
    assert other.json() == {
        "detail": "This Idempotency-Key was already used with a different request.",
        "code": "idempotency_key_reused",
    }
    assert Listing.objects.filter(organization=actors.supplier_org).count() == 1


def test_keys_are_per_caller_and_a_failed_request_can_be_sent_again(actors, api):
    client = api.as_user(actors.supplier)
    bad = _post(client, listing_payload(actors.supplier_org, quantity="-1"), "retry-me")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()  # nothing remembered for a refusal
    fixed = _post(client, listing_payload(actors.supplier_org), "retry-me")
    assert fixed.status_code == 201
    # Another user's identical key is another key.
    buyer = api.as_user(actors.buyer)
    theirs = _post(buyer, listing_payload(actors.buyer_org, side="demand"), "retry-me")
    assert theirs.status_code == 201 and theirs.json()["id"] != fixed.json()["id"]


def test_a_key_is_refused_when_it_is_not_printable_ascii(actors, api):
    client = api.as_user(actors.supplier)
    response = _post(client, listing_payload(actors.supplier_org), "x" * 256)
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert not Listing.objects.exists()


def test_a_repeat_while_the_first_is_processed_is_a_409_and_an_abandoned_one_is_taken_over(
    actors, api
):
    client = api.as_user(actors.supplier)
    body = listing_payload(actors.supplier_org)
    # A first request with this key is still running (its reservation has no answer yet).
    _post(client, body, "first")
    row = IdempotencyKey.objects.get()
    IdempotencyKey.objects.filter(pk=row.pk).update(status_code=None, response=None, key="busy")
    busy = _post(client, body, "busy")
    assert busy.status_code == 409 and busy.json()["code"] == "idempotency_key_in_use"
    # Its process died long ago: a retry goes on and creates.
    IdempotencyKey.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert _post(client, body, "busy").status_code == 201
    assert Listing.objects.count() == 2


def test_expired_keys_are_forgotten(actors, api, settings):
    client = api.as_user(actors.supplier)
    body = listing_payload(actors.supplier_org)
    _post(client, body, "old")
    IdempotencyKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    again = _post(client, body, "old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Listing.objects.count() == 2 and IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_racing_requests_with_one_key_create_one_listing(actors, api, live_server):
    """Two real requests at once (a double click on a slow network), through a live server."""
    import requests
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=actors.supplier).key
    body = listing_payload(actors.supplier_org)
    answers: list[int] = []
    barrier = threading.Barrier(4)

    def send():
        barrier.wait()
        response = requests.post(
            f"{live_server.url}{URL}",
            json=body,
            headers={"Authorization": f"Token {token}", "Idempotency-Key": "race"},
            timeout=30,
        )
        answers.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    connection.close()
    assert Listing.objects.filter(organization=actors.supplier_org).count() == 1
    assert set(answers) <= {201, 409} and answers.count(201) >= 1


def test_the_schema_documents_the_header_and_its_answers(api):
    schema = api.get("/api/schema/?format=json").json()
    for path in ("/api/v1/listings/", "/api/v1/organizations/", "/api/v1/auth/register/"):
        post = schema["paths"][path]["post"]
        headers = [p["name"] for p in post["parameters"] if p["in"] == "header"]
        assert "Idempotency-Key" in headers, path
        assert {"409", "422"} <= set(post["responses"]), path


def test_register_replays_the_created_user(api):
    body = {"username": "htx_eatu", "email": "eatu@example.vn", "password": "Ca-phe-Ea-Tu-2025"}
    first = api.post(
        "/api/v1/auth/register/", body, format="json", headers={"Idempotency-Key": "r"}
    )
    again = api.post(
        "/api/v1/auth/register/", body, format="json", headers={"Idempotency-Key": "r"}
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()


# --- pages -------------------------------------------------------------------------------------


def _token_from(response) -> str:
    html = response.content.decode()
    marker = f'name="{FORM_FIELD}" value="'
    assert marker in html, "the form carries no one-time token"
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_a_second_submit_of_the_listing_form_posts_nothing_and_goes_where_the_first_went(
    client, actors, reference
):
    client.force_login(actors.supplier)
    page = client.get(reverse("listings:create"))
    data = {**listing_form_data(reference, actors.supplier_org), FORM_FIELD: _token_from(page)}
    first = client.post(reverse("listings:create"), data)
    second = client.post(reverse("listings:create"), data, headers={"accept-language": "en"})
    listing = Listing.objects.get(organization=actors.supplier_org)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("listings:detail", kwargs={"pk": listing.pk})
    followed = client.get(second.url, headers={"accept-language": "en"}).content.decode()
    assert "This form was already sent" in followed
    # A fresh form (a new token) posts again.
    fresh = {**data, FORM_FIELD: _token_from(client.get(reverse("listings:create")))}
    assert client.post(reverse("listings:create"), fresh).status_code == 302
    assert Listing.objects.filter(organization=actors.supplier_org).count() == 2


def test_a_refused_listing_form_keeps_its_token_usable(client, actors, reference):
    client.force_login(actors.supplier)
    token = _token_from(client.get(reverse("listings:create")))
    bad = {**listing_form_data(reference, actors.supplier_org, quantity="-5"), FORM_FIELD: token}
    assert client.post(reverse("listings:create"), bad).status_code == 200
    good = {**listing_form_data(reference, actors.supplier_org), FORM_FIELD: token}
    assert client.post(reverse("listings:create"), good).status_code == 302
    assert Listing.objects.count() == 1


def test_another_users_token_gives_no_replay(client, actors, reference, rf):
    request = rf.get("/")
    request.user = actors.buyer
    stolen = form_token(request)
    client.force_login(actors.supplier)
    data = {**listing_form_data(reference, actors.supplier_org), FORM_FIELD: stolen}
    client.post(reverse("listings:create"), data)
    client.post(reverse("listings:create"), data)
    # Not the supplier's token: no guard, and nothing recorded under the buyer's name.
    assert Listing.objects.count() == 2 and not IdempotencyKey.objects.exists()


def test_a_second_submit_of_the_organization_form_creates_one_organization(client, actors):
    client.force_login(actors.outsider)
    url = reverse("accounts:organization-create")
    data = {
        "name": "HTX Nông nghiệp Ea H'leo",
        "kind": "cooperative",
        "province": "Phu Yen",
        FORM_FIELD: _token_from(client.get(url)),
    }
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Organization.objects.filter(name="HTX Nông nghiệp Ea H'leo").count() == 1
