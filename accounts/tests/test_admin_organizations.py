"""The organizations' list in the admin: each row's member count, counted for the page."""

import pytest

from accounts.models import Membership, Organization
from accounts.tests.factories import OrganizationFactory, member_of

pytestmark = pytest.mark.django_db


def test_each_organization_shows_its_members(admin_client, actors):
    crowded = OrganizationFactory(name="HTX Đông người")
    for _ in range(3):
        member_of(crowded)
    empty = OrganizationFactory(name="HTX Chưa có ai")

    response = admin_client.get("/admin/accounts/organization/")

    shown = {org.pk: org._members for org in response.context["cl"].result_list}
    assert shown[crowded.pk] == 3 and shown[empty.pk] == 0
    for org in Organization.objects.all():
        assert shown[org.pk] == Membership.objects.filter(organization=org).count()
