"""Admin of what organizations' declines taught the matching: read it, reset it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.admin import FoldedSearchMixin
from matchmaking.models import DeclineLearning
from matchmaking.services import learning
from matchmaking.templatetags.matchmaking_tags import decline_reason_label, factor_label


class ResetFilter(admin.SimpleListFilter):
    title = _("reset")
    parameter_name = "reset"

    def lookups(self, request, model_admin):
        return [("yes", _("Reset at least once")), ("no", _("Never reset"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reset_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(reset_at__isnull=True)
        return queryset


@admin.register(DeclineLearning)
class DeclineLearningAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = (
        "organization",
        "declines",
        "weights",
        "last_decline_at",
        "reset_at",
        "reset_by",
    )
    list_filter = (ResetFilter, "organization__kind", "last_decline_at")
    search_fields = ("organization__name",)
    folded_search_fields = ("organization__search_text",)
    readonly_fields = list_display
    fields = readonly_fields
    actions = ("reset_learning",)
    list_select_related = ("organization", "reset_by")

    def has_add_permission(self, request):
        return False

    def _lesson(self, obj) -> dict:
        # Kept on the row for this request's two columns (the admin instance is shared).
        if not hasattr(obj, "_lesson"):
            obj._lesson = learning.summary_of(obj.organization)
        return obj._lesson

    @admin.display(description=_("declines since the reset"))
    def declines(self, obj) -> str:
        counts = self._lesson(obj)["declines"]
        return (
            ", ".join(f"{decline_reason_label(reason)}: {n}" for reason, n in counts.items() if n)
            or "—"
        )

    @admin.display(description=_("weights learned"))
    def weights(self, obj) -> str:
        items = [w for w in self._lesson(obj)["weights"] if w["multiplier"] != 1]
        return ", ".join(f"{factor_label(w['factor'])} ×{w['multiplier']:g}" for w in items) or "—"

    @admin.action(description=_("Reset what the selected organizations' declines taught"),
                  permissions=["change"])  # fmt: skip
    def reset_learning(self, request, queryset):
        count = 0
        for row in queryset.select_related("organization"):
            learning.learning_reset(organization=row.organization, by_user=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d organization reset.", "%(count)d organizations reset.", count)
            % {"count": count},
            messages.SUCCESS,
        )
