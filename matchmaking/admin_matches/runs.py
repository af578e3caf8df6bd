"""Match runs (with the button that starts a full re-match), the audit trail, notifications."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from matchmaking.admin_matches.common import ReadOnlyAdminMixin
from matchmaking.admin_matches.filters import ReadFilter
from matchmaking.models import MatchTransition, Notification
from matchmaking.services import notifications


@admin.register(MatchTransition)
class MatchTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "match", "from_status", "to_status", "side", "as_officer", "by_user")
    list_filter = ("to_status", "side", "as_officer", "reason")
    list_select_related = ("match", "by_user")
    date_hierarchy = "at"
    search_fields = ("by_user__username", "note")
    ordering = ("-at", "-pk")


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
