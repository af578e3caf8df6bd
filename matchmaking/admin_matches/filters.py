"""List filters of the match admin (region, category subtree, programme) and of notifications."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductCategory, Region
from core.formatting import localized_name
from matchmaking.models import CooperationProgramme


class RegionFilter(admin.SimpleListFilter):
    title = _("region (either side)")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(r.code, localized_name(r)) for r in Region.objects.order_by("order", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        return queryset.filter(
            Q(supply__province__region__code=self.value())
            | Q(demand__province__region__code=self.value())
        )


class CategoryFilter(admin.SimpleListFilter):
    """A product group or category, everything below it included."""

    title = _("product category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        rows = []
        roots = ProductCategory.objects.filter(parent__isnull=True).order_by("order", "name")
        children = ProductCategory.objects.filter(parent__in=roots).order_by("order", "name")
        by_parent: dict[int, list] = {}
        for child in children:
            by_parent.setdefault(child.parent_id, []).append(child)
        for root in roots:
            rows.append((root.slug, localized_name(root)))
            rows.extend((c.slug, f"— {localized_name(c)}") for c in by_parent.get(root.pk, []))
        return rows

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        category = ProductCategory.objects.filter(slug=self.value()).first()
        if category is None:
            return queryset.none()
        ids = category.descendant_ids()
        return queryset.filter(Q(supply__category_id__in=ids) | Q(demand__category_id__in=ids))


class ProgrammeListFilter(admin.SimpleListFilter):
    """Picks a cooperation programme by its slug; subclasses say what belongs to it."""

    title = _("cooperation programme")
    parameter_name = "programme"

    def lookups(self, request, model_admin):
        return [(p.slug, p.name) for p in CooperationProgramme.objects.order_by("name")]

    def programme(self) -> CooperationProgramme | None:
        return CooperationProgramme.objects.filter(slug=self.value() or "").first()


class ProgrammeFilter(ProgrammeListFilter):
    """Matches whose two provinces both belong to a cooperation programme."""

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        programme = self.programme()
        if programme is None:
            return queryset.none()
        provinces = programme.provinces.values("pk")
        return queryset.filter(supply__province_id__in=provinces, demand__province_id__in=provinces)


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return [("yes", _("Read")), ("no", _("Unread"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        return queryset
