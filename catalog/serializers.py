from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Certification, ProductCategory, Province, Unit
from core.api import CleanCharField, StrictDecimalField, StrictModelSerializer


class ProvinceSerializer(StrictModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = CleanCharField(source="region.name", read_only=True)
    legacy_names = serializers.SerializerMethodField()

    class Meta:
        model = Province
        fields = [
            "code",
            "name",
            "name_en",
            "kind",
            "region",
            "region_name",
            "latitude",
            "longitude",
            "legacy_names",
        ]

    @extend_schema_field(serializers.ListField(child=CleanCharField()))
    def get_legacy_names(self, obj: Province) -> list[str]:
        return [
            legacy.name
            for legacy in obj.legacy_names.all()
            if legacy.kind == legacy.Kind.LEGACY_PROVINCE
        ]


class CategorySerializer(StrictModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    synonyms = serializers.ListField(child=CleanCharField(), read_only=True)

    class Meta:
        model = ProductCategory
        fields = ["slug", "name", "name_en", "parent", "ocop_group", "synonyms"]


class UnitSerializer(StrictModelSerializer):
    factor = StrictDecimalField(max_digits=14, decimal_places=6, coerce_to_string=False)
    aliases = serializers.ListField(child=CleanCharField(), read_only=True)
    base_unit = serializers.SerializerMethodField()

    class Meta:
        model = Unit
        fields = ["code", "name", "name_en", "dimension", "factor", "base_unit", "aliases"]

    def get_base_unit(self, obj: Unit) -> str:
        return {"mass": "kg", "volume": "l", "count": "piece"}[obj.dimension]


class CertificationSerializer(StrictModelSerializer):
    class Meta:
        model = Certification
        fields = ["code", "name", "name_en", "description"]
