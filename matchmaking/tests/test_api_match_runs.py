"""Staff start a full re-match through the API and watch it; nobody else may."""

import pytest

from matchmaking.models import Match, MatchRun
from matchmaking.tests.factories import matchable_demand as _demand
from matchmaking.tests.factories import matchable_supply as _supply

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/match-runs/"


@pytest.mark.parametrize("who", ["supplier", "buyer", "outsider", "anonymous"])
def test_only_officers_start_a_run(api, actors, who):
    client = api if who == "anonymous" else api.as_user(getattr(actors, who))
    response = client.post(URL, {}, format="json")
    assert response.status_code in (401, 403)
    assert "detail" in response.json()
    assert not MatchRun.objects.filter(kind=MatchRun.Kind.FULL).exists()


def test_an_officer_starts_a_run_that_completes_within_the_request_when_embedded(
    api, actors, reference
):
    _supply(actors, reference)
    _demand(actors, reference)
    Match.objects.all().delete()

    response = api.as_user(actors.officer).post(URL, {}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "full"
    assert body["status"] == "done"  # tasks run in-process without Redis
    assert body["progress"] == 1.0
    assert body["proposals_created"] == 1
    assert body["chunks_done"] == body["chunks_total"] >= 1
    assert Match.objects.count() == 1

    detail = api.get(f"{URL}{body['id']}/")
    assert detail.status_code == 200
    assert detail.json()["candidate_pairs"] >= 1


def test_members_cannot_read_runs(api, actors):
    run = MatchRun.objects.create(kind=MatchRun.Kind.FULL)
    response = api.as_user(actors.supplier).get(f"{URL}{run.pk}/")
    assert response.status_code == 403
