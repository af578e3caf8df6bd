"""Reference rows for tests that do not load the full seed."""

import factory

from catalog.models import Certification, ProductCategory, Province, Region
from catalog.units import ensure_units  # noqa: F401 - re-exported for tests


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "central-highlands"
    name = "Tây Nguyên"
    name_en = "Central Highlands"


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "66"
    name = "Đắk Lắk"
    name_en = "Dak Lak"
    kind = Province.Kind.PROVINCE
    region = factory.SubFactory(RegionFactory)
    latitude = 12.7067
    longitude = 108.47


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductCategory
        django_get_or_create = ("slug",)

    slug = "coffee"
    name = "Cà phê"
    name_en = "Coffee"
    synonyms = ["ca phe", "coffee"]


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ("code",)

    code = "vietgap"
    name = "VietGAP"
    name_en = "VietGAP"
