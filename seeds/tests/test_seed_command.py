from io import StringIO

from django.core.management import call_command

from accounts.models import Organization
from catalog.models import (
    Certification,
    LegacyName,
    Product,
    ProductCategory,
    Province,
    Region,
    Source,
    Unit,
)
from listings.models import Listing
from matchmaking.models import ConnectionEvent, CooperationProgramme, ReportedFigure
from seeds.data.products import PRODUCTS
from seeds.loaders import seed_all
from seeds.sync import CREATED, UPDATED

MODELS = [
    Source,
    Region,
    Province,
    LegacyName,
    Unit,
    Certification,
    ProductCategory,
    Product,
    Organization,
    CooperationProgramme,
    ConnectionEvent,
    ReportedFigure,
]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_the_first_load_creates_the_reference_data(seeded):
    assert seeded.total(UPDATED) == 0
    assert seeded.counts["catalog.Province"][CREATED] == 34
    assert seeded.counts["catalog.Region"][CREATED] == 6
    assert Region.objects.count() == 6
    assert Province.objects.count() == 34
    assert LegacyName.objects.filter(kind=LegacyName.Kind.LEGACY_PROVINCE).count() == 63
    assert Listing.objects.count() == 0  # no listings without --demo


def test_a_second_run_writes_nothing(seeded):
    before = counts()
    history = Organization.history.count()
    stamps = dict(Organization.objects.values_list("pk", "updated_at"))

    report = seed_all()

    assert report.total(CREATED) == 0
    assert report.total(UPDATED) == 0
    assert report.changed == 0
    assert counts() == before
    assert Organization.history.count() == history  # nothing re-saved
    assert dict(Organization.objects.values_list("pk", "updated_at")) == stamps


def test_the_command_prints_a_summary_per_model(seeded):
    out = StringIO()
    call_command("seed", stdout=out)
    text = out.getvalue()
    assert "catalog.Province" in text
    assert "Already up to date: nothing written." in text
    province_line = next(line for line in text.splitlines() if line.startswith("catalog.Province"))
    assert province_line.split()[1:] == ["0", "0", "34"]


def test_a_changed_row_is_brought_back_and_reported(seeded):
    Province.objects.filter(code="79").update(name_en="Saigon")
    report = seed_all()
    assert report.counts["catalog.Province"][UPDATED] == 1
    assert report.changed == 1
    assert Province.objects.get(code="79").name_en == "Ho Chi Minh City"


def test_the_category_tree(seeded):
    categories = ProductCategory.objects.all()
    assert 80 <= categories.count() <= 120
    for slug in ("coffee", "robusta", "durian", "shrimp", "pangasius", "rice", "tea", "pepper"):
        assert categories.filter(slug=slug).exists(), slug
    for category in categories:
        assert len(category.ancestors()) <= 2, category.slug  # at most three levels
        assert category.name and category.name_en
    groups = categories.filter(ocop_group=True, parent__isnull=True)
    assert groups.count() == 6
    robusta = categories.get(slug="robusta")
    assert robusta.parent.slug == "coffee"
    assert "cà phê vối" in robusta.synonyms and "ca phe voi" in robusta.synonyms
    assert ProductCategory.objects.search("ca phe voi").filter(slug="robusta").exists()


def test_units_and_certifications(seeded):
    assert {"kg", "tonne", "ta", "yen", "l", "box"} <= set(
        Unit.objects.values_list("code", flat=True)
    )
    codes = set(Certification.objects.values_list("code", flat=True))
    assert codes == {
        "vietgap",
        "globalgap",
        "organic",
        "haccp",
        "iso22000",
        "halal",
        "gi",
        "brc",
        "fairtrade",
        "rainforest",
        "4c",
        "asc",
        "bap",
    }
    assert Certification.objects.get(code="gi").name == "Chỉ dẫn địa lý"


def test_products_have_a_source_and_a_current_origin(seeded):
    products = Product.objects.select_related("origin_province", "source", "category")
    assert products.count() == len(PRODUCTS)
    assert 40 <= products.count() <= 60
    assert not products.filter(source__isnull=True).exists()
    assert not products.filter(ocop_stars__isnull=False).exists()  # none claimed
    ginseng = products.get(name="Sâm Ngọc Linh")
    assert ginseng.origin_province.name == "Quảng Ngãi"  # Kon Tum → Quảng Ngãi
    assert products.get(name="Gạo ST25").origin_province.name == "Cần Thơ"  # Sóc Trăng
    assert products.get(name="Hồng không hạt Bắc Kạn").origin_province.name == "Thái Nguyên"
    bmt = products.get(name="Cà phê Buôn Ma Thuột")
    assert bmt.geographical_indication and bmt.category.slug == "robusta"
    assert bmt.source.key == "ipvietnam-gi-register"
    for product in products.filter(geographical_indication=True):
        assert product.source.key == "ipvietnam-gi-register", product.name


def test_article_sources_say_what_was_inferred(seeded):
    article = Source.objects.get(key="article-ha-noi-2023-five-cities")
    assert article.outlet == "Viet Nam News (VNS)"
    assert article.published_on.isoformat() == "2023-10-03"
    assert "001_05444abccb5cf6e6.txt" in article.note
    assert "Monday" in article.note
    for source in Source.objects.filter(key__startswith="article-"):
        assert "Stored file:" in source.note
        assert source.url == ""
