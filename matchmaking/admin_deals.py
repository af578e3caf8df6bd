"""Admin of deals: officers follow every deal by stage, programme and event, with its history
and deliveries. Read-only here: stages change through ``matchmaking.services.deals`` (the
deal pages and the API), so every change is audited."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.formatting import format_number
from matchmaking.admin_matches.common import ReadOnlyInline
from matchmaking.admin_matches.filters import ProgrammeListFilter
from matchmaking.models import Deal, DealEvent, Delivery
from matchmaking.selectors import deals_of_programme
from matchmaking.services.nudges import OPEN_STAGES, QUIET_DAYS, overdue_contracts


class ProgrammeFilter(ProgrammeListFilter):
    """Met at one of the programme's events, or between two of its member provinces."""

    def queryset(self, request, queryset):
        programme = self.programme()
        if programme is None:
            return queryset
        return deals_of_programme(queryset, programme)


class NudgeFilter(admin.SimpleListFilter):
    """The deals the nudges are about: contracts past their delivery date, quiet deals."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Contract past its delivery date, nothing delivered")),
            ("quiet", _("No change for 30 days")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=overdue_contracts(timezone.localdate()).values("pk"))
        if self.value() == "quiet":
            since = timezone.now() - datetime.timedelta(days=QUIET_DAYS)
            return queryset.filter(stage__in=OPEN_STAGES, updated_at__lte=since)
        return queryset


class DealEventInline(ReadOnlyInline):
    model = DealEvent
    fields = ("at", "from_stage", "to_stage", "by_user", "side", "as_officer", "note")
    readonly_fields = fields
    verbose_name_plural = _("history")


class DeliveryInline(ReadOnlyInline):
    model = Delivery
    fields = ("delivered_on", "quantity", "unit", "value_vnd", "recorded_by")
    readonly_fields = fields


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "supplier",
        "buyer",
        "stage",
        "contract_value",
        "deliver_by",
        "overdue",
        "updated_at",
    )
    list_filter = ("stage", NudgeFilter, ProgrammeFilter, "event", "lost_reason")
    list_select_related = ("match__supply__organization", "match__demand__organization")
    search_fields = ("match__supply__organization__name", "match__demand__organization__name")
    inlines = (DeliveryInline, DealEventInline)
    readonly_fields = (
        "match",
        "event",
        "stage",
        "contract_quantity",
        "contract_unit",
        "contract_value_vnd",
        "signed_on",
        "deliver_by",
        "delivered_quantity",
        "delivered_value_vnd",
        "lost_reason",
        "lost_note",
        "meeting",
        "reminded_at",
        "overdue_flagged_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("supplier"), ordering="match__supply__organization__name")
    def supplier(self, deal):
        return deal.match.supply.organization.name

    @admin.display(description=_("buyer"), ordering="match__demand__organization__name")
    def buyer(self, deal):
        return deal.match.demand.organization.name

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, deal):
        return deal.is_overdue()

    @admin.display(description=_("contract value (VND)"), ordering="contract_value_vnd")
    def contract_value(self, deal):
        if deal.contract_value_vnd is None:
            return "—"
        return format_number(deal.contract_value_vnd, 0)
