"""``/api/v1/organizations/{id}/certificates/`` and ``/api/v1/certificates/{id}/…``: who may
do what, bad input refused with nothing stored, and the public view."""

import datetime

import pytest

from accounts.models import Certificate
from accounts.tests.factories import CertificateFactory, document_file

pytestmark = pytest.mark.django_db


def _url(org) -> str:
    return f"/api/v1/organizations/{org.pk}/certificates/"


def _payload(**overrides) -> dict:
    today = datetime.date.today()
    payload = {
        "scheme": "vietgap",
        "number": "VietGAP-TT-21-01-66-0042",
        "issuer": "Trung tâm Chứng nhận Phù hợp (QUACERT)",
        "issued_on": (today - datetime.timedelta(days=100)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=600)).isoformat(),
        "categories": ["coffee"],
        "document": document_file("pdf"),
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def _stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_member_uploads_a_certificate_for_review(api, actors, settings):
    response = api.as_user(actors.supplier).post(
        _url(actors.supplier_org), _payload(), format="multipart"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "submitted"
    assert body["scheme"] == "vietgap" and body["categories"] == ["coffee"]
    assert body["document"].endswith(f"/api/v1/certificates/{body['id']}/document/")
    certificate = Certificate.objects.get(pk=body["id"])
    assert certificate.organization == actors.supplier_org
    assert certificate.submitted_by == actors.supplier
    # Stored under a random name with the extension its content says, through the storage.
    assert certificate.document.name.startswith(f"certificates/{actors.supplier_org.pk}/")
    assert (
        certificate.document.name.endswith(".pdf") and "chung-nhan" not in certificate.document.name
    )
    assert len(_stored_files(settings)) == 1


@pytest.mark.parametrize("who", ["outsider", "officer", "buyer"])
def test_only_members_upload(api, actors, who, settings):
    response = api.as_user(getattr(actors, who)).post(
        _url(actors.supplier_org), _payload(), format="multipart"
    )

    assert response.status_code == 403
    assert not Certificate.objects.exists() and _stored_files(settings) == []


def test_anonymous_upload_is_401(api, actors):
    response = api.post(_url(actors.supplier_org), _payload(), format="multipart")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "document": document_file(
                    "xlsx", name="chung-nhan.pdf", content_type="application/pdf"
                )
            },
            "document",
        ),
        ({"document": document_file("gif", name="anh.png", content_type="image/png")}, "document"),
        ({"scheme": "vietgapp"}, "scheme"),
        ({"issued_on": "2026-05-01", "valid_until": "2026-04-30"}, "valid_until"),
        ({"categories": ["khong-co"]}, "categories"),
        ({"document": None}, "document"),
        ({"number": ""}, "number"),
    ],
)
def test_bad_input_is_a_400_by_field_and_nothing_is_stored(api, actors, settings, overrides, field):
    response = api.as_user(actors.supplier).post(
        _url(actors.supplier_org), _payload(**overrides), format="multipart"
    )

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Certificate.objects.exists()
    assert _stored_files(settings) == []


def test_a_document_over_the_limit_is_a_400(api, actors, settings):
    settings.CERTIFICATE_MAX_BYTES = 100
    response = api.as_user(actors.supplier).post(
        _url(actors.supplier_org), _payload(), format="multipart"
    )

    assert response.status_code == 400
    assert "MB" in response.json()["document"][0]
    assert not Certificate.objects.exists() and _stored_files(settings) == []


def test_the_same_number_twice_is_a_400(api, actors, reference):
    CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap, number="VG-1")

    response = api.as_user(actors.supplier).post(
        _url(actors.supplier_org), _payload(number="VG-1"), format="multipart"
    )

    assert response.status_code == 400
    assert Certificate.objects.count() == 1


def test_members_and_officers_see_every_certificate_others_only_verified_ones(
    api, actors, reference
):
    verified = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    CertificateFactory(
        organization=actors.supplier_org, scheme=reference.organic, state="submitted"
    )

    def ids(user):
        client = api.as_user(user) if user else api
        response = client.get(_url(actors.supplier_org))
        assert response.status_code == 200
        return response.json()

    assert ids(actors.supplier)["count"] == 2
    assert ids(actors.officer)["count"] == 2
    outsider = ids(actors.outsider)
    assert [c["id"] for c in outsider["results"]] == [verified.pk]
    assert outsider["results"][0]["document"] is None  # the owner did not make it public
    api.force_authenticate(user=None)
    assert [c["id"] for c in ids(None)["results"]] == [verified.pk]


def test_the_document_download_follows_the_same_rule(api, actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    url = f"/api/v1/certificates/{certificate.pk}/document/"

    member = api.as_user(actors.supplier).get(url)
    assert member.status_code == 200
    assert member["Content-Type"] == "application/pdf"
    assert b"".join(member.streaming_content).startswith(b"%PDF-")
    assert api.as_user(actors.officer).get(url).status_code == 200
    assert api.as_user(actors.outsider).get(url).status_code == 404

    certificate.document_public = True
    certificate.save()
    assert api.as_user(actors.outsider).get(url).status_code == 200


def test_an_outsider_cannot_see_or_change_a_pending_certificate(api, actors, reference):
    certificate = CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap)
    client = api.as_user(actors.outsider)

    assert client.get(f"/api/v1/certificates/{certificate.pk}/").status_code == 404
    assert client.get(f"/api/v1/certificates/{certificate.pk}/document/").status_code == 404
    response = client.patch(
        f"/api/v1/certificates/{certificate.pk}/", {"issuer": "Khác"}, format="multipart"
    )
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.issuer != "Khác"


def test_an_outsider_cannot_change_a_verified_certificate(api, actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )

    response = api.as_user(actors.outsider).patch(
        f"/api/v1/certificates/{certificate.pk}/", {"issuer": "Khác"}, format="multipart"
    )

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.issuer != "Khác" and certificate.state == "verified"


def test_replacing_the_document_sends_it_back_for_review(api, actors, reference, settings):
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )
    old_name = certificate.document.name

    with_capture = api.as_user(actors.supplier)
    response = with_capture.patch(
        f"/api/v1/certificates/{certificate.pk}/",
        {"document": document_file("png"), "valid_until": "2030-12-31"},
        format="multipart",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "submitted" and body["valid_until"] == "2030-12-31"
    certificate.refresh_from_db()
    assert certificate.document.name.endswith(".png") and certificate.document.name != old_name


def test_making_the_document_public_keeps_the_verification(api, actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org, scheme=reference.vietgap, state="verified"
    )

    response = api.as_user(actors.supplier).patch(
        f"/api/v1/certificates/{certificate.pk}/", {"document_public": "true"}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["state"] == "verified" and response.json()["document_public"] is True


def test_officers_verify_and_reject_with_a_reason(api, actors, reference):
    certificate = CertificateFactory(organization=actors.supplier_org, scheme=reference.vietgap)
    base = f"/api/v1/certificates/{certificate.pk}"

    assert api.as_user(actors.supplier).post(f"{base}/verify/").status_code == 403
    no_reason = api.as_user(actors.officer).post(f"{base}/reject/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()

    verified = api.as_user(actors.officer).post(f"{base}/verify/")
    assert verified.status_code == 200 and verified.json()["state"] == "verified"
    again = api.as_user(actors.officer).post(f"{base}/verify/")
    assert again.status_code == 409 and again.json()["code"] == "illegal_transition"

    rejected = api.as_user(actors.officer).post(
        f"{base}/reject/", {"reason": "Số chứng nhận không khớp với QUACERT"}, format="json"
    )
    assert rejected.status_code == 200
    assert rejected.json()["state"] == "rejected"
    assert rejected.json()["reason"] == "Số chứng nhận không khớp với QUACERT"
    certificate.refresh_from_db()
    assert certificate.reviewed_by == actors.officer
    assert [h.state for h in certificate.history.order_by("history_date")][-2:] == [
        "verified",
        "rejected",
    ]


def test_a_certificate_past_its_date_cannot_be_verified(api, actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org,
        scheme=reference.vietgap,
        issued_on=datetime.date(2020, 1, 1),
        valid_until=datetime.date(2021, 1, 1),
    )

    response = api.as_user(actors.officer).post(f"/api/v1/certificates/{certificate.pk}/verify/")

    assert response.status_code == 409 and response.json()["code"] == "certificate_expired"


def test_the_public_organization_view_lists_verified_certificates_without_document(
    api, actors, reference
):
    CertificateFactory(
        organization=actors.supplier_org,
        scheme=reference.vietgap,
        number="VG-2024-0042",
        state="verified",
        valid_until=datetime.date.today() + datetime.timedelta(days=120),
    )
    CertificateFactory(organization=actors.supplier_org, scheme=reference.organic)

    response = api.get(f"/api/v1/organizations/{actors.supplier_org.pk}/")

    assert response.status_code == 200
    [certificate] = response.json()["certificates"]
    assert certificate["number"] == "VG-2024-0042" and certificate["scheme"] == "vietgap"
    assert certificate["issuer"].startswith("Trung tâm")
    assert (
        certificate["valid_until"]
        == (datetime.date.today() + datetime.timedelta(days=120)).isoformat()
    )
    assert certificate["document"] is None
    assert "reason" not in certificate and "state" not in certificate


def test_unknown_or_huge_ids_are_404(api, actors):
    client = api.as_user(actors.supplier)

    assert client.get("/api/v1/organizations/99999999999999999999/certificates/").status_code == 404
    assert client.get("/api/v1/certificates/abc/").status_code == 404
    assert client.post("/api/v1/certificates/999999/verify/").status_code == 403


def test_a_public_document_is_linked_from_the_public_view(api, actors, reference):
    certificate = CertificateFactory(
        organization=actors.supplier_org,
        scheme=reference.vietgap,
        state="verified",
        document_public=True,
    )

    body = api.get(f"/api/v1/organizations/{actors.supplier_org.pk}/").json()
    [listed] = body["certificates"]

    assert listed["document"].endswith(f"/api/v1/certificates/{certificate.pk}/document/")
    assert api.get(listed["document"]).status_code == 200
