"""Query-string filters of ``GET /api/v1/listings/``.

Unknown categories, provinces, regions and certifications answer 400 with a message naming
the value, so that a typo is not mistaken for "nothing on offer".
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import QueryArrayWidget
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from accounts.selectors import member_organization_ids
from catalog.models import Certification, ProductCategory, Province, Region
from listings.models import Listing


def _short(value: str) -> str:
    return str(value)[:60]


def _found(found, field: str, unknown: str, value: str):
    """What a filter value names, or a 400 that quotes the value under the filter's name."""
    if found is None:
        raise ValidationError({field: [unknown % {"value": _short(value)}]})
    return found


class CodeListField(forms.Field):
    """Codes given as ``?x=a&x=b`` or ``?x=a,b``: a list of cleaned, non-empty strings."""

    widget = QueryArrayWidget

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        codes: list[str] = []
        for item in value:
            for part in str(item).split(","):
                part = part.strip().lower()
                if "\x00" in part:
                    raise forms.ValidationError(_("Null characters are not allowed."))
                if part and part not in codes:
                    codes.append(part)
        return codes


@extend_schema_field(
    {
        "type": "array",
        "items": {"type": "string"},
        "description": "Codes, repeated (?x=a&x=b) or comma-separated (?x=a,b).",
    }
)
class CodeListFilter(django_filters.Filter):
    field_class = CodeListField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id: a whole number within the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ListingFilter(django_filters.FilterSet):
    side = django_filters.ChoiceFilter(choices=Listing.Side.choices)
    status = django_filters.ChoiceFilter(choices=Listing.Status.choices)
    category = django_filters.CharFilter(
        method="filter_category",
        label=_("Category slug; its sub-categories are included."),
    )
    province = django_filters.CharFilter(
        method="filter_province",
        label=_("Province code, or a current, legacy or unaccented name."),
    )
    region = django_filters.CharFilter(method="filter_region", label=_("Region code."))
    organization = IdFilter(field_name="organization_id", label=_("Organization id."))
    certification = CodeListFilter(
        method="filter_certification",
        label=_(
            "Certification code, repeated or comma-separated: listings holding (or requiring) "
            "all of them."
        ),
    )
    available_from = django_filters.DateFilter(
        method="filter_available_from",
        label=_("Listings still available on or after this date."),
    )
    available_until = django_filters.DateFilter(
        method="filter_available_until",
        label=_("Listings already available on or before this date."),
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", label=_("true: only listings of the caller's organizations.")
    )
    q = django_filters.CharFilter(
        method="filter_q",
        label=_(
            "Search in title, product, category, province, organization and description: "
            "whole words, diacritics optional, Vietnamese/English names, misspellings mended; "
            "the most relevant first unless ordering is given."
        ),
    )

    class Meta:
        model = Listing
        fields = [
            "side",
            "status",
            "category",
            "province",
            "region",
            "organization",
            "certification",
            "available_from",
            "available_until",
            "mine",
            "q",
        ]

    def filter_category(self, queryset, name, value):
        category = _found(
            ProductCategory.objects.filter(slug=value.strip().lower()).first(),
            name,
            _("Unknown category “%(value)s”."),
            value,
        )
        return queryset.filter(category_id__in=category.descendant_ids())

    def filter_province(self, queryset, name, value):
        province = _found(
            Province.objects.resolve(value), name, _("Unknown province “%(value)s”."), value
        )
        return queryset.filter(province=province)

    def filter_region(self, queryset, name, value):
        region = _found(
            Region.objects.filter(code=value.strip().lower()).first(),
            name,
            _("Unknown region “%(value)s”."),
            value,
        )
        return queryset.filter(province__region=region)

    def filter_certification(self, queryset, name, codes: list[str]):
        if not codes:
            return queryset
        found = dict(Certification.objects.filter(code__in=codes).values_list("code", "pk"))
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValidationError(
                {
                    "certification": [
                        _("Unknown certification “%(value)s”.") % {"value": _short(code)}
                        for code in unknown
                    ]
                }
            )
        for pk in found.values():
            queryset = queryset.filter(certifications=pk)
        return queryset

    def filter_available_from(self, queryset, name, value):
        # Overlap with [from, until]: the listing must not have ended before ``from``.
        return queryset.filter(available_until__gte=value)

    def filter_available_until(self, queryset, name, value):
        return queryset.filter(available_from__lte=value)

    def filter_mine(self, queryset, name, value):
        if value is not True:
            return queryset
        user = self.request.user if self.request else None
        return queryset.filter(organization_id__in=member_organization_ids(user))

    def filter_q(self, queryset, name, value):
        return queryset.search(value)
