"""The officers' admin of matches, match runs, their audit trail and notifications.

Imported by ``matchmaking/admin.py``. Nothing here changes a match directly: every action
calls ``matchmaking.services.review`` (or ``matching``), which checks that the user is an
officer and records the transition. Matches are read-only in the admin; officers hide,
unhide, reopen, export, and introduce two listings by hand.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from catalog.admin import FoldedSearchMixin
from catalog.models import ProductCategory, Region
from listings.models import Listing
from matchmaking.explanations import explain_page
from matchmaking.forms import IntroduceForm
from matchmaking.models import (
    CooperationProgramme,
    Match,
    MatchTransition,
    Notification,
)
from matchmaking.services import notifications, review
from matchmaking.services.review import MatchStateError
from matchmaking.templatetags.matchmaking_tags import FACTOR_LABELS


def _is_officer(request) -> bool:
    return bool(getattr(request.user, "is_officer", False))


class ReadOnlyAdminMixin:
    """Rows written only by services: officers look, never edit or delete here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- filters ------------------------------------------------------------------------------------


class RegionFilter(admin.SimpleListFilter):
    title = _("region (either side)")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [(r.code, r.name) for r in Region.objects.order_by("order", "name")]

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
            rows.append((root.slug, root.name))
            rows.extend((c.slug, f"— {c.name}") for c in by_parent.get(root.pk, []))
        return rows

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        category = ProductCategory.objects.filter(slug=self.value()).first()
        if category is None:
            return queryset.none()
        ids = category.descendant_ids()
        return queryset.filter(Q(supply__category_id__in=ids) | Q(demand__category_id__in=ids))


class ProgrammeFilter(admin.SimpleListFilter):
    """Matches whose two provinces both belong to a cooperation programme."""

    title = _("cooperation programme")
    parameter_name = "programme"

    def lookups(self, request, model_admin):
        return [(p.slug, p.name) for p in CooperationProgramme.objects.order_by("name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        programme = CooperationProgramme.objects.filter(slug=self.value()).first()
        if programme is None:
            return queryset.none()
        provinces = programme.provinces.values("pk")
        return queryset.filter(supply__province_id__in=provinces, demand__province_id__in=provinces)


# --- export -------------------------------------------------------------------------------------


class MatchResource(resources.ModelResource):
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


# --- matches ------------------------------------------------------------------------------------


class MatchTransitionInline(admin.TabularInline):
    model = MatchTransition
    fields = ("at", "from_status", "to_status", "side", "as_officer", "by_user", "reason", "note")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ("at", "pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ListingAutocomplete(AutocompleteSelect):
    """Admin's select2 autocomplete, fed by the introduce view's own listing search (one
    side at a time, open listings only)."""

    def __init__(self, side: str, admin_site):
        self.side = side
        super().__init__(Match._meta.get_field(side), admin_site)

    def get_url(self):
        url = reverse(f"{self.admin_site.name}:matchmaking_match_introduce_listings")
        return f"{url}?side={self.side}"


def listing_label(listing: Listing) -> str:
    return f"#{listing.pk} {listing.title} — {listing.organization.name} ({listing.province.name})"


@admin.register(Match)
class MatchAdmin(FoldedSearchMixin, ExportMixin, SimpleHistoryAdmin):
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
        ("supply__province", admin.RelatedOnlyFieldListFilter),
        ("demand__province", admin.RelatedOnlyFieldListFilter),
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
    actions = ("hide_matches", "unhide_matches", "reopen_matches")
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

    # --- actions ---

    def _each(self, request, queryset, service, done_message: str, **kwargs) -> None:
        done, failed = 0, []
        for match in queryset:
            try:
                service(match=match, by_user=request.user, **kwargs)
            except (MatchStateError, ValidationError, PermissionDenied) as exc:
                failed.append(f"#{match.pk}: {getattr(exc, 'message', exc)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        if failed:
            self.message_user(request, "; ".join(failed[:10]), messages.WARNING)

    @admin.action(description=_("Hide the selected proposals from both sides"),
                  permissions=["change"])  # fmt: skip
    def hide_matches(self, request, queryset):
        self._each(request, queryset, review.match_hide, gettext("%(count)d hidden."))

    @admin.action(description=_("Show the selected proposals again"), permissions=["change"])
    def unhide_matches(self, request, queryset):
        self._each(
            request, queryset, review.match_hide, gettext("%(count)d shown again."), hidden=False
        )

    @admin.action(description=_("Reopen the selected expired proposals"), permissions=["change"])
    def reopen_matches(self, request, queryset):
        skipped = queryset.exclude(status=Match.Status.EXPIRED).count()
        self._each(
            request,
            queryset.filter(status=Match.Status.EXPIRED),
            review.match_reopen,
            gettext("%(count)d reopened for another review period."),
        )
        if skipped:
            self.message_user(
                request,
                gettext("%(count)d skipped: only expired proposals can be reopened.")
                % {"count": skipped},
                messages.WARNING,
            )

    # --- introduce a match by hand ---

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "introduce/",
                view(self.introduce_view),
                name="matchmaking_match_introduce",
            ),
            path(
                "introduce/listings/",
                view(self.listing_search_view),
                name="matchmaking_match_introduce_listings",
            ),
            *super().get_urls(),
        ]

    def _introduce_form(self, data=None):
        form = IntroduceForm(data)
        form.fields["supply"].widget = ListingAutocomplete("supply", self.admin_site)
        form.fields["demand"].widget = ListingAutocomplete("demand", self.admin_site)
        for side in ("supply", "demand"):
            form.fields[side].queryset = Listing.objects.filter(side=side).select_related(
                "organization", "province"
            )
            form.fields[side].label_from_instance = listing_label
        return form

    def introduce_view(self, request):
        if not _is_officer(request):
            raise PermissionDenied
        form = self._introduce_form(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                match = review.match_introduce(
                    supply=data["supply"],
                    demand=data["demand"],
                    by_user=request.user,
                    suggested_quantity=data.get("suggested_quantity"),
                    note=data.get("note", ""),
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except MatchStateError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    gettext("Match introduced; both sides have been notified."),
                    messages.SUCCESS,
                )
                return redirect(f"{self.admin_site.name}:matchmaking_match_change", match.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Introduce a match by hand"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "matchmaking/admin/introduce.html", context)

    def listing_search_view(self, request):
        """select2's JSON: open listings of one side, searched without diacritics."""
        if not _is_officer(request):
            raise PermissionDenied
        side = request.GET.get("side")
        if side not in Listing.Side.values:
            return JsonResponse({"error": "side must be supply or demand"}, status=400)
        queryset = (
            Listing.objects.filter(side=side, status=Listing.Status.OPEN, hidden=False)
            .search(request.GET.get("term", "")[:100])
            .select_related("organization", "province")
            .order_by("-created_at")
        )
        page = Paginator(queryset, 20).get_page(request.GET.get("page"))
        return JsonResponse(
            {
                "results": [{"id": str(x.pk), "text": listing_label(x)} for x in page],
                "pagination": {"more": page.has_next()},
            }
        )


# --- audit trail and notifications --------------------------------------------------------------


@admin.register(MatchTransition)
class MatchTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "match", "from_status", "to_status", "side", "as_officer", "by_user")
    list_filter = ("to_status", "side", "as_officer", "reason")
    list_select_related = ("match", "by_user")
    date_hierarchy = "at"
    search_fields = ("by_user__username", "note")
    ordering = ("-at", "-pk")


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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "user",
        "organization",
        "kind",
        "text",
        "read_at",
        "emailed_at",
    )
    list_filter = ("kind", ReadFilter, ("emailed_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "user__email")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-pk")

    @admin.display(description=_("message"))
    def text(self, obj: Notification) -> str:
        return notifications.render(obj)
