"""The listing rules (``listings/services/rules.py``), through the services: who may do what,
the status moves, "expired" by the system only, the window; and, at the end, the same rule
answered at every door (API, page, admin). The cross-field checks: ``test_services_writes.py``."""

import datetime
import itertools
import warnings
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from catalog.models import Unit
from core.errors import DomainError
from listings import services
from listings.models import Listing
from listings.services import SYSTEM, TRANSITIONS, IllegalStatusChange
from listings.tests.factories import make_listing
from listings.tests.factories import posted_listing as _create

# Messages are matched in English; a few tests ask for Vietnamese on purpose.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Status = Listing.Status
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _messages(exc: ValidationError, field: str) -> list[str]:
    return exc.value.message_dict[field]


# --- who posts ------------------------------------------------------------------------------


def test_a_member_posts_for_their_organization(actors, reference):
    listing = _create(actors, reference, by_user=actors.supplier)
    assert listing.created_by == actors.supplier


@pytest.mark.parametrize("who", ["buyer", "outsider", "officer"])
def test_others_may_not_post_for_an_organization(actors, reference, who):
    with pytest.raises(PermissionDenied, match="organization you belong to"):
        _create(actors, reference, by_user=getattr(actors, who))
    assert not Listing.objects.exists()


def test_an_officer_enters_listings_for_any_organization_on_its_behalf(actors, reference):
    listing = _create(actors, reference, by_user=actors.officer, on_behalf=True)
    assert listing.created_by == actors.officer
    with pytest.raises(PermissionDenied, match="Only trade-promotion officers"):
        _create(actors, reference, by_user=actors.buyer, on_behalf=True)


def test_the_platform_posts_as_system_and_is_nobody(actors, reference):
    assert _create(actors, reference, by_user=SYSTEM).created_by is None


def test_a_missing_actor_is_the_platform_but_says_it_is_deprecated(actors, reference):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listing = services.listing_create(
            organization=actors.supplier_org,
            side="supply",
            title="Không ai",
            category=reference.robusta,
            quantity=Decimal("1"),
            unit=Unit.objects.get(code="kg"),
            province=reference.daklak,
            available_from=TODAY,
            available_until=TODAY + DAY,
        )
    assert listing.created_by is None
    assert [w.category for w in caught] == [DeprecationWarning]
    assert "by_user=SYSTEM" in str(caught[0].message)
    assert caught[0].filename == __file__  # it names the caller to change


# --- who changes what -----------------------------------------------------------------------


def test_a_member_changes_anything(actors, listing):
    services.listing_update(listing=listing, by_user=actors.supplier, title="Mới", status="paused")
    listing.refresh_from_db()
    assert (listing.title, listing.status) == ("Mới", "paused")


def test_an_officer_closes_someone_elses_listing(actors, listing):
    services.listing_set_status(listing=listing, status="closed", by_user=actors.officer)
    listing.refresh_from_db()
    assert listing.status == "closed"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "paused"},
        {"title": "Sửa bởi cán bộ"},
        {"status": "closed", "title": "x"},
        {},
    ],
)
def test_an_officer_does_not_rewrite_a_members_listing(actors, listing, fields):
    with pytest.raises(PermissionDenied, match="Officers may only close"):
        services.listing_update(listing=listing, by_user=actors.officer, **fields)
    listing.refresh_from_db()
    assert (listing.status, listing.title) == ("open", "Cà phê Robusta nhân xô")


def test_an_officer_does_not_change_certifications(actors, reference, listing):
    with pytest.raises(PermissionDenied):
        services.listing_update(
            listing=listing, by_user=actors.officer, certifications=[reference.organic]
        )


def test_a_superuser_counts_as_an_officer(actors, listing):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    with pytest.raises(PermissionDenied, match="Officers may only close"):
        services.listing_update(listing=listing, by_user=root, title="x")
    with pytest.raises(PermissionDenied):
        services.listing_delete(listing=listing, by_user=root)
    services.listing_set_status(listing=listing, status="closed", by_user=root)
    services.listing_hide(listing=listing, by_user=root)
    listing.refresh_from_db()
    assert (listing.status, listing.hidden) == ("closed", True)


@pytest.mark.parametrize("who", ["buyer", "outsider"])
def test_non_members_change_nothing(actors, listing, who):
    with pytest.raises(PermissionDenied, match="Only members"):
        services.listing_set_status(listing=listing, status="closed", by_user=getattr(actors, who))


def test_nobody_at_all_changes_nothing(listing):
    with pytest.raises(PermissionDenied):
        services.listing_update(listing=listing, by_user=None, title="x")


def test_the_check_runs_on_a_request_before_it_is_parsed(actors, listing):
    """What the API asks before parsing a body: a close is ``{"status": "closed"}``."""
    services.check_change(listing=listing, by_user=actors.officer, fields={"status": "closed"})
    for body in ({"status": "paused"}, {"status": "closed", "quantity": "1"}, None):
        with pytest.raises(PermissionDenied):
            services.check_change(listing=listing, by_user=actors.officer, fields=body)
    services.check_change(listing=listing, by_user=actors.supplier, fields=None)


def test_side_and_organization_are_fixed(actors, listing):
    with pytest.raises(ValidationError) as exc:
        services.listing_update(
            listing=listing, by_user=actors.supplier, side="demand", organization=actors.buyer_org
        )
    assert set(exc.value.message_dict) == {"side", "organization"}
    same = services.listing_update(
        listing=listing, by_user=actors.supplier, side="supply", organization=actors.supplier_org
    )
    assert same.side == "supply"


def test_members_delete_officers_do_not(actors, listing):
    with pytest.raises(PermissionDenied, match="Officers close or hide"):
        services.listing_delete(listing=listing, by_user=actors.officer)
    with pytest.raises(PermissionDenied, match="Only members"):
        services.listing_delete(listing=listing, by_user=actors.buyer)
    services.listing_delete(listing=listing, by_user=actors.supplier)
    assert not Listing.objects.exists()


def test_officers_hide_members_do_not(actors, listing):
    with pytest.raises(PermissionDenied, match="Only trade-promotion officers"):
        services.listing_hide(listing=listing, by_user=actors.supplier)
    services.listing_hide(listing=listing, by_user=actors.officer)
    services.listing_hide(listing=listing, by_user=actors.officer, hidden=False)
    services.listing_hide(listing=listing, by_user=SYSTEM)
    listing.refresh_from_db()
    assert listing.hidden is True


def test_what_each_viewer_may_do(actors, listing):
    assert services.may_edit(actors.supplier, listing)
    assert not services.may_edit(actors.officer, listing)
    assert services.next_statuses(listing, actors.supplier) == TRANSITIONS["open"]
    assert services.next_statuses(listing, actors.officer) == ("closed",)
    assert services.next_statuses(listing, actors.buyer) == ()
    Listing.objects.filter(pk=listing.pk).update(status="draft")
    listing.refresh_from_db()
    assert services.next_statuses(listing, actors.officer) == ()  # a draft is not closed


# --- status moves ---------------------------------------------------------------------------

PERSON_MOVES = [
    (before, after)
    for before, after in itertools.product(Status.values, Status.values)
    if after != Status.EXPIRED or before == Status.EXPIRED
]


@pytest.mark.parametrize(("before", "after"), PERSON_MOVES)
def test_the_status_moves_follow_the_table(actors, listing, before, after):
    Listing.objects.filter(pk=listing.pk).update(status=before)
    listing.refresh_from_db()
    allowed = after == before or after in TRANSITIONS[before]
    if allowed:
        services.listing_set_status(listing=listing, status=after, by_user=actors.supplier)
        listing.refresh_from_db()
        assert listing.status == after
    else:
        with pytest.raises(IllegalStatusChange) as exc:
            services.listing_set_status(listing=listing, status=after, by_user=actors.supplier)
        assert isinstance(exc.value, DomainError) and exc.value.status_code == 409
        assert str(Status(before).label) in exc.value.message
        listing.refresh_from_db()
        assert listing.status == before


def test_every_status_has_a_way_out_but_expired_is_only_reached_by_the_job():
    assert set(TRANSITIONS) == set(Status.values)
    assert all(Status.EXPIRED not in moves for moves in TRANSITIONS.values())


@pytest.mark.parametrize("before", [s for s in Status.values if s != Status.EXPIRED])
def test_a_person_never_sets_expired(actors, listing, before):
    Listing.objects.filter(pk=listing.pk).update(status=before)
    listing.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.listing_set_status(listing=listing, status="expired", by_user=actors.supplier)
    assert "set by the system" in _messages(exc, "status")[0]


def test_a_new_listing_is_never_expired(actors, reference):
    with pytest.raises(ValidationError) as exc:
        _create(actors, reference, by_user=actors.supplier, status="expired")
    assert "set by the system" in _messages(exc, "status")[0]


def test_the_nightly_job_is_the_one_path_to_expired(actors, listing):
    assert services.listings_expire(today=listing.available_until + DAY) == 1
    listing.refresh_from_db()
    assert listing.status == "expired"
    # An expired listing keeps its status while its members fix the dates, then reopens.
    services.listing_update(listing=listing, by_user=actors.supplier, title="Vụ sau")
    services.listing_update(
        listing=listing,
        by_user=actors.supplier,
        status="open",
        available_until=TODAY + 90 * DAY,
    )
    listing.refresh_from_db()
    assert listing.status == "open"


# --- the window -----------------------------------------------------------------------------

PAST = {"available_from": TODAY - 10 * DAY, "available_until": TODAY - DAY}
OPEN_PAST = "A listing that is open cannot end in the past."
NEVER_OPENED = "could never be opened"


def test_an_open_listing_cannot_end_in_the_past(actors, reference):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _create(actors, reference, by_user=actors.supplier, **PAST)
    assert _messages(exc, "available_until") == [OPEN_PAST]


@pytest.mark.parametrize("status", ["draft", "paused"])
def test_a_listing_not_open_is_told_what_applies_to_it(actors, reference, status):
    """Issue 10: a draft with past dates is not "a listing that is open"."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _create(actors, reference, by_user=actors.supplier, status=status, **PAST)
    [message] = _messages(exc, "available_until")
    assert NEVER_OPENED in message and message != OPEN_PAST


def test_a_closed_listing_may_keep_dates_that_have_passed(actors, reference):
    closed = _create(actors, reference, by_user=actors.supplier, status="closed", **PAST)
    assert closed.status == "closed"
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.listing_set_status(listing=closed, status="open", by_user=actors.supplier)
    assert _messages(exc, "available_until") == [OPEN_PAST]


def test_a_paused_listing_moved_into_the_past_is_refused(actors, listing):
    services.listing_set_status(listing=listing, status="paused", by_user=actors.supplier)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        services.listing_update(listing=listing, by_user=actors.supplier, **PAST)
    assert NEVER_OPENED in _messages(exc, "available_until")[0]


def test_an_unchanged_end_date_does_not_block_other_edits(actors, listing):
    """The nightly job will expire it; until then its members may still fix a typo."""
    Listing.objects.filter(pk=listing.pk).update(**PAST)
    listing.refresh_from_db()
    services.listing_update(
        listing=listing,
        by_user=actors.supplier,
        title="Sửa chính tả",
        available_until=listing.available_until,
    )
    listing.refresh_from_db()
    assert listing.title == "Sửa chính tả"


# --- one rule, every door -------------------------------------------------------------------


def _api(api, actors, listing, who, status):
    response = api.as_user(getattr(actors, who)).patch(
        f"/api/v1/listings/{listing.pk}/", {"status": status}, format="json"
    )
    return response.status_code


def _page(client, actors, listing, who, status):
    client.force_login(getattr(actors, who))
    response = client.post(reverse("listings:status", args=[listing.pk]), {"status": status})
    return response.status_code


def _admin(client, actors, listing, who, status):
    from django.contrib.auth.models import Group, Permission

    from accounts.models import OFFICERS_GROUP

    user = getattr(actors, who)
    Group.objects.get(name=OFFICERS_GROUP).permissions.add(
        *Permission.objects.filter(codename__in=["view_listing", "change_listing"])
    )
    client.force_login(user)
    url = f"/admin/listings/listing/{listing.pk}/change/"
    return client.post(url, {"status": status}).status_code


DOORS = {"api": _api, "page": _page, "admin": _admin}
# What each door answers when the rule says yes, and when it says no.
ALLOWED = {"api": 200, "page": 302, "admin": 302}
REFUSED = {"api": 403, "page": 403, "admin": 200}  # the admin shows it as a form error


@pytest.mark.parametrize("door", DOORS)
def test_an_officer_closes_at_every_door(api, client, actors, listing, door):
    assert (
        DOORS[door](api if door == "api" else client, actors, listing, "officer", "closed")
        == (ALLOWED[door])
    )
    listing.refresh_from_db()
    assert listing.status == "closed"


@pytest.mark.parametrize("door", DOORS)
def test_an_officer_pauses_at_no_door(api, client, actors, listing, door):
    answer = DOORS[door](api if door == "api" else client, actors, listing, "officer", "paused")
    assert answer == REFUSED[door]
    listing.refresh_from_db()
    assert listing.status == "open"


@pytest.mark.parametrize("door", ["api", "page"])
def test_an_illegal_move_is_refused_at_every_door(api, client, actors, reference, door):
    draft = make_listing(organization=actors.supplier_org, reference=reference, status="draft")
    answer = DOORS[door](api if door == "api" else client, actors, draft, "supplier", "paused")
    assert answer == {"api": 409, "page": 302}[door]  # the page says it in a message
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_api_answers_an_illegal_move_with_409_and_the_message(api, actors, reference):
    draft = make_listing(organization=actors.supplier_org, reference=reference, status="draft")
    response = api.as_user(actors.supplier).patch(
        f"/api/v1/listings/{draft.pk}/",
        {"status": "closed"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A listing cannot go from “Draft” to “Closed”.",
        "code": "illegal_status_change",
    }
