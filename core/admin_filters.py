"""Admin list filters whose values follow the admin's language.

Django's related-field filter lists ``str(obj)``, which for the reference data (regions,
provinces, categories, certifications) is the Vietnamese name: an English admin read "Tây
Nguyên" under "By region". :class:`LocalizedRelatedFilter` lists ``name_en`` on English pages
(``core.formatting.localized_name``), the Vietnamese name otherwise.
"""

from __future__ import annotations

from django.contrib import admin

from core.formatting import localized_name


class LocalizedRelatedFilter(admin.RelatedFieldListFilter):
    """``list_filter = [("category", LocalizedRelatedFilter)]``; also across relations
    (``("province__region", LocalizedRelatedFilter)``)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.related_model._default_manager.complex_filter(field.get_limit_choices_to())
        if ordering:
            related = related.order_by(*ordering)
        rows = [(obj.pk, localized_name(obj)) for obj in related]
        if not ordering:
            rows.sort(key=lambda row: row[1].casefold())
        return rows
