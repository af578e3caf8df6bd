"""Admin of match runs: progress, the chunks of a full re-match and what happened to them.

A run page lists its chunks (worker, attempts, last heartbeat) and says in a sentence what
became of the run: finished, resumed after a worker stopped reporting, or failed and why.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matchmaking.admin_matches.common import ReadOnlyAdminMixin, ReadOnlyInline
from matchmaking.admin_matches.common import is_officer as _is_officer
from matchmaking.models import MatchRun, MatchRunChunk


class MatchRunChunkInline(ReadOnlyInline):
    model = MatchRunChunk
    fields = (
        "index",
        "status",
        "attempts",
        "worker",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "note",
    )
    readonly_fields = fields


def _when(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT") if value else "—"


def run_story(run: MatchRun) -> str:
    """What happened to the run, in a sentence or two (the page's language)."""
    chunks = list(run.chunks.all())
    resent = [c for c in chunks if c.attempts > 1]
    parts = []
    if run.status == MatchRun.Status.FAILED:
        parts.append(gettext("Failed: %(error)s") % {"error": run.error or "—"})
    elif run.status == MatchRun.Status.DONE:
        parts.append(gettext("Finished at %(when)s.") % {"when": _when(run.finished_at)})
    elif run.status == MatchRun.Status.RUNNING and chunks:
        done = sum(c.status == MatchRunChunk.Status.DONE for c in chunks)
        beats = [c.heartbeat_at for c in chunks if c.heartbeat_at]
        parts.append(
            gettext("%(done)d of %(total)d chunks done; last heartbeat %(when)s.")
            % {"done": done, "total": len(chunks), "when": _when(max(beats) if beats else None)}
        )
    else:
        parts.append(run.get_status_display())
    if resent:
        parts.append(
            ngettext(
                "%(count)d chunk was sent again after its worker stopped reporting (%(which)s).",
                "%(count)d chunks were sent again after their worker stopped reporting "
                "(%(which)s).",
                len(resent),
            )
            % {
                "count": len(resent),
                "which": ", ".join(
                    gettext("chunk %(index)d: %(attempts)d attempts")
                    % {"index": c.index, "attempts": c.attempts}
                    for c in resent
                ),
            }
        )
    return " ".join(parts)


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
    readonly_fields = ("what_happened", "progress_bar", "seconds")
    inlines = [MatchRunChunkInline]

    @admin.display(description=_("what happened"))
    def what_happened(self, obj: MatchRun):
        return run_story(obj)

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
        extra_context = {**(extra_context or {}), "can_start": _is_officer(request)}
        return super().changelist_view(request, extra_context)

    def start_view(self, request):
        """Start a full re-match of every open listing (the button above the list)."""
        if not _is_officer(request):
            raise PermissionDenied
        from matchmaking.services import rematch

        run = rematch.start_full_rematch(requested_by=request.user)
        self.message_user(
            request,
            gettext("Full re-match #%(id)s started; its progress shows below.") % {"id": run.pk},
            messages.SUCCESS,
        )
        return redirect(f"{self.admin_site.name}:matchmaking_matchrun_changelist")
