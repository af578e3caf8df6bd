"""Match runs (with the button that starts a full re-match), the audit trail, notifications."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matchmaking.admin_matches.common import ReadOnlyAdminMixin, is_officer
from matchmaking.admin_matches.filters import ReadFilter
from matchmaking.models import MatchRun, MatchTransition, Notification
from matchmaking.services import notifications


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "status",
        "progress_bar",
        "listings_count",
        "candidate_pairs",
        "proposals_created",
        "proposals_updated",
        "proposals_withdrawn",
        "seconds",
        "requested_by",
        "created_at",
    )
    list_filter = ("kind", "status")
    list_select_related = ("requested_by", "listing")
    ordering = ("-created_at",)
    change_list_template = "matchmaking/admin/matchrun_change_list.html"
    readonly_fields = ("progress_bar", "seconds")

    @admin.display(description=_("progress"))
    def progress_bar(self, obj: MatchRun):
        percent = round(obj.progress * 100)
        return format_html(
            '<progress max="100" value="{}" style="width:6em"></progress> {}% '
            "<small>({}/{})</small>",
            percent,
            percent,
            obj.chunks_done,
            obj.chunks_total,
        )

    @admin.display(description=_("duration (s)"))
    def seconds(self, obj: MatchRun):
        duration = obj.duration_seconds
        return "—" if duration is None else f"{duration:.1f}"

    def get_urls(self):
        return [
            path(
                "start/",
                self.admin_site.admin_view(require_POST(self.start_view)),
                name="matchmaking_matchrun_start",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_start": is_officer(request)}
        return super().changelist_view(request, extra_context)

    def start_view(self, request):
        """Start a full re-match of every open listing (the button above the list)."""
        if not is_officer(request):
            raise PermissionDenied
        from matchmaking.services import rematch

        run = rematch.start_full_rematch(requested_by=request.user)
        self.message_user(
            request,
            gettext("Full re-match #%(id)s started; its progress shows below.") % {"id": run.pk},
            messages.SUCCESS,
        )
        return redirect(f"{self.admin_site.name}:matchmaking_matchrun_changelist")


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
