"""A certificate's life in a real Chromium: the member uploads it, an officer verifies it in
the admin, the public listing page shows it (number, scheme, issuer, validity)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP, Certificate
from accounts.tests.factories import DOCUMENTS, PASSWORD
from listings.tests.factories import make_listing

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, username, login_url="/accounts/login/"):
    page.goto(f"{base}{login_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


def test_upload_verify_and_show_publicly(chromium, live_server, actors, reference):
    from playwright.sync_api import expect

    listing = make_listing(organization=actors.supplier_org, reference=reference)
    Group.objects.get(name=OFFICERS_GROUP).permissions.add(
        *Permission.objects.filter(
            codename__in=["view_certificate", "change_certificate"],
            content_type__app_label="accounts",
        )
    )
    base = live_server.url
    context = chromium.new_context(locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        # The member, on a phone: My organizations → Certificates → Add.
        _login(page, base, actors.supplier.username)
        page.goto(f"{base}/accounts/organizations/")
        page.get_by_role("link", name="Giấy chứng nhận").click()
        page.get_by_role("link", name="+ Thêm giấy chứng nhận").click()
        page.select_option("#id_scheme", "vietgap")
        page.fill("#id_number", "VietGAP-TT-66-0042")
        page.fill("#id_issuer", "QUACERT")
        page.fill("#id_issued_on", "2026-01-15")
        page.fill("#id_valid_until", "2028-01-14")
        page.set_input_files(
            "#id_document",
            {
                "name": "chung-nhan.pdf",
                "mimeType": "application/pdf",
                "buffer": DOCUMENTS["pdf"][0](),
            },
        )
        page.get_by_role("button", name="Gửi để kiểm tra").click()
        expect(page.locator(".certificate-card")).to_contain_text("VietGAP-TT-66-0042")
        expect(page.locator(".certificate-state")).to_have_text("Chờ kiểm tra")
        certificate = Certificate.objects.get()

        # The officer, in the admin: the document beside the fields, then Verify.
        context.clear_cookies()
        _login(page, base, actors.officer.username, login_url="/admin/login/?next=/admin/")
        page.goto(f"{base}/admin/accounts/certificate/{certificate.pk}/change/")
        expect(page.locator("iframe.certificate-preview")).to_be_visible()
        frame = page.locator("iframe.certificate-preview").element_handle().content_frame()
        # Loaded, not refused: a framing refusal leaves Chromium's error page in the frame.
        wanted = f"/accounts/certificates/{certificate.pk}/document/"
        for _ in range(50):
            if frame.url.endswith(wanted) or frame.url.startswith("chrome-error:"):
                break
            page.wait_for_timeout(200)
        assert frame.url.endswith(wanted), frame.url
        # The form is submitted by its Verify button (requestSubmit names it like a click):
        # a pointer click right after the PDF viewer loads in the frame is sometimes lost.
        with page.expect_navigation(timeout=30_000):
            page.locator("input[name=_verify]").evaluate(
                "button => button.form.requestSubmit(button)"
            )
        expect(page.locator(".messagelist")).to_contain_text("Đã xác minh giấy chứng nhận.")
        certificate.refresh_from_db()
        assert certificate.state == "verified"

        # Anyone: the listing page shows the verified certificate, without the document.
        context.clear_cookies()
        page.goto(f"{base}/listings/{listing.pk}/")
        public = page.locator(".certificates-public")
        expect(public).to_contain_text("VietGAP-TT-66-0042")
        expect(public).to_contain_text("QUACERT")
        expect(public.get_by_role("link", name="Mở tài liệu")).to_have_count(0)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser-certificates-failure.png"), full_page=True)
        raise
    finally:
        context.close()
