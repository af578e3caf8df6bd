"""The organization's certificate pages: upload, replace, see the state; the public list."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Certificate
from accounts.tests.factories import CertificateFactory, document_file
from core.tests.pages import field_errors

EN = {"accept-language": "en"}


def form_data(**overrides) -> dict:
    today = datetime.date.today()
    data = {
        "scheme": "vietgap",
        "number": "VG-66-0042",
        "issuer": "QUACERT",
        "issued_on": (today - datetime.timedelta(days=30)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=700)).isoformat(),
        "categories": ["coffee"],
        "document": document_file("jpeg"),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def member(client, actors):
    client.force_login(actors.supplier)
    return client


def test_a_member_uploads_and_sees_the_state(member, actors):
    url = reverse("accounts:certificate-create", args=[actors.supplier_org.pk])

    response = member.post(url, form_data())

    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert certificate.state == "submitted" and certificate.document.name.endswith(".jpg")
    assert [c.slug for c in certificate.categories.all()] == ["coffee"]
    page = member.get(reverse("accounts:certificates", args=[actors.supplier_org.pk]), headers=EN)
    html = page.content.decode()
    assert "VG-66-0042" in html and "state-submitted" in html and ">Submitted<" in html


def test_a_renamed_spreadsheet_is_a_form_error_and_nothing_is_saved(member, actors):
    url = reverse("accounts:certificate-create", args=[actors.supplier_org.pk])
    fake = document_file("xlsx", name="giay-chung-nhan.pdf", content_type="application/pdf")

    response = member.post(url, form_data(document=fake), headers=EN)

    assert response.status_code == 200
    assert "PDF, JPEG or PNG" in field_errors(response.content.decode(), "document")
    assert not Certificate.objects.exists()


def test_a_validity_ending_before_it_starts_is_a_form_error(member, actors):
    url = reverse("accounts:certificate-create", args=[actors.supplier_org.pk])

    response = member.post(
        url, form_data(issued_on="2026-06-01", valid_until="2026-01-01"), headers=EN
    )

    assert "cannot end before" in field_errors(response.content.decode(), "valid_until")
    assert not Certificate.objects.exists()


def test_the_pages_in_vietnamese(member, actors):
    CertificateFactory(
        organization=actors.supplier_org, state="rejected", reason="Ảnh mờ, không đọc được số"
    )

    html = member.get(reverse("accounts:certificates", args=[actors.supplier_org.pk])).content
    html = html.decode()

    assert "Bị từ chối" in html and "Ảnh mờ, không đọc được số" in html
    assert 'lang="vi"' in html


@pytest.mark.parametrize("who", ["outsider", "officer"])
def test_others_cannot_open_the_management_pages(client, actors, who):
    certificate = CertificateFactory(organization=actors.supplier_org)
    client.force_login(getattr(actors, who))

    urls = [
        reverse("accounts:certificates", args=[actors.supplier_org.pk]),
        reverse("accounts:certificate-create", args=[actors.supplier_org.pk]),
        reverse("accounts:certificate-edit", args=[certificate.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [403, 403, 403]


def test_replacing_sends_it_back_for_review(member, actors):
    certificate = CertificateFactory(organization=actors.supplier_org, state="verified")
    url = reverse("accounts:certificate-edit", args=[certificate.pk])

    form = member.get(url)
    assert certificate.number in form.content.decode()
    response = member.post(
        url, form_data(number=certificate.number, document=None, issuer="VinaCert")
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.issuer == "VinaCert" and certificate.state == "submitted"
    assert certificate.document.name.endswith(".pdf")  # kept


def test_the_document_page_follows_the_selectors(client, actors):
    certificate = CertificateFactory(organization=actors.supplier_org, state="verified")
    url = reverse("accounts:certificate-document", args=[certificate.pk])

    assert client.get(url).status_code == 404
    client.force_login(actors.supplier)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # The admin's review form frames it; other sites may not.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
