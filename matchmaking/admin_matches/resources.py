"""The officers' CSV / XLSX export of matches (django-import-export)."""

from __future__ import annotations

from import_export import fields

from core.spreadsheets import SafeExportResource
from matchmaking.models import Match


class MatchResource(SafeExportResource):  # formulas and control characters made safe
    supply_title = fields.Field("supply__title", column_name="supply_title")
    supply_organization = fields.Field(
        "supply__organization__name", column_name="supply_organization"
    )
    supply_province = fields.Field("supply__province__code", column_name="supply_province")
    demand_title = fields.Field("demand__title", column_name="demand_title")
    demand_organization = fields.Field(
        "demand__organization__name", column_name="demand_organization"
    )
    demand_province = fields.Field("demand__province__code", column_name="demand_province")
    category = fields.Field("supply__category__slug", column_name="category")

    class Meta:
        model = Match
        fields = (
            "id",
            "supply",
            "supply_title",
            "supply_organization",
            "supply_province",
            "demand",
            "demand_title",
            "demand_organization",
            "demand_province",
            "category",
            "score",
            "suggested_quantity",
            "status",
            "origin",
            "hidden",
            "decline_reason",
            "declined_by_side",
            "respond_by",
            "connected_at",
            "created_at",
        )
        export_order = fields

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related(
            "supply__organization", "supply__province", "supply__category",
            "demand__organization", "demand__province",
        )  # fmt: skip
