"""Fixtures of the listing tests."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP


@pytest.fixture
def officer_client(client, actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="listings",
            codename__in=["view_listing", "add_listing", "change_listing"],
        )
    )
    client.force_login(actors.officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
