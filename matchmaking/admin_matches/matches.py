"""The match admin: read-only rows with their reasons, links, contacts and audit trail."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from catalog.admin import FoldedSearchMixin
from listings.models import Listing
from matchmaking.admin_matches.actions import MatchActionsMixin
from matchmaking.admin_matches.common import ReadOnlyInline
from matchmaking.admin_matches.filters import CategoryFilter, ProgrammeFilter, RegionFilter
from matchmaking.admin_matches.introduce import IntroduceMixin, listing_label
from matchmaking.admin_matches.resources import MatchResource
from matchmaking.explanations import explain_page
from matchmaking.models import Match, MatchTransition
from matchmaking.templatetags.matchmaking_tags import FACTOR_LABELS


class MatchTransitionInline(ReadOnlyInline):
    model = MatchTransition
    fields = ("at", "from_status", "to_status", "side", "as_officer", "by_user", "reason", "note")
    readonly_fields = fields
    max_num = 0
    ordering = ("at", "pk")


@admin.register(Match)
class MatchAdmin(
    MatchActionsMixin, IntroduceMixin, FoldedSearchMixin, ExportMixin, SimpleHistoryAdmin
):
    list_display = (
        "id",
        "pair",
        "score_percent",
        "status",
        "origin",
        "hidden",
        "supply_province",
        "respond_by",
        "created_at",
    )
    list_display_links = ("id", "pair")
    list_filter = (
        "status",
        "origin",
        "hidden",
        # Every province (34): "only those with matches" read every match twice per page
        # (120 ms each at 200,000 matches).
        "supply__province",
        "demand__province",
        RegionFilter,
        CategoryFilter,
        ProgrammeFilter,
    )
    list_select_related = (
        "supply__organization",
        "supply__province",
        "demand__organization",
        "demand__province",
    )
    search_fields = ("supply__title",)  # shows the box; the term is folded (FoldedSearchMixin)
    folded_search_fields = (
        "supply__search_text",
        "demand__search_text",
        "supply__organization__search_text",
        "demand__organization__search_text",
    )
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    inlines = [MatchTransitionInline]
    resource_classes = [MatchResource]
    formats = [CSV, XLSX]
    import_export_change_list_template = "matchmaking/admin/match_change_list.html"
    fieldsets = (
        (None, {"fields": ("status", "origin", "introduced_by", "hidden", "score", "why")}),
        (_("Listings"), {"fields": ("supply_link", "demand_link", "suggested_quantity")}),
        (
            _("Review"),
            {
                "fields": (
                    "respond_by",
                    "reminded_at",
                    "supply_accepted_at",
                    "demand_accepted_at",
                    "connected_at",
                    "decline_reason",
                    "declined_by_side",
                    "decline_note",
                )
            },
        ),
        (_("Contacts"), {"fields": ("contacts",)}),
        (_("Matching"), {"fields": ("engine_version", "last_run", "created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [f for group in self.fieldsets for f in group[1]["fields"]]

    def has_add_permission(self, request):
        return False  # by hand: "Introduce a match" (the object tool above the list)

    def has_delete_permission(self, request, obj=None):
        return False  # the audit trail stays; hide a proposal instead

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- columns and read-only fields ---

    @admin.display(description=_("match"), ordering="supply__title")
    def pair(self, obj: Match):
        return format_html(
            "{} <small>({})</small> ↔ {} <small>({})</small>",
            obj.supply.title,
            obj.supply.organization.name,
            obj.demand.title,
            obj.demand.organization.name,
        )

    @admin.display(description=_("score"), ordering="score")
    def score_percent(self, obj: Match) -> str:
        return f"{round(obj.score * 100)}%"

    @admin.display(description=_("supply province"), ordering="supply__province__name")
    def supply_province(self, obj: Match) -> str:
        return obj.supply.province.name

    @admin.display(description=_("why this match"))
    def why(self, obj: Match):
        items = explain_page([obj]).get(obj.pk, [])
        if not items:
            return "—"
        return format_html(
            "<ul style='margin:0;padding-left:1.2em'>{}</ul>",
            format_html_join(
                "",
                "<li><b>{}</b> {}% (×{}) — {}</li>",
                (
                    (
                        FACTOR_LABELS.get(i["factor"], i["factor"]),
                        round(i["value"] * 100),
                        round(i["weight"], 2),
                        i["detail"],
                    )
                    for i in items
                ),
            ),
        )

    def _listing_link(self, listing: Listing):
        try:
            url = reverse(f"{self.admin_site.name}:listings_listing_change", args=[listing.pk])
        except Exception:
            url = reverse("listings:detail", args=[listing.pk])
        return format_html('<a href="{}">{}</a>', url, listing_label(listing))

    @admin.display(description=_("supply"))
    def supply_link(self, obj: Match):
        return self._listing_link(obj.supply)

    @admin.display(description=_("demand"))
    def demand_link(self, obj: Match):
        return self._listing_link(obj.demand)

    @admin.display(description=_("contacts (officers see both sides)"))
    def contacts(self, obj: Match):
        rows = []
        for listing in (obj.supply, obj.demand):
            org = listing.organization
            rows.append(
                (
                    org.name,
                    " · ".join(
                        v for v in (org.contact_person, org.phone, org.email, org.address) if v
                    )
                    or "—",
                )
            )
        return format_html_join("", "<p><b>{}</b>: {}</p>", rows)
