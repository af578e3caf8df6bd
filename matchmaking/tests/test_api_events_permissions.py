"""Who may call each connection-event endpoint: supplier, buyer, outsider, anonymous, officer.

The supplier and the buyer are registered with a scheduled meeting between them (requested by
the supplier); the outsider is a member of another organization that is not registered.
Nothing is changed by a refused call.
"""

import pytest

from matchmaking.models import Meeting
from matchmaking.tests.factories import (
    open_event,
    register,
    scheduled_meeting,
    supply_and_demand_match,
)

pytestmark = pytest.mark.django_db

ACTORS = ("supplier", "buyer", "outsider", "anonymous", "officer")


@pytest.fixture
def world(actors, reference):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    register(event, actors.supplier_org, [match.supply], sessions=[0])
    register(event, actors.buyer_org, [match.demand], sessions=[0])
    return event, scheduled_meeting(event, actors, time_limit=5)


def call(api, actors, who, method, url, data=None):
    api.force_authenticate(user=None if who == "anonymous" else getattr(actors, who))
    return getattr(api, method)(url, data or {}, format="json")


# (method, url template, expected status per actor in ACTORS order)
MATRIX = [
    ("get", "/api/v1/events/{e}/", (200, 200, 200, 200, 200)),
    ("patch", "/api/v1/events/{e}/", (403, 403, 403, 401, 200)),
    ("post", "/api/v1/events/{e}/schedule/", (403, 403, 403, 401, 200)),
    ("get", "/api/v1/events/{e}/registrations/", (200, 200, 200, 200, 200)),
    ("get", "/api/v1/events/{e}/suggested-meetings/?organization={s}", (200, 403, 403, 401, 200)),
    ("get", "/api/v1/events/{e}/agenda/?organization={s}", (200, 403, 403, 401, 200)),
    ("get", "/api/v1/events/{e}/agenda.ics?organization={b}", (403, 200, 403, 401, 200)),
    ("get", "/api/v1/meetings/{m}/", (200, 200, 404, 401, 200)),
    ("post", "/api/v1/meetings/{m}/accept/", (403, 409, 404, 401, 403)),
    ("post", "/api/v1/meetings/{m}/decline/", (403, 409, 404, 401, 403)),
    ("post", "/api/v1/meetings/{m}/outcome/", (409, 409, 404, 401, 403)),
    ("post", "/api/v1/meetings/{m}/cancel/", (200, 409, 404, 401, 403)),
]


@pytest.mark.parametrize("method, template, expected", MATRIX)
@pytest.mark.parametrize("who", ACTORS)
def test_the_permission_matrix(api, actors, world, method, template, expected, who):
    event, meeting = world
    url = template.format(e=event.pk, m=meeting.pk, s=actors.supplier_org.pk, b=actors.buyer_org.pk)
    data = {"held": True} if url.endswith("outcome/") else None
    before = (meeting.status, meeting.starts_at, meeting.table)
    response = call(api, actors, who, method, url, data)
    code = expected[ACTORS.index(who)]
    if who == "buyer" and url.endswith("cancel/"):
        code = 200  # either side cancels
    assert response.status_code == code, response.content
    meeting.refresh_from_db()
    if code >= 400:
        assert (meeting.status, meeting.starts_at, meeting.table) == before


@pytest.mark.parametrize("who, code", [("outsider", 403), ("anonymous", 401), ("officer", 403)])
def test_only_members_register_their_organization(api, actors, reference, who, code):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    payload = {
        "organization": actors.supplier_org.pk,
        "listings": [match.supply.pk],
        "sessions": [0],
    }
    url = f"/api/v1/events/{event.pk}/registrations/"
    assert call(api, actors, who, "post", url, payload).status_code == code
    assert call(api, actors, "supplier", "post", url, payload).status_code == 201


@pytest.mark.parametrize("who, code", [("buyer", 403), ("outsider", 400), ("anonymous", 401)])
def test_only_members_of_a_registered_requester_ask(api, actors, reference, who, code):
    event = open_event(reference)
    match = supply_and_demand_match(actors, reference)
    register(event, actors.supplier_org, [match.supply])
    register(event, actors.buyer_org, [match.demand])
    requester = actors.outsider_org if who == "outsider" else actors.supplier_org
    payload = {"requester": requester.pk, "counterpart": actors.buyer_org.pk}
    url = f"/api/v1/events/{event.pk}/meetings/"
    assert call(api, actors, who, "post", url, payload).status_code == code
    assert not Meeting.objects.exists()
