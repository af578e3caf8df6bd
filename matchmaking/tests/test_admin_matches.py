"""The officers' admin of matches: filters, folded search, actions, export, introductions,
match runs, and the read-only audit trail and notifications."""

from __future__ import annotations

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import NoReverseMatch, clear_url_caches, reverse

from accounts.models import OFFICERS_GROUP
from accounts.tests.factories import UserFactory
from catalog.models import Source
from matchmaking.models import CooperationProgramme, Match, MatchRun, MatchTransition
from matchmaking.services import notifications, review
from matchmaking.tests.factories import (
    _fast_password_hasher,  # noqa: F401 - autouse fixture
    demand_listing,
    supply_and_demand_match,
    supply_listing,
)

pytestmark = pytest.mark.django_db
S = Match.Status


@pytest.fixture(autouse=True)
def admin_registered():
    """``matchmaking/admin.py`` imports ``admin_matches``; make sure the URLs include it."""
    from matchmaking import admin_matches  # noqa: F401

    try:
        reverse("admin:matchmaking_match_changelist")
    except NoReverseMatch:
        import config.urls

        importlib.reload(config.urls)
        clear_url_caches()


@pytest.fixture
def officer(actors):
    """The officer with the permissions ``seed`` gives the "Trade officers" group."""
    group = Group.objects.get(name=OFFICERS_GROUP)
    perms = Permission.objects.filter(content_type__app_label="matchmaking").filter(
        codename__regex=r"^(view|change)_|^add_matchrun$"
    )
    group.permissions.add(*perms)
    return actors.officer


def admin_client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def changelist_ids(client, **params) -> set[int]:
    response = client.get(reverse("admin:matchmaking_match_changelist"), params)
    assert response.status_code == 200, response.content[:500]
    return {int(i) for i in re.findall(r'name="_selected_action" value="(\d+)"', response.content.decode())}  # fmt: skip


@pytest.fixture
def matches(actors, reference):
    """Three matches: coffee Đắk Lắk → HCMC, durian Lâm Đồng → HCMC (officer-made, hidden),
    coffee Đắk Lắk → Lâm Đồng (expired)."""
    coffee = supply_and_demand_match(actors, reference)
    durian_supply = supply_listing(
        actors, reference, title="Sầu riêng Ri6 Bảo Lộc", category=reference.durian,
        province=reference.lamdong,
    )  # fmt: skip
    durian = supply_and_demand_match(
        actors, reference, supply=durian_supply,
        demand=demand_listing(actors, reference, title="Cần sầu riêng", category=reference.durian),
        origin=Match.Origin.OFFICER, hidden=True,
    )  # fmt: skip
    expired = supply_and_demand_match(
        actors, reference,
        demand=demand_listing(actors, reference, organization=actors.outsider_org,
                              title="Quán cà phê Đà Lạt", province=reference.lamdong),
        status=S.EXPIRED,
    )  # fmt: skip
    return coffee, durian, expired


def test_access(matches, actors, officer):
    url = reverse("admin:matchmaking_match_changelist")
    assert admin_client(officer).get(url).status_code == 200
    response = admin_client(actors.supplier).get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    staff_without_rights = UserFactory(is_staff=True)
    assert admin_client(staff_without_rights).get(url).status_code == 403


def test_filters(matches, reference, officer):
    coffee, durian, expired = matches
    client = admin_client(officer)
    assert changelist_ids(client) == {coffee.pk, durian.pk, expired.pk}
    assert changelist_ids(client, status="expired") == {expired.pk}
    assert changelist_ids(client, origin="officer") == {durian.pk}
    assert changelist_ids(client, hidden__exact="1") == {durian.pk}
    assert changelist_ids(client, supply__province__id__exact=reference.lamdong.pk) == {durian.pk}
    assert changelist_ids(client, region="southeast") == {coffee.pk, durian.pk}
    assert changelist_ids(client, category="coffee") == {coffee.pk, expired.pk}
    assert changelist_ids(client, category="agricultural") == {coffee.pk, durian.pk, expired.pk}

    source = Source.objects.create(key="test", outlet="Báo", title="HCMC–Central Highlands")
    programme = CooperationProgramme.objects.create(
        slug="hcmc-highlands", name="TP.HCM – Tây Nguyên", name_en="HCMC – Highlands",
        source=source,
    )  # fmt: skip
    programme.provinces.add(reference.daklak, reference.hcmc)
    # Both provinces in the programme: Đắk Lắk → HCMC only.
    assert changelist_ids(client, programme="hcmc-highlands") == {coffee.pk}


def test_folded_search_on_titles_and_organizations(matches, officer):
    _coffee, durian, expired = matches
    client = admin_client(officer)
    assert changelist_ids(client, q="sau rieng bao loc") == {durian.pk}
    assert changelist_ids(client, q="SÀI GÒN sau rieng") == {durian.pk}  # org name + title
    assert changelist_ids(client, q="da lat") == {expired.pk}
    assert changelist_ids(client, q="khong co gi") == set()


def test_hide_unhide_and_reopen_actions(matches, officer):
    coffee, durian, expired = matches
    client = admin_client(officer)
    url = reverse("admin:matchmaking_match_changelist")
    response = client.post(
        url, {"action": "hide_matches", "_selected_action": [coffee.pk]}, follow=True
    )
    assert "1 hidden." in response.content.decode()
    coffee.refresh_from_db()
    assert coffee.hidden
    transition = coffee.transitions.get()
    assert (transition.by_user, transition.as_officer, transition.note) == (
        officer,
        True,
        "hidden",
    )

    client.post(url, {"action": "unhide_matches", "_selected_action": [coffee.pk, durian.pk]})
    coffee.refresh_from_db()
    durian.refresh_from_db()
    assert not coffee.hidden and not durian.hidden

    response = client.post(
        url, {"action": "reopen_matches", "_selected_action": [coffee.pk, expired.pk]}, follow=True
    )
    html = response.content.decode()
    assert "1 reopened for another review period." in html
    assert "1 skipped: only expired proposals can be reopened." in html
    expired.refresh_from_db()
    assert expired.status == S.PROPOSED and expired.respond_by is not None


def test_view_only_officers_get_no_actions(matches, actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(Permission.objects.get(codename="view_match"))
    html = admin_client(actors.officer).get(reverse("admin:matchmaking_match_changelist"))
    assert "hide_matches" not in html.content.decode()


def test_change_view_is_read_only_with_trail_and_contacts(matches, actors, officer):
    coffee = matches[0]
    review.match_accept(match=coffee, by_user=actors.supplier)
    client = admin_client(officer)
    response = client.get(reverse("admin:matchmaking_match_change", args=[coffee.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in html and "deletelink" not in html
    assert "Accepted by the supplier" in html  # the transition inline
    assert actors.buyer_org.email in html and actors.supplier_org.email in html
    assert "Same category: Robusta coffee" in html
    history = client.get(reverse("admin:matchmaking_match_history", args=[coffee.pk]))
    assert history.status_code == 200
    assert (
        reverse("admin:matchmaking_match_add")
        not in client.get(reverse("admin:matchmaking_match_changelist")).content.decode()
    )


def test_export_resource_and_page(matches, officer):
    from matchmaking.admin_matches import MatchResource

    coffee = matches[0]
    dataset = MatchResource().export(Match.objects.filter(pk=coffee.pk))
    assert dataset.headers[:5] == [
        "id", "supply", "supply_title", "supply_organization", "supply_province",
    ]  # fmt: skip
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["supply_title"] == "Cà phê Robusta nhân xô Ea Tu"
    assert row["demand_organization"] == "Công ty Phân phối Sài Gòn"
    assert row["status"] == "proposed" and row["category"] == "robusta"
    assert "Cà phê Robusta nhân xô Ea Tu" in dataset.csv
    client = admin_client(officer)
    page = client.get(reverse("admin:matchmaking_match_export"))
    assert page.status_code == 200
    assert "xlsx" in page.content.decode().lower()


def test_introduce_a_match_by_hand(actors, reference, officer):
    supply = supply_listing(actors, reference, title="Hồ tiêu Chư Sê")
    demand = demand_listing(actors, reference, title="Cần mua hồ tiêu xuất khẩu")
    client = admin_client(officer)
    url = reverse("admin:matchmaking_match_introduce")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "introduce/listings/?side=supply" in html and "introduce/listings/?side=demand" in html

    search = client.get(reverse("admin:matchmaking_match_introduce_listings"),
                        {"side": "supply", "term": "ho tieu"}).json()  # fmt: skip
    assert [r["id"] for r in search["results"]] == [str(supply.pk)]
    assert search["results"][0]["text"].startswith(f"#{supply.pk} Hồ tiêu Chư Sê — HTX")
    assert client.get(reverse("admin:matchmaking_match_introduce_listings"),
                      {"side": "demand", "term": "ho tieu"}).json()["results"][0]["id"] == str(demand.pk)  # fmt: skip

    response = client.post(url, {"supply": supply.pk, "demand": demand.pk, "note": "Hội nghị"})
    match = Match.objects.get(supply=supply, demand=demand)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:matchmaking_match_change", args=[match.pk])
    assert (match.origin, match.introduced_by, match.status) == ("officer", officer, "proposed")

    again = client.post(url, {"supply": supply.pk, "demand": demand.pk})
    assert again.status_code == 200
    assert "These two listings are already matched." in again.content.decode()
    own = demand_listing(actors, reference, organization=actors.supplier_org)
    wrong = client.post(url, {"supply": supply.pk, "demand": own.pk})
    assert "Both listings belong to the same organization." in wrong.content.decode()
    assert client.post(url, {"supply": demand.pk, "demand": supply.pk}).status_code == 200


def test_only_officers_introduce(actors, reference):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_match"))
    client = admin_client(staff)
    assert client.get(reverse("admin:matchmaking_match_introduce")).status_code == 403
    assert client.get(reverse("admin:matchmaking_match_introduce_listings"),
                      {"side": "supply"}).status_code == 403  # fmt: skip


def test_match_runs_are_read_only_and_a_full_rematch_starts_from_the_button(
    actors, reference, officer
):
    supply_listing(actors, reference)
    client = admin_client(officer)
    url = reverse("admin:matchmaking_matchrun_changelist")
    html = client.get(url).content.decode()
    assert 'data-testid="start-rematch"' in html
    response = client.post(reverse("admin:matchmaking_matchrun_start"))
    assert response.status_code == 302 and response["Location"] == url
    run = MatchRun.objects.get(kind=MatchRun.Kind.FULL)
    assert run.requested_by == officer
    html = client.get(url).content.decode()
    assert "<progress" in html
    assert client.get(reverse("admin:matchmaking_matchrun_start")).status_code == 405
    assert (
        client.get(reverse("admin:matchmaking_matchrun_change", args=[run.pk])).status_code == 200
    )
    assert "addlink" not in html


def test_transitions_and_notifications_are_listed_read_only(matches, actors, officer):
    coffee = matches[0]
    notifications.notify_new_proposals([coffee])
    review.match_decline(match=coffee, by_user=actors.buyer, reason="price", note="đắt")
    client = admin_client(officer)
    html = client.get(reverse("admin:matchmaking_matchtransition_changelist")).content.decode()
    assert "Declined" in html
    transition = MatchTransition.objects.get(match=coffee)
    page = client.get(reverse("admin:matchmaking_matchtransition_change", args=[transition.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    html = client.get(
        reverse("admin:matchmaking_notification_changelist"), {"read": "no"}
    ).content.decode()
    # Worded when read, in the officer's language (this admin page is in English).
    assert html.count("New proposal for") == 2  # the supplier's and the buyer's copy
    assert html.count('class="field-kind"') == 3  # and the supplier's "declined"
