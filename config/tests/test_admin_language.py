"""The admin in one language: third-party apps' section and model names come from the
hand-kept catalogue (``core/locale/third_party``); a match's transitions are labelled with their
statuses' names (``matchmaking/tests/test_transition_labels.py``)."""

import re

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory

VI_SECTIONS = {"Mã truy cập API", "Đăng nhập bị khóa", "Tác vụ định kỳ"}
ENGLISH_LEFTOVERS = {"Auth Token", "Axes", "Periodic Tasks", "Tokens", "Access attempts", "Clocked"}


@pytest.fixture
def admin_client(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="vi")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_admin_index_names_every_section_in_vietnamese(admin_client):
    html = admin_client.get("/admin/").content.decode()

    sections = set(re.findall(r"<caption>\s*<a[^>]*>(.*?)</a>", html, re.S))
    models = set(re.findall(r'<th scope="row"[^>]*><a[^>]*>(.*?)</a>', html, re.S))
    assert sections >= VI_SECTIONS
    assert not (sections | models) & ENGLISH_LEFTOVERS


def test_the_admin_index_is_english_in_english(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(
        UserFactory(is_staff=True, is_superuser=True),
        backend="django.contrib.auth.backends.ModelBackend",
    )

    html = client.get("/admin/").content.decode()

    assert "Login lockouts" in html and "Periodic Tasks" in html
