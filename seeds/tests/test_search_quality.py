"""Search quality on the demo market: what each query must and must not find, and in which
order, on PostgreSQL's ranked full-text search and on the portable path SQLite uses."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from listings import search
from listings.models import Listing

ROBUSTA_BMT = "Cà phê nhân Robusta Buôn Ma Thuột sàng 18"
ROBUSTA_GL = "Cà phê nhân Robusta Gia Lai"
ARABICA = "Cà phê Arabica Cầu Đất chế biến ướt"
HONEY = ("Mật ong rừng U Minh", "Mật ong rừng OCOP")
CRABS = ("Cua biển Cà Mau (cua gạch, cua thịt)", "Cua biển sống xuất khẩu")
PEPPER = ("Hồ tiêu đen 500 g/l", "Hồ tiêu đen Chư Sê", "Thu mua hồ tiêu đen cho nhà máy đóng gói")
NOODLES = ("Miến dong, bún khô đặc sản", "Miến dong Na Rì")
RI6 = ("Sầu riêng Ri6 vụ chính", "Thu mua sầu riêng Ri6, Monthong")
MONTHONG = "Sầu riêng Monthong Gia Lai"
DURIANS = (*RI6, MONTHONG, "Sầu riêng xuất khẩu GlobalGAP")

# query, titles it must find, titles it must not find
CASES = [
    ("coffee", (ROBUSTA_BMT, ARABICA, "Cà phê rang xay OCOP"), HONEY),
    ("ca phe", (ROBUSTA_BMT, ROBUSTA_GL, ARABICA), HONEY),
    ("cà phê", (ROBUSTA_BMT, "Cà phê Robusta đạt Rainforest Alliance"), HONEY),
    ("robusta", (ROBUSTA_BMT, ROBUSTA_GL), (ARABICA, *HONEY)),
    ("cua", CRABS, ("Gạo ST25 cho chuỗi cửa hàng", "Mật ong rừng OCOP")),
    ("crab", CRABS, ("Gạo ST25 cho chuỗi cửa hàng",)),
    ("tieu den", PEPPER, NOODLES),
    ("black pepper", PEPPER, NOODLES),
    ("tiêu trắng", ("Tiêu trắng (tiêu sọ) xuất khẩu",), NOODLES),
    ("ca phe dak lak", (ROBUSTA_BMT,), (ROBUSTA_GL, ARABICA)),
    ("sầu riêng ri6", RI6, ()),
    ("durian", DURIANS, (ROBUSTA_BMT,)),
    ("durain", DURIANS, (ROBUSTA_BMT,)),
    ("ca fe", (ROBUSTA_BMT, ARABICA), HONEY),
    ("bơ", ("Bơ sáp 034 loại 1", "Bơ Booth Bảo Lộc"), ()),
    ("avocado", ("Bơ sáp 034 loại 1", "Thu mua bơ sáp"), ()),
    ("chợ quê", ("Gạo ST25 cho chuỗi cửa hàng", "Mật ong rừng OCOP"), (ROBUSTA_BMT,)),
    ("gia lai", (ROBUSTA_GL, MONTHONG), (ROBUSTA_BMT,)),
    ("honey", HONEY, (ROBUSTA_GL, ARABICA)),
]

ENGINES = ["postgresql", "portable"]


@pytest.fixture(scope="module")
def demo_market(seed_report, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed", "--demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def found(demo_market, db):
    def titles(q: str, engine: str) -> list[str]:
        queryset = search.search(Listing.objects.open(), q, engine=engine)
        return list(search.ranked(queryset).values_list("title", flat=True))

    return titles


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("q", "must", "must_not"), CASES, ids=[case[0] for case in CASES])
def test_query_finds_what_it_must_and_nothing_it_must_not(found, engine, q, must, must_not):
    titles = found(q, engine)
    assert set(must) <= set(titles), f"{q!r} missed {set(must) - set(titles)}"
    assert not set(must_not) & set(titles), f"{q!r} found {set(must_not) & set(titles)}"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_exact_phrase_ranks_above_the_same_concepts(found, engine):
    titles = found("sầu riêng ri6", engine)
    assert set(titles[:2]) == set(RI6)
    assert titles.index(MONTHONG) > 1


@pytest.mark.parametrize("engine", ENGINES)
def test_the_product_asked_for_ranks_above_the_place(found, engine):
    # Đắk Lắk's coffee first; the pepper of the same coffee cooperative (whose name says
    # "Cà phê") and its product "Hồ tiêu Đắk Lắk" after it.
    titles = found("ca phe dak lak", engine)
    assert titles[0].startswith("Cà phê")
    assert titles.index("Hồ tiêu đen 500 g/l") > 2


@pytest.mark.parametrize("engine", ENGINES)
def test_a_title_ranks_above_a_category(found, engine):
    # Both are robusta; only the first names "rang xay" (roasted) in its title.
    titles = found("ca phe rang xay", engine)
    assert titles[0] in ("Cà phê rang xay Robusta nguyên chất", "Cà phê rang xay OCOP")


@pytest.mark.parametrize("q", [case[0] for case in CASES])
def test_both_engines_find_the_same_listings(found, q):
    assert set(found(q, "postgresql")) == set(found(q, "portable"))
