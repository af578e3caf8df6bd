"""The officers' review queue in the admin: the document beside the fields, Verify/Reject."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP
from accounts.tests.factories import CertificateFactory, document_file

pytestmark = pytest.mark.django_db
LIST = "/admin/accounts/certificate/"


@pytest.fixture
def officer_client(client, actors):
    group = Group.objects.get(name=OFFICERS_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_certificate", "change_certificate"],
        )
    )
    client.force_login(actors.officer)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_queue_puts_waiting_certificates_first(officer_client, actors):
    CertificateFactory(organization=actors.supplier_org, number="DONE-1", state="verified")
    CertificateFactory(organization=actors.supplier_org, number="WAIT-2")

    html = officer_client.get(LIST).content.decode()

    assert html.index("WAIT-2") < html.index("DONE-1")


def test_the_change_form_shows_the_document_and_verifies(officer_client, actors):
    certificate = CertificateFactory(
        organization=actors.supplier_org, document=document_file("png")
    )
    url = f"{LIST}{certificate.pk}/change/"

    html = officer_client.get(url).content.decode()
    assert f'<img src="/accounts/certificates/{certificate.pk}/document/"' in html
    assert 'name="_verify"' in html and 'name="_save"' not in html

    response = officer_client.post(url, {"reason": "", "_verify": "Verify"})

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.state == "verified" and certificate.reviewed_by == actors.officer


def test_rejecting_needs_a_reason(officer_client, actors):
    certificate = CertificateFactory(organization=actors.supplier_org)
    url = f"{LIST}{certificate.pk}/change/"

    officer_client.post(url, {"reason": "", "_reject": "Reject"})
    certificate.refresh_from_db()
    assert certificate.state == "submitted"

    officer_client.post(url, {"reason": "Số không có trong sổ QUACERT", "_reject": "Reject"})
    certificate.refresh_from_db()
    assert certificate.state == "rejected" and certificate.reason == "Số không có trong sổ QUACERT"


def test_the_bulk_action_verifies(officer_client, actors):
    first = CertificateFactory(organization=actors.supplier_org)
    second = CertificateFactory(organization=actors.supplier_org)

    officer_client.post(
        LIST,
        {"action": "verify_certificates", "_selected_action": [first.pk, second.pk]},
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == "verified"


def test_the_pdf_preview_is_a_frame(officer_client, actors):
    certificate = CertificateFactory(organization=actors.supplier_org)

    html = officer_client.get(f"{LIST}{certificate.pk}/change/").content.decode()

    assert f'<iframe src="/accounts/certificates/{certificate.pk}/document/"' in html


def test_the_bulk_reject_asks_for_one_reason(officer_client, actors):
    first = CertificateFactory(organization=actors.supplier_org, number="VG-A")
    second = CertificateFactory(organization=actors.supplier_org, number="VG-B")
    selected = {"action": "reject_certificates", "_selected_action": [first.pk, second.pk]}

    asked = officer_client.post(LIST, selected)
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert "VG-A" in asked.content.decode() and "VG-B" in asked.content.decode()
    without = officer_client.post(LIST, {**selected, "apply": "1", "reason": " "})
    assert without.status_code == 200  # asked again, nothing rejected
    first.refresh_from_db()
    assert first.state == "submitted"

    done = officer_client.post(
        LIST, {**selected, "apply": "1", "reason": "Hết hạn trên sổ QUACERT"}
    )

    assert done.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == second.state == "rejected"
    assert first.reason == "Hết hạn trên sổ QUACERT"
