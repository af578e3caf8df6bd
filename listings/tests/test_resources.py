"""Spreadsheet import and export of listings (``ListingResource``)."""

import datetime
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
import tablib
from django.conf import settings
from django.utils import timezone, translation
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

from accounts.models import Membership, Organization
from accounts.tests.factories import OrganizationFactory, UserFactory, make_officer
from catalog.models import ProductCategory, Province, Region
from catalog.tests.factories import CertificationFactory, ensure_units
from listings.models import Listing
from listings.resources import ListingResource, column_label, header_key
from listings.resources.columns import LABELS
from listings.tests.factories import make_listing

# Row messages are asserted in English (officers read them in their own language).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


DOCS = Path(settings.BASE_DIR) / "docs"
HEADER = (
    "side,organization,title,description,category,product,quantity,unit,min_order_quantity,"
    "price_min,price_max,province,available_from,available_until,certifications,ocop_stars,"
    "min_ocop_stars,status"
)


def _province(code, name, name_en, region, lat, lon, *legacy):
    province = Province.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        kind="province",
        region=region,
        latitude=lat,
        longitude=lon,
    )
    for old_name, old_code in legacy:
        province.legacy_names.create(name=old_name, kind="legacy", legacy_code=old_code)
    return province


@pytest.fixture
def seeded(db):
    """The reference rows the sample file names, as the seed has them (real codes and the
    legacy names merged on 1 July 2025), and the demo organizations it posts for."""
    ensure_units()
    highlands = Region.objects.create(code="central-highlands", name="Tây Nguyên", name_en="CH")
    south = Region.objects.create(code="southeast", name="Đông Nam Bộ", name_en="Southeast")
    mekong = Region.objects.create(code="mekong-delta", name="ĐBSCL", name_en="Mekong Delta")
    daklak = _province("66", "Đắk Lắk", "Dak Lak", highlands, 12.7, 108.5, ("Phú Yên", "54"))
    _province("68", "Lâm Đồng", "Lam Dong", highlands, 11.7, 108.0, ("Đắk Nông", "67"))
    _province("51", "Quảng Ngãi", "Quang Ngai", highlands, 15.1, 108.8, ("Kon Tum", "62"))
    gialai = _province("52", "Gia Lai", "Gia Lai", highlands, 14.0, 108.0, ("Bình Định", "52"))
    hcmc = _province("79", "Hồ Chí Minh", "Ho Chi Minh City", south, 10.8, 106.7)
    cantho = _province("92", "Cần Thơ", "Can Tho", mekong, 10.0, 105.8, ("Hậu Giang", "93"))
    camau = _province("96", "Cà Mau", "Ca Mau", mekong, 9.2, 105.2, ("Bạc Liêu", "95"))
    agri = ProductCategory.objects.create(slug="agricultural", name="Nông sản", name_en="Agri")
    coffee = ProductCategory.objects.create(
        slug="coffee", name="Cà phê", name_en="Coffee", parent=agri
    )
    for slug, name, name_en, parent in [
        ("robusta", "Cà phê Robusta", "Robusta coffee", coffee),
        ("durian", "Sầu riêng", "Durian", agri),
        ("pepper", "Hồ tiêu", "Pepper", agri),
        ("rice", "Gạo", "Rice", agri),
        ("shrimp", "Tôm", "Shrimp", None),
    ]:
        ProductCategory.objects.create(slug=slug, name=name, name_en=name_en, parent=parent)
    for code in ("vietgap", "globalgap", "organic", "haccp"):
        CertificationFactory(code=code, name=code.upper(), name_en=code.upper())
    orgs = {
        name: OrganizationFactory(name=name, kind=kind, province=province)
        for name, kind, province in [
            ("HTX Cà phê Suối Mơ", "cooperative", daklak),
            ("HTX Hồ tiêu Đất Đỏ Cao Nguyên", "cooperative", gialai),
            ("HTX Tôm Rừng Đất Mũi Xanh", "cooperative", camau),
            ("HTX Lúa Gạo Phù Sa Mới", "cooperative", cantho),
            ("Công ty TNHH Phân phối Nông sản Phương Nam Xanh", "distributor", hcmc),
            ("Công ty CP Chế biến Thủy sản Tây Đô Xanh", "processor", cantho),
        ]
    }
    return SimpleNamespace(orgs=orgs, daklak=daklak, officer=make_officer())


def dataset_from_csv(text: str) -> tablib.Dataset:
    return CSV(encoding="utf-8").create_dataset(text)


def run_import(dataset, *, dry_run, user):
    """Import as ``user``: an officer enters listings for any organization this way."""
    return ListingResource().import_data(dataset, dry_run=dry_run, raise_errors=False, user=user)


def errors_of(result) -> list[str]:
    messages = [str(e.error) for e in result.base_errors]
    for row in result.invalid_rows:
        for field, errors in row.error_dict.items():
            messages += [f"{row.number}:{field}: {e}" for e in errors]
    for number, row_errors in result.row_errors():
        messages += [f"{number}: {e.error!r}" for e in row_errors]
    return messages


@pytest.mark.parametrize(
    "sample",
    [
        "sample-listings.csv",  # Vietnamese column names
        "sample-listings.en.csv",  # English column names
        "keys",  # the column keys, as files written before the names were translated
    ],
)
def test_the_sample_csv_previews_then_imports(seeded, sample):
    name = "sample-listings.csv" if sample == "keys" else sample
    text = (DOCS / name).read_text(encoding="utf-8")
    if sample == "keys":
        text = "\n".join([HEADER, *text.splitlines()[1:]])
    dataset = dataset_from_csv(text)

    preview = run_import(dataset, dry_run=True, user=seeded.officer)
    assert errors_of(preview) == []
    assert preview.totals["new"] == 8
    assert Listing.objects.count() == 0  # the dry run saved nothing

    result = run_import(dataset, dry_run=False, user=seeded.officer)
    assert errors_of(result) == []
    assert Listing.objects.count() == 8

    durian = Listing.objects.get(title="Sầu riêng Ri6 loại 1")
    assert durian.province.code == "68"  # "Đắk Nông" is in Lâm Đồng since 2025
    assert durian.available_from == datetime.date(2026, 12, 1)  # 01/12/2026, day first
    assert durian.created_by == seeded.officer
    kontum = Listing.objects.get(title="Cà phê Robusta vùng Kon Tum")
    assert (kontum.province.code, kontum.status) == ("51", "draft")
    pepper = Listing.objects.get(category__slug="pepper")
    assert (pepper.unit.code, pepper.quantity_base) == ("ta", 20000)
    robusta = Listing.objects.get(category__slug="robusta")
    assert sorted(robusta.certifications.values_list("code", flat=True)) == [
        "organic",
        "vietgap",
    ]
    shrimp_demand = Listing.objects.get(side="demand", category__slug="shrimp")
    assert (shrimp_demand.min_ocop_stars, shrimp_demand.province.code) == (3, "92")
    assert Listing.objects.get(category__slug="rice").ocop_stars == 4


@pytest.mark.parametrize("sample", ["sample-listings.xlsx", "sample-listings.en.xlsx"])
def test_the_sample_xlsx_imports_the_same(seeded, sample):
    dataset = XLSX().create_dataset((DOCS / sample).read_bytes())
    result = run_import(dataset, dry_run=False, user=seeded.officer)
    assert errors_of(result) == []
    assert Listing.objects.count() == 8
    assert Listing.objects.get(title="Hồ tiêu đen 500 g/l").price_max == 15500000


def test_a_bad_row_names_the_value_and_nothing_is_imported(seeded):
    good = (
        "supply,HTX Cà phê Suối Mơ,Cà phê nhân,,robusta,,10,tấn,,,,Đắk Lắk,"
        "2026-12-01,2030-12-31,,,,open"
    )
    bad = (
        "supply,HTX Cà phê Suối Mơ,Cà phê nhân,,robusta,,10,bushel,,200,100,Kon Tumm,"
        "2026-12-01,2030-12-31,iso9999,,,open"
    )
    dataset = dataset_from_csv("\n".join([HEADER, good, bad, good]))

    for dry_run in (True, False):
        result = run_import(dataset, dry_run=dry_run, user=seeded.officer)
        messages = errors_of(result)
        assert "2:province: Unknown province “Kon Tumm”." in messages
        assert "2:unit: Unknown unit “bushel”." in messages
        assert "2:certifications: Unknown certification “iso9999”." in messages
        assert all(m.startswith("2:") for m in messages)
        assert Listing.objects.count() == 0


def test_service_rules_are_row_errors_too(seeded):
    """The service's rules and words, row by row; "expired" is refused by the service (the
    widget no longer has its own copy of that rule, so the message says what applies)."""
    rows = [
        # ends in the past
        "supply,HTX Cà phê Suối Mơ,Cũ,,robusta,,10,kg,,,,66,2020-01-01,2020-02-01,,,,open",
        # price range inverted
        "supply,HTX Cà phê Suối Mơ,Giá,,robusta,,10,kg,,200,100,66,2026-12-01,2030-12-31,,,,open",
        # negative quantity, unknown organization, expired status
        "supply,Không có,Âm,,robusta,,-1,kg,,,,66,2026-12-01,2030-12-31,,,,expired",
        # fractional price, unknown date format, stars on a demand
        "demand,HTX Cà phê Suối Mơ,Sao,,robusta,,1,kg,,1.5,,66,mai,2030-12-31,,4,,open",
        # a valid row asking for "expired", which only the nightly job sets
        "supply,HTX Cà phê Suối Mơ,Hết hạn,,robusta,,1,kg,,,,66,2026-12-01,2030-12-31,,,,expired",
    ]
    result = run_import(
        dataset_from_csv("\n".join([HEADER, *rows])), dry_run=True, user=seeded.officer
    )
    messages = "\n".join(errors_of(result))
    assert "1:available_until: A listing that is open cannot end in the past." in messages
    assert "2:" in messages and "price" in messages
    assert "3:quantity: The quantity must be greater than zero (got “-1”)." in messages
    assert "3:organization: Unknown organization “Không có”." in messages
    # "expired" is the service's to refuse now (it was the import widget's "Unknown value"):
    # row 3 fails on its other cells first, row 5 says why.
    assert "5:status: “expired” is set by the system" in messages
    assert "4:price_min: Prices are whole numbers of VND at least 0 (got “1.5”)." in messages
    assert "4:available_from: “mai” is not a date" in messages
    assert Listing.objects.count() == 0


def test_organizations_by_name_tax_code_or_id_and_categories_by_name(seeded):
    org = seeded.orgs["HTX Cà phê Suối Mơ"]
    Organization.objects.filter(pk=org.pk).update(tax_code="6001234567")
    rows = [
        f"supply,{org.pk},Theo id,,Cà phê Robusta,,1,kg,,,,66,2026-12-01,2030-12-31,,,,open",
        "supply,6001234567,Theo MST,,ca phe,,1,kg,,,,66,2026-12-01,2030-12-31,,,,open",
        "supply,htx ca phe suoi mo,Không dấu,,Durian,,1,kg,,,,66,2026-12-01,2030-12-31,,,,open",
    ]
    result = run_import(
        dataset_from_csv("\n".join([HEADER, *rows])), dry_run=False, user=seeded.officer
    )
    assert errors_of(result) == []
    assert set(Listing.objects.values_list("organization", flat=True)) == {org.pk}
    assert sorted(Listing.objects.values_list("category__slug", flat=True)) == [
        "coffee",
        "durian",
        "robusta",
    ]


def test_missing_columns_stop_the_file(seeded):
    result = run_import(
        dataset_from_csv("side,title\nsupply,Cà phê"), dry_run=True, user=seeded.officer
    )
    assert result.has_errors()
    assert "Missing columns: Organization, Category, Quantity, Unit, Province" in str(
        result.base_errors[0].error
    )


def test_headers_are_forgiving_and_blank_lines_skipped(seeded):
    header = HEADER.replace("side", " Side ").replace("title", "TITLE")
    row = "supply,HTX Cà phê Suối Mơ,Cà phê,,robusta,,1,kg,,,,66,2026-12-01,2030-12-31,,,,"
    result = run_import(
        dataset_from_csv("\n".join([header, row, ",,,,,,,,,,,,,,,,,"])),
        dry_run=False,
        user=seeded.officer,
    )
    assert errors_of(result) == []
    assert Listing.objects.get().status == "open"  # an empty status means open


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def formulae(seeded):
    reference = SimpleNamespace(robusta=ProductCategory.objects.get(slug="robusta"))
    org = seeded.orgs["HTX Cà phê Suối Mơ"]
    titles = [
        '=HYPERLINK("http://evil.example/x","Bấm")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "Bình thường",
    ]
    for title in titles:
        make_listing(organization=org, reference=reference, title=title, description="=1+1")
    return titles


def test_csv_export_neutralises_formulae(formulae):
    dataset = ListingResource().export()
    text = CSV().export_data(dataset)
    rows = list(tablib.Dataset().load(text, format="csv").dict)
    titles = {row["Title"] for row in rows}  # named in the active language (English here)
    assert titles == {
        '\'=HYPERLINK("http://evil.example/x","Bấm")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "Bình thường",
    }
    assert {row["Description"] for row in rows} == {"'=1+1"}
    assert rows[0]["Organization"] == "HTX Cà phê Suối Mơ"
    assert rows[0]["Quantity"] == "20" and rows[0]["Unit"] == "tonne"


def test_xlsx_export_holds_text_not_formulae(formulae):
    content = XLSX().export_data(ListingResource().export())
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c for c in cells if c.data_type == "f"]  # not a single formula cell
    assert '\'=HYPERLINK("http://evil.example/x","Bấm")' in [c.value for c in cells]


def test_an_export_imports_back_as_duplicates_not_copies(formulae, seeded):
    """Issue 10: the same rows imported again are skipped (and the admin warns), not copied.
    The neutralised cells read back as what was exported."""
    exported = CSV().export_data(ListingResource().export())
    result = run_import(dataset_from_csv(exported), dry_run=False, user=seeded.officer)
    assert errors_of(result) == []
    assert result.totals["skip"] == 5 and result.totals["new"] == 0
    assert Listing.objects.filter(title='=HYPERLINK("http://evil.example/x","Bấm")').count() == 1

    changed = exported.replace("Bình thường", "Bình thường mới")
    result = run_import(dataset_from_csv(changed), dry_run=False, user=seeded.officer)
    assert result.totals["new"] == 1
    assert Listing.objects.get(title="Bình thường mới").description == "=1+1"


def test_expired_and_today_windows(seeded):
    today = timezone.localdate().strftime("%d/%m/%Y")
    row = f"supply,HTX Cà phê Suối Mơ,Hôm nay,,robusta,,1,kg,,,,66,{today},{today},,,,"
    result = run_import(
        dataset_from_csv("\n".join([HEADER, row])), dry_run=False, user=seeded.officer
    )
    assert errors_of(result) == []


def test_an_import_is_an_officers_entry(seeded):
    """Officers enter listings for any organization through the import; nobody else does."""
    row = "supply,HTX Cà phê Suối Mơ,Cà phê,,robusta,,1,kg,,,,66,2026-12-01,2030-12-31,,,,open"
    dataset = dataset_from_csv("\n".join([HEADER, row]))
    member = UserFactory(username="member")
    Membership.objects.create(
        user=member, organization=seeded.orgs["HTX Hồ tiêu Đất Đỏ Cao Nguyên"]
    )

    for user in (None, member):
        result = run_import(dataset, dry_run=False, user=user)
        assert errors_of(result) == [
            "1:organization: Only trade-promotion officers may enter listings for another "
            "organization."
        ]
    assert Listing.objects.count() == 0

    result = run_import(dataset, dry_run=False, user=seeded.officer)
    assert errors_of(result) == []
    assert Listing.objects.get().created_by == seeded.officer


# --- column names in the admin's language -----------------------------------------------------


def test_every_column_name_in_either_language_reads_as_its_own_column():
    """No two columns share a name once folded, in Vietnamese, in English or as keys."""
    for key in LABELS:
        assert header_key(key) == key
        for language in ("vi", "en"):
            with translation.override(language):
                label = column_label(key)
            assert header_key(label) == key, (language, label)
            assert header_key(label.upper()) == key
    assert header_key("Gia thap nhat") == "price_min"  # no accents, no "(VND)"
    assert header_key("lowest price") == "price_min"
    assert header_key("min order quantity") == "min_order_quantity"
    assert header_key("Giá") is None


@pytest.mark.parametrize(
    ("language", "title", "price"),
    [("vi", "Tiêu đề", "Giá thấp nhất (VND)"), ("en", "Title", "Lowest price (VND)")],
)
def test_the_export_and_the_preview_name_columns_in_the_active_language(
    seeded, language, title, price
):
    reference = SimpleNamespace(robusta=ProductCategory.objects.get(slug="robusta"))
    make_listing(organization=seeded.orgs["HTX Cà phê Suối Mơ"], reference=reference)
    with translation.override(language):
        dataset = ListingResource().export(Listing.objects.all())
        headers = ListingResource().get_diff_headers()
    assert title in dataset.headers and price in dataset.headers
    assert title in headers and price in headers
    assert "title" not in dataset.headers


def test_an_export_in_one_language_imports_back_in_the_other(seeded):
    reference = SimpleNamespace(robusta=ProductCategory.objects.get(slug="robusta"))
    make_listing(organization=seeded.orgs["HTX Cà phê Suối Mơ"], reference=reference)
    with translation.override("vi"):
        exported = ListingResource().export(Listing.objects.all())
    text = CSV(encoding="utf-8").export_data(exported)
    with translation.override("en"):
        result = run_import(dataset_from_csv(text), dry_run=True, user=seeded.officer)
    assert errors_of(result) == []
    assert result.totals["skip"] == 1  # read as the same listing, by every column


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("vi", "Tổ chức, Danh mục, Số lượng, Đơn vị, Tỉnh/thành"),
        ("en", "Organization, Category, Quantity, Unit, Province"),
    ],
)
def test_missing_columns_are_named_in_the_active_language(seeded, language, message):
    with translation.override(language):
        result = run_import(
            dataset_from_csv("Loại tin,Tiêu đề\nsupply,Cà phê"), dry_run=True, user=seeded.officer
        )
        error = str(result.base_errors[0].error)
    assert message in error
