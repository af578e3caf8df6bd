"""The facts of the five articles: programmes, conferences, organisers and figures."""

import datetime
from decimal import Decimal

from accounts.models import Organization
from matchmaking.models import ConnectionEvent, CooperationProgramme, ReportedFigure

NORTHERN_CURRENT = {
    # Northern Midlands and Mountains (14 pre-2025 provinces → 9)
    "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai", "Thái Nguyên",
    "Lạng Sơn", "Phú Thọ",
    # Red River Delta (11 → 6)
    "Hà Nội", "Hải Phòng", "Quảng Ninh", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    # North Central (3)
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh",
}  # fmt: skip


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_every_programme_event_and_figure_has_a_source(seeded):
    assert CooperationProgramme.objects.count() == 5
    assert ConnectionEvent.objects.count() == 5
    assert not CooperationProgramme.objects.filter(source__isnull=True).exists()
    assert not ConnectionEvent.objects.filter(source__isnull=True).exists()
    assert not ReportedFigure.objects.filter(source__isnull=True).exists()
    for event in ConnectionEvent.objects.all():
        assert event.source.key.startswith("article-")
        assert event.themes and all(set(t) == {"vi", "en"} for t in event.themes)


def test_the_seeded_conferences_are_finished_events(seeded):
    assert set(ConnectionEvent.objects.values_list("status", flat=True)) == {"finished"}


def test_five_cities_agreement(seeded):
    programme = CooperationProgramme.objects.get(slug="five-cities-2023-2025")
    assert names(programme.provinces) == {
        "Hà Nội",
        "Hồ Chí Minh",
        "Hải Phòng",
        "Đà Nẵng",
        "Cần Thơ",
    }
    assert (programme.period_start, programme.period_end) == (2023, 2025)
    assert programme.signed_on == datetime.date(2023, 10, 2)
    event = programme.events.get()
    assert event.organiser.name == "Sở Công Thương Hà Nội"
    assert event.place.name == "Hà Nội"


def test_hcmc_and_nine_provinces_map_to_current_provinces(seeded):
    programme = CooperationProgramme.objects.get(slug="hcmc-nine-northern-provinces")
    # Bắc Kạn → Thái Nguyên, Hà Nam → Ninh Bình, Quảng Bình and Quảng Trị → Quảng Trị.
    assert names(programme.provinces) == {
        "Hồ Chí Minh", "Thái Nguyên", "Cao Bằng", "Ninh Bình", "Hà Tĩnh", "Nghệ An",
        "Quảng Trị", "Thanh Hóa", "Huế",
    }  # fmt: skip
    assert programme.signed_on == datetime.date(2023, 3, 1)
    assert programme.signed_on_precision == "month"
    event = ConnectionEvent.objects.get(slug="hcmc-2024-nine-provinces-review")
    assert event.held_on == datetime.date(2024, 10, 2)
    assert event.organiser.name.endswith("(ITPC)")
    assert names(event.provinces) == names(programme.provinces)


def test_hcmc_and_central_highlands(seeded):
    programme = CooperationProgramme.objects.get(slug="hcmc-central-highlands")
    # Đắk Nông → Lâm Đồng, Kon Tum → Quảng Ngãi.
    assert names(programme.provinces) == {
        "Hồ Chí Minh", "Đắk Lắk", "Gia Lai", "Lâm Đồng", "Quảng Ngãi"
    }  # fmt: skip
    event = programme.events.get()
    assert event.held_on == datetime.date(2024, 4, 3)
    assert event.organiser.name == "Sở Công Thương TP. Hồ Chí Minh"
    assert event.source.title == "Tây Nguyên và TP. Hồ Chí Minh kết nối cung cầu cho nông sản"


def test_northern_28_provinces_are_their_current_18(seeded):
    programme = CooperationProgramme.objects.get(slug="northern-28-provinces")
    assert names(programme.provinces) == NORTHERN_CURRENT
    event = programme.events.get()
    assert event.held_on == datetime.date(2024, 5, 17)  # "on Friday" before 21 May 2024
    assert event.figures.get(key="participating-provinces").value == 28


def test_five_cities_and_the_mekong_delta(seeded):
    programme = CooperationProgramme.objects.get(slug="five-cities-mekong-delta")
    assert {"An Giang", "Cà Mau", "Đồng Tháp", "Vĩnh Long", "Cần Thơ", "Hà Nội"} <= names(
        programme.provinces
    )
    event = ConnectionEvent.objects.get(slug="can-tho-2024-five-cities-7th")
    assert event.held_on == datetime.date(2024, 8, 30)
    assert event.place.name == "Cần Thơ"
    assert {"seafood", "shrimp"} == set(event.product_categories.values_list("slug", flat=True))


def test_reported_figures(seeded):
    def figure(event, key):
        return ReportedFigure.objects.get(event__slug=event, key=key)

    assert figure("can-tho-2024-five-cities-7th", "five-cities-export-share").value == Decimal(
        "26.5"
    )
    assert figure("ha-noi-2023-five-cities-signing", "five-cities-export-share").value == Decimal(
        "24.8"
    )
    retail = figure("ha-noi-2023-five-cities-signing", "five-cities-retail-share")
    assert (retail.value, retail.unit) == (Decimal("38.33"), "%")
    assert figure("ha-noi-2023-five-cities-signing", "national-retail-growth").value == 10
    activities = figure("hcmc-2024-nine-provinces-review", "itpc-region-level-activities")
    assert (activities.value, activities.period) == (3, "2023")


def test_organisers_are_verified_agencies_with_a_source(seeded):
    agencies = Organization.objects.filter(kind=Organization.Kind.AGENCY)
    assert {
        "Bộ Công Thương",
        "Sở Công Thương Hà Nội",
        "Sở Công Thương TP. Hồ Chí Minh",
        "Sở Công Thương Cần Thơ",
        "Sở Công Thương Đà Nẵng",
        "Sở Công Thương Hải Phòng",
    } <= names(agencies)
    assert not agencies.filter(source__isnull=True).exists()
    assert not agencies.filter(verified=False).exists()
    assert not Organization.objects.exclude(kind=Organization.Kind.AGENCY).exists()  # no demo
