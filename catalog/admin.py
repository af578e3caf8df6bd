"""Admin for the shared vocabulary, and the two mixins every admin of the project reuses.

``FoldedSearchMixin``: search that ignores diacritics and case ("dak lak", "Đắk Lắk" and
"daklak" find the same rows). ``SeededSourceMixin``: a row seeded from a public source keeps
that source; the field turns read-only once set.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

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
from catalog.text import fold, fold_compact
from core.forms import HTTPS_URLS


class FoldedSearchMixin:
    """Admin search on folded text, so that typing without diacritics finds everything.

    The search term is folded with ``catalog.text.fold`` (lower case, no diacritics, "đ" → "d")
    and matched against:

    - ``folded_search_fields``: columns that already hold folded text, such as a model's
      ``search_text`` (also through relations: ``legacy_names__folded``). Every word of the
      term must occur in one of them, as in Django's own search.
    - ``compact_search_fields``: columns holding the compact form (no spaces), so that
      "daklak" finds "Đắk Lắk".
    - ``python_fold_fields``: for small tables without a folded column, these attributes are
      folded in Python (up to ``python_fold_limit`` rows).

    Django's ``search_fields`` still apply to the raw term (codes, e-mail addresses) and make
    the search box appear; the results are the union of all of these. Autocomplete widgets use
    the same search.
    """

    folded_search_fields: tuple[str, ...] = ()
    compact_search_fields: tuple[str, ...] = ()
    python_fold_fields: tuple[str, ...] = ()
    python_fold_limit: int = 5000

    def get_search_results(self, request, queryset, search_term):
        folded = fold(search_term)
        if not folded:
            return queryset, False
        raw, _raw_duplicates = super().get_search_results(request, queryset, search_term)
        condition = Q(pk__in=raw.values("pk"))
        words = folded.split()
        if self.folded_search_fields:
            every_word = Q()
            for word in words:
                any_field = Q()
                for name in self.folded_search_fields:
                    any_field |= Q(**{f"{name}__icontains": word})
                every_word &= any_field
            condition |= every_word
        compact = folded.replace(" ", "")
        for name in self.compact_search_fields:
            condition |= Q(**{f"{name}__icontains": compact})
        if self.python_fold_fields:
            condition |= Q(pk__in=self._python_fold_matches(queryset, words))
        may_have_duplicates = any(
            "__" in name for name in (*self.folded_search_fields, *self.compact_search_fields)
        )
        return queryset.filter(condition), may_have_duplicates

    def _python_fold_matches(self, queryset, words: list[str]) -> list:
        fields = self.python_fold_fields
        ids = []
        for row in queryset.values("pk", *fields)[: self.python_fold_limit]:
            text = fold(" ".join(str(row[name] or "") for name in fields))
            if all(word in text for word in words):
                ids.append(row["pk"])
        return ids


class SeededSourceMixin:
    """The ``source`` of a row taken from a public source is shown read-only."""

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and getattr(obj, "source_id", None) and "source" not in fields:
            fields.append("source")
        return fields


class CategoryGroupFilter(admin.SimpleListFilter):
    """Filter by a top-level group of the category tree, including everything below it."""

    title = _("product group")
    parameter_name = "group"
    category_field = "pk"  # the lookup holding the category id on the filtered model

    def lookups(self, request, model_admin):
        roots = ProductCategory.objects.filter(parent__isnull=True)
        return [(root.slug, root.name) for root in roots]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        root = ProductCategory.objects.filter(slug=self.value()).first()
        if root is None:
            return queryset.none()
        return queryset.filter(**{f"{self.category_field}__in": root.descendant_ids()})


class ProductCategoryGroupFilter(CategoryGroupFilter):
    category_field = "category_id"


# --- sources ---------------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(FoldedSearchMixin, admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ("key", "outlet", "published_on", "title")
    list_filter = ("outlet",)
    date_hierarchy = "published_on"
    search_fields = ("key", "url")
    python_fold_fields = ("key", "outlet", "title", "note")
    ordering = ("-published_on", "key")


# --- geography -------------------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "code", "order", "province_count")
    search_fields = ("code",)
    python_fold_fields = ("code", "name", "name_en")
    prepopulated_fields = {"code": ("name_en",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_provinces=Count("provinces"))

    @admin.display(description=_("provinces"), ordering="_provinces")
    def province_count(self, obj):
        return obj._provinces


class LegacyNameForm(forms.ModelForm):
    """Two names that differ only in accents, case or spacing would be one look-up key."""

    class Meta:
        model = LegacyName
        fields = ("name", "kind", "legacy_code", "province")

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = LegacyName.objects.filter(compact=fold_compact(name)).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("“%(name)s” is already recorded as “%(other)s”."),
                params={"name": name, "other": clash.first()},
                code="duplicate_legacy_name",
            )
        return name


class LegacyNameInline(admin.TabularInline):
    model = LegacyName
    form = LegacyNameForm
    fields = ("name", "kind", "legacy_code")
    extra = 0


@admin.register(Province)
class ProvinceAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "region", "former_provinces")
    list_filter = ("region", "kind")
    list_select_related = ("region",)
    search_fields = ("code",)
    folded_search_fields = ("search_text", "legacy_names__folded")
    compact_search_fields = ("compact", "compact_en", "legacy_names__compact")
    fields = ("code", "name", "name_en", "kind", "region", "latitude", "longitude")
    inlines = [LegacyNameInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("legacy_names")

    @admin.display(description=_("provinces before 1 July 2025"))
    def former_provinces(self, obj):
        return ", ".join(
            legacy.name
            for legacy in obj.legacy_names.all()
            if legacy.kind == LegacyName.Kind.LEGACY_PROVINCE
        )


@admin.register(LegacyName)
class LegacyNameAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = LegacyNameForm
    list_display = ("name", "kind", "legacy_code", "province", "region")
    list_filter = ("kind", "province__region", "province")
    list_select_related = ("province__region",)
    search_fields = ("legacy_code",)
    folded_search_fields = ("folded", "province__search_text")
    compact_search_fields = ("compact",)
    autocomplete_fields = ("province",)

    @admin.display(description=_("region"), ordering="province__region__order")
    def region(self, obj):
        return obj.province.region


# --- products ------------------------------------------------------------------------------


@admin.register(ProductCategory)
class ProductCategoryAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "parent", "ocop_group", "order")
    list_filter = ("ocop_group", CategoryGroupFilter)
    list_select_related = ("parent",)
    search_fields = ("slug",)
    folded_search_fields = ("search_text",)
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name_en",)}
    fields = ("name", "name_en", "slug", "parent", "synonyms", "ocop_group", "order")


@admin.register(Certification)
class CertificationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "order")
    search_fields = ("code",)
    python_fold_fields = ("code", "name", "name_en", "description")


@admin.register(Unit)
class UnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "dimension", "factor", "aliases")
    list_filter = ("dimension",)
    search_fields = ("code",)
    python_fold_fields = ("code", "name", "name_en", "aliases")


@admin.register(Product)
class ProductAdmin(FoldedSearchMixin, SeededSourceMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "name_en",
        "category",
        "origin_province",
        "region",
        "ocop_stars",
        "geographical_indication",
        "source",
    )
    list_filter = (
        "geographical_indication",
        "ocop_stars",
        "origin_province__region",
        ProductCategoryGroupFilter,
        "origin_province",
    )
    list_select_related = ("category", "origin_province__region", "source")
    search_fields = ("name",)
    folded_search_fields = (
        "search_text",
        "category__search_text",
        "origin_province__search_text",
    )
    autocomplete_fields = ("category", "origin_province", "source")
    fields = (
        "name",
        "name_en",
        "category",
        "origin_province",
        "ocop_stars",
        "ocop_year",
        "geographical_indication",
        "description",
        "source",
    )

    @admin.display(description=_("region"), ordering="origin_province__region__order")
    def region(self, obj):
        return obj.origin_province.region
