"""Read-only reference data. Anyone may read it; officers edit it in the admin."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from catalog.models import Certification, ProductCategory, Province, Unit
from catalog.serializers import (
    CategorySerializer,
    CertificationSerializer,
    ProvinceSerializer,
    UnitSerializer,
)


class ProvinceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search")
    region = django_filters.CharFilter(field_name="region__code")

    class Meta:
        model = Province
        fields = ["q", "region", "kind"]

    def search(self, queryset, name, value):
        return queryset.search(value)


@extend_schema_view(list=extend_schema(summary="Provinces (34 since 1 July 2025)"))
class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProvinceSerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = ProvinceFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{1,2}"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Province.objects.select_related("region").prefetch_related("legacy_names")


class CategoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search")
    parent = django_filters.CharFilter(field_name="parent__slug")
    root = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull")

    class Meta:
        model = ProductCategory
        fields = ["q", "parent", "root", "ocop_group"]

    def search(self, queryset, name, value):
        return queryset.search(value)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    permission_classes = [permissions.AllowAny]
    filterset_class = CategoryFilter
    lookup_field = "slug"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = ProductCategory.objects.select_related("parent")


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UnitSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Unit.objects.all()
    filterset_fields = ["dimension"]


class CertificationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CertificationSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"
    queryset = Certification.objects.all()
