"""The listing import as the probe used it (issue 16, finding 6; issue 10, "Import:"): limits
checked before parsing, every error of a row listed, duplicates skipped, a template to download.
"""

import io
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from listings.models import Listing
from listings.resources import header_keys
from listings.tests.test_admin import DOCS, IMPORT, PROCESS, ROW, _csv

pytestmark = pytest.mark.django_db

# Well under the 30 s after which gunicorn killed the probe's import; a loaded 2-core machine.
FAST = 3.0
HEADER = (DOCS / "sample-listings.csv").read_text(encoding="utf-8").splitlines()[0]


def _post(client, upload, fmt="0"):
    started = time.monotonic()
    page = client.post(IMPORT, {"import_file": upload, "format": fmt, "resource": "0"})
    return page, page.content.decode(), time.monotonic() - started


def _xlsx_with_sheet(sheet_xml: bytes, name="bomb.xlsx") -> SimpleUploadedFile:
    """A real workbook (openpyxl) whose first sheet is replaced by ``sheet_xml``, deflated."""
    workbook = Workbook()
    workbook.active.append(HEADER.split(","))
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            target.writestr(item.filename, data)
    return SimpleUploadedFile(name, out.getvalue())


def _sheet(rows: int, cell: str = "x") -> bytes:
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    columns = HEADER.split(",")
    first = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{c}</t></is></c>'
        for i, c in enumerate(columns)
    )
    body = [f'<row r="1">{first}</row>'.encode()]
    body += [
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{cell}</t></is></c></row>'.encode()
        for n in range(2, rows + 2)
    ]
    return head + b"".join(body) + b"</sheetData></worksheet>"


def test_a_csv_over_5000_rows_is_a_form_error_at_once(officer_client):
    upload = _csv([ROW.format(province="66")] * 5001)

    page, html, elapsed = _post(officer_client, upload)

    assert page.status_code == 200
    assert "At most 5,000 rows per file" in html
    assert "Traceback" not in html and 'name="import_file_name"' not in html
    assert elapsed < FAST, f"{elapsed:.1f} s"
    assert not Listing.objects.exists()


def test_an_xlsx_that_expands_to_300k_rows_is_refused_fast(officer_client):
    upload = _xlsx_with_sheet(_sheet(300_000))
    assert upload.size < 2 * 2**20  # the probe's 1.5 MB file

    _page, html, elapsed = _post(officer_client, upload, fmt="1")

    assert "At most 5,000 rows per file" in html
    assert elapsed < FAST, f"{elapsed:.1f} s"
    assert not Listing.objects.exists()


def test_an_xlsx_that_inflates_beyond_the_limit_is_refused_unread(officer_client, settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 2**20
    upload = _xlsx_with_sheet(_sheet(3_000, cell="y" * 2000))

    _page, html, elapsed = _post(officer_client, upload, fmt="1")

    assert re.search(r"The workbook expands to \d+ MB; at most 2 MB can be imported", html)
    assert elapsed < FAST


@pytest.mark.parametrize("fmt", ["0", "1"])
def test_missing_columns_are_a_form_error_not_a_traceback(officer_client, fmt):
    if fmt == "0":
        upload = SimpleUploadedFile("x.csv", b"side,title,quantity\nsupply,Ca phe,3\n")
    else:
        workbook = Workbook()
        workbook.active.append(["side", "title", "quantity"])
        content = io.BytesIO()
        workbook.save(content)
        upload = SimpleUploadedFile("x.xlsx", content.getvalue())

    _page, html, _elapsed = _post(officer_client, upload, fmt)

    assert "Missing columns: Organization, Category, Unit, Province" in html
    assert "Traceback" not in html and "ValueError" not in html


def test_every_error_of_every_row_is_listed_as_text(officer_client):
    bad = (
        "supply,HTX Cà phê Ea Tu,Cà phê,,robustaa,,-3,tấnn,,,,Kon Tumm,"
        "2026-12-01,2030-12-31,vietgap,,,open"
    )
    _page, html, _elapsed = _post(officer_client, _csv([ROW.format(province="66"), bad]))

    errors = re.findall(r"<li>Row (\d+), <strong>([^<]+)</strong>: ([^<]+)</li>", html)
    assert {(row, column) for row, column, _ in errors} >= {
        ("2", "Category"),
        ("2", "Unit"),
        ("2", "Province"),
    }
    assert any("Kon Tumm" in message for _, _, message in errors)
    assert "validation-error-count" not in html  # no badge to open
    assert not Listing.objects.exists()


def _import(client, upload):
    _page, html, _elapsed = _post(client, upload)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', html))
    keys = ("import_file_name", "original_file_name", "format", "resource")
    return html, client.post(PROCESS, {k: fields[k] for k in keys}, follow=True)


def test_the_same_file_twice_warns_about_duplicates_instead_of_creating_them(officer_client):
    rows = [
        ROW.format(province="66"),
        ROW.replace("Cà phê nhân xô", "Hồ tiêu").format(province="66"),
    ]
    _import(officer_client, _csv(rows))
    assert Listing.objects.count() == 2

    # Again, with one row twice in the file itself: nothing new.
    html, _second = _import(officer_client, _csv([*rows, rows[0]]))

    assert "3 rows are already listings" in html
    assert Listing.objects.count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_downloads_with_the_import_columns(officer_client, fmt):
    response = officer_client.get(f"{IMPORT.removesuffix('import/')}import-template.{fmt}")

    assert response.status_code == 200
    assert f"listings-template.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        header, example = response.content.decode("utf-8-sig").splitlines()[:2]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, example = (
            ",".join(str(c or "") for c in row) for row in sheet.iter_rows(values_only=True)
        )
    assert header.startswith("Side (supply or demand),Organization,Title,")
    # Every column of the documented sample, and the optional ones added since (OCOP year…).
    assert set(header_keys(HEADER.split(","))) <= set(header_keys(header.split(",")))
    assert "OCOP rating year" in header.split(",")
    assert example.startswith("supply,HTX Cà phê Suối Mơ,")


def test_the_template_is_for_officers_only(client, actors):
    client.force_login(actors.supplier)
    response = client.get("/admin/listings/listing/import-template.csv")
    assert response.status_code in (302, 403)


# --- the whole import page in the admin's language -------------------------------------------


def _vi(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_is_in_vietnamese_for_a_vietnamese_admin(officer_client, fmt):
    response = _vi(officer_client).get(f"{IMPORT.removesuffix('import/')}import-template.{fmt}")

    if fmt == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    else:
        header = [c.value for c in next(load_workbook(io.BytesIO(response.content)).active.rows)]
    assert header[:3] == ["Loại tin (cung hoặc cầu)", "Tổ chức", "Tiêu đề"]
    assert "Giá thấp nhất (VND)" in header and "price_min" not in header


@pytest.mark.parametrize(
    ("language", "heads", "error"),
    [
        ("vi", ["Tiêu đề", "Giá thấp nhất (VND)", "Tỉnh/thành"], "Tỉnh/thành"),
        ("en", ["Title", "Lowest price (VND)", "Province"], "Province"),
    ],
)
def test_preview_heads_and_row_errors_name_columns_in_the_admins_language(
    officer_client, language, heads, error
):
    officer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    good = _csv([ROW.format(province="66")])
    _page, preview, _elapsed = _post(officer_client, good)
    table_heads = re.findall(r"<th>([^<]*)</th>", preview)
    for head in heads:
        assert head in table_heads, (head, table_heads)

    bad = _csv([ROW.format(province="Kon Tumm")])
    _page, html, _elapsed = _post(officer_client, bad)
    assert re.search(rf"<strong>{re.escape(error)}</strong>: [^<]*Kon Tumm", html)


@pytest.mark.parametrize(
    ("language", "listed", "missing"),
    [
        ("vi", "Giá cao nhất (VND)", "Thiếu cột: Tổ chức, Danh mục, Đơn vị, Tỉnh/thành"),
        ("en", "Highest price (VND)", "Missing columns: Organization, Category, Unit, Province"),
    ],
)
def test_the_import_page_lists_and_misses_columns_by_their_names(
    officer_client, language, listed, missing
):
    officer_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = officer_client.get(IMPORT).content.decode()
    assert listed in page and "price_max" not in page

    upload = SimpleUploadedFile("x.csv", b"side,title,quantity\nsupply,Ca phe,3\n")
    _page, html, _elapsed = _post(officer_client, upload)
    assert missing in html
