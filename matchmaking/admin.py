"""Admin of matchmaking, in sections:

1. cooperation programmes, connection events and reported figures (what the programmes are
   and what they produced);
2. matches, their audit trail and notifications: registered by the
   ``matchmaking/admin_matches/`` package; match runs and their chunks by
   ``matchmaking/admin_runs.py``; both imported at the end of this file;
3. connection events run on the platform (sessions, registrations, meetings, the scheduler,
   outcomes): ``matchmaking/admin_events.py``, imported at the end too.

Searches ignore diacritics through ``catalog.admin.FoldedSearchMixin``.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from catalog.admin import FoldedSearchMixin, SeededSourceMixin
from matchmaking.admin_matches.common import ListedInline
from matchmaking.models import ConnectionEvent, CooperationProgramme, ReportedFigure

# --- 1. cooperation programmes, connection events, reported figures ------------------------------


class ReportedFigureInline(admin.TabularInline):  # also on the event's page (admin_events)
    model = ReportedFigure
    fields = ("key", "label", "label_en", "value", "unit", "period", "source")
    autocomplete_fields = ("source",)
    extra = 0


class ProgrammeEventInline(ListedInline):
    model = ConnectionEvent
    fields = ("name", "held_on", "place", "organiser")
    readonly_fields = fields
    show_change_link = True


@admin.register(CooperationProgramme)
class CooperationProgrammeAdmin(FoldedSearchMixin, SeededSourceMixin, admin.ModelAdmin):
    list_display = ("name", "period_display", "signed", "province_count", "source")
    list_filter = ("provinces__region", "signed_on_precision")
    list_select_related = ("source",)
    search_fields = ("slug",)
    python_fold_fields = ("slug", "name", "name_en", "description")
    autocomplete_fields = ("provinces", "source")
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name",
        "name_en",
        "slug",
        "provinces",
        ("period_start", "period_end"),
        ("signed_on", "signed_on_precision"),
        "description",
        "source",
    )
    inlines = [ProgrammeEventInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_provinces=Count("provinces"))

    @admin.display(description=_("period"), ordering="period_start")
    def period_display(self, obj):
        return obj.period

    @admin.display(description=_("signed on"), ordering="signed_on")
    def signed(self, obj):
        if obj.signed_on is None:
            return ""
        fmt = {"day": "SHORT_DATE_FORMAT", "month": "YEAR_MONTH_FORMAT"}.get(
            obj.signed_on_precision, "Y"
        )
        return date_format(obj.signed_on, fmt)

    @admin.display(description=_("provinces"), ordering="_provinces")
    def province_count(self, obj):
        return obj._provinces


@admin.register(ReportedFigure)
class ReportedFigureAdmin(FoldedSearchMixin, SeededSourceMixin, admin.ModelAdmin):
    list_display = ("label", "value", "unit", "period", "event", "source")
    list_filter = ("event__programme", "event")
    list_select_related = ("event", "source")
    search_fields = ("key",)
    python_fold_fields = ("key", "label", "label_en", "period")
    autocomplete_fields = ("event", "source")


# --- 2. matches, match runs, notifications ---------------------------------------------------------

# admin_deals registers the admin of deals (read-only: stages change through the service).
from matchmaking import admin_deals, admin_learning, admin_matches, admin_runs  # noqa: E402, F401, I001 - section 2

# --- 3. connection events ---------------------------------------------------------------------

from matchmaking import admin_events  # noqa: E402, F401 - registers the admin of section 3

# --- 4. pools ---------------------------------------------------------------------------------

from matchmaking import admin_pools  # noqa: E402, F401 - registers the admin of pools
