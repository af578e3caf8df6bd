"""The "Trade officers" group: what officers may do, kept in sync by re-seeding."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import OFFICERS_GROUP
from accounts.tests.factories import make_officer
from seeds.data.officers import APPS
from seeds.loaders import seed_all
from seeds.sync import UPDATED


def codenames(group):
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_officers_see_and_change_everything_in_their_apps(seeded):
    granted = codenames(Group.objects.get(name=OFFICERS_GROUP))
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.model_name
            assert f"{label}.view_{name}" in granted
            if not name.startswith("historical"):
                assert f"{label}.change_{name}" in granted
    assert {"listings.add_listing", "listings.delete_listing"} <= granted
    assert "accounts.add_organization" in granted
    assert "matchmaking.view_match" in granted and "matchmaking.change_match" in granted
    # Not sensible for officers: deleting businesses or users, rewriting audit history.
    assert "accounts.delete_organization" not in granted
    assert "accounts.delete_user" not in granted
    assert "accounts.change_historicalorganization" not in granted
    assert not any(p.startswith(("auth.", "admin.")) for p in granted)


def test_reseeding_puts_back_what_was_removed(seeded):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.remove(Permission.objects.get(codename="change_organization"))
    group.permissions.add(Permission.objects.get(codename="delete_user"))

    report = seed_all()

    assert report.counts["auth.Group"][UPDATED] == 1
    granted = codenames(group)
    assert "accounts.change_organization" in granted
    assert "accounts.delete_user" not in granted


def test_an_officer_can_work_in_every_admin_page_of_the_apps(seeded, client):
    client.force_login(make_officer("officer-b"))
    assert client.get(reverse("admin:index")).status_code == 200
    for model in admin.site._registry:
        if model._meta.app_label not in APPS:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:listings_listing_add")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_an_officer_verifies_an_organization_in_the_admin(seeded, client):
    from accounts.models import Organization

    officer = make_officer("officer-c")
    organization = Organization.objects.get(name="Sở Công Thương Lào Cai")
    Organization.objects.filter(pk=organization.pk).update(verified=False)
    client.force_login(officer)
    response = client.post(
        reverse("admin:accounts_organization_changelist"),
        {"action": "verify_organizations", "_selected_action": [organization.pk]},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.verified and organization.verified_by == officer
