"""Bulk actions on matches: hide, show again, reopen; each match goes through the review service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Match
from matchmaking.services import review
from matchmaking.services.review import MatchStateError


class MatchActionsMixin:
    """The change list's actions; a refused match is reported, the others go on."""

    actions = ("hide_matches", "unhide_matches", "reopen_matches")

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
