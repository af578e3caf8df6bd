"""Admin of pools: officers see every pool with its coverage, buyer and members, filter by
status, search by organization or title, and withdraw pools that no longer make sense.
Answers (accept, decline) go through ``matchmaking.services.pool_review`` from the pages and the
API, so the admin shows them read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.formatting import format_number
from matchmaking.models import Pool, PoolMember
from matchmaking.services import pool_review


class PoolMemberInline(admin.TabularInline):
    model = PoolMember
    extra = 0
    can_delete = False
    fields = ("supply", "organization", "share", "score", "status", "accepted_at", "decline_reason")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("share (demand's unit)"))
    def share(self, member):
        return _in_demand_unit(member.suggested_quantity, member.pool.demand)


def _in_demand_unit(quantity, demand) -> str:
    factor = demand.unit.factor or 1
    return f"{format_number(quantity / factor)} {demand.unit.code}"


@admin.register(Pool)
class PoolAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "buyer",
        "demand_title",
        "coverage_pct",
        "members",
        "status",
        "created_at",
    )
    list_filter = ("status", "demand__category", "created_at")
    list_select_related = ("demand__organization", "demand__unit")
    search_fields = (
        "demand__title",
        "demand__organization__name",
        "members__organization__name",
        "members__supply__title",
    )
    inlines = (PoolMemberInline,)
    actions = ("withdraw",)
    readonly_fields = (
        "demand",
        "status",
        "covered",
        "coverage",
        "score",
        "factors",
        "figures",
        "respond_by",
        "demand_accepted_at",
        "connected_at",
        "decline_reason",
        "decline_note",
        "closed_note",
        "engine_version",
        "last_run",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("buyer"), ordering="demand__organization__name")
    def buyer(self, pool):
        return pool.demand.organization.name

    @admin.display(description=_("demand"), ordering="demand__title")
    def demand_title(self, pool):
        return pool.demand.title

    @admin.display(description=_("coverage"), ordering="coverage")
    def coverage_pct(self, pool):
        return f"{format_number(pool.coverage * 100, 0)} %"

    @admin.display(description=_("members"))
    def members(self, pool):
        return (pool.figures or {}).get("members", "")

    @admin.display(description=_("covered quantity"))
    def covered(self, pool):
        return _in_demand_unit(pool.covered_quantity, pool.demand)

    @admin.action(description=_("Withdraw the selected proposed pools"))
    def withdraw(self, request, queryset):
        done = 0
        for pool in queryset.filter(status=Pool.Status.PROPOSED):
            pool_review.pool_withdraw(pool=pool, note=f"withdrawn by officer {request.user}")
            done += 1
        self.message_user(
            request,
            ngettext("%(n)d pool withdrawn.", "%(n)d pools withdrawn.", done) % {"n": done},
            messages.SUCCESS,
        )
