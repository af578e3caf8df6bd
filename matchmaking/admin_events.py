"""The officers' admin of connection events: set-up, registrations, the scheduler, outcomes.

Imported by ``matchmaking/admin.py``. An event's fields and sessions are edited here (the
sessions checked by the same rule as the API, and frozen once someone registered); its status
moves only through the actions, which call ``matchmaking.services.events`` and
``.scheduling`` like the API does. Registrations and meetings are read-only: participants
make them; officers check participants in on the day.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.admin import FoldedSearchMixin, SeededSourceMixin
from core.errors import DomainError
from core.formatting import format_number
from matchmaking.admin import ReportedFigureInline
from matchmaking.admin_matches.common import ListedInline, ReadOnlyAdminMixin
from matchmaking.models import (
    ConnectionEvent,
    EventSession,
    Meeting,
    MeetingOutcome,
    Registration,
)
from matchmaking.selectors_events import table_plan
from matchmaking.services import events as event_services
from matchmaking.services.scheduling import REASON_LABELS, start_schedule_job


class SessionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        sessions = [
            (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("starts_at")
            and form.cleaned_data.get("ends_at")
        ]
        try:
            event_services.check_sessions(sessions, self.instance.slot_minutes)
        except ValidationError as error:
            raise ValidationError(error.message_dict["sessions"]) from error


class EventSessionInline(admin.TabularInline):
    model = EventSession
    formset = SessionFormSet
    fields = ("starts_at", "ends_at")
    extra = 0

    def _frozen(self, obj) -> bool:
        return obj is not None and obj.pk and obj.registrations.exists()

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class RegistrationInline(ListedInline):
    model = Registration
    fields = ("organization", "side", "created_at", "checked_in_at")
    readonly_fields = fields
    show_change_link = True


def _counts(event: ConnectionEvent) -> dict[str, int]:
    rows = Meeting.objects.filter(event=event).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


@admin.register(ConnectionEvent)
class ConnectionEventAdmin(FoldedSearchMixin, SeededSourceMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "held_on",
        "place",
        "status",
        "registered",
        "scheduled_meetings",
        "held_meetings",
        "source",
    )
    list_filter = ("status", "programme", "place__region", "place")
    list_select_related = ("place", "organiser", "programme", "source")
    date_hierarchy = "held_on"
    search_fields = ("slug",)
    python_fold_fields = ("slug", "name", "name_en", "venue")
    autocomplete_fields = (
        "place",
        "organiser",
        "programme",
        "provinces",
        "product_categories",
        "source",
    )
    prepopulated_fields = {"slug": ("name_en",)}
    fields = (
        "name",
        "name_en",
        "slug",
        "status",
        ("held_on", "place", "venue"),
        "organiser",
        "programme",
        "provinces",
        ("slot_minutes", "tables"),
        ("registration_deadline", "meeting_cap", "request_days"),
        "themes",
        "product_categories",
        "source",
        "meeting_figures",
        "last_schedule",
    )
    readonly_fields = ("status", "meeting_figures", "last_schedule")
    inlines = [EventSessionInline, RegistrationInline, ReportedFigureInline]
    actions = ("open_registration", "close_registration", "make_schedule", "mark_finished")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _registered=Count("registrations", distinct=True),
                _scheduled=Count(
                    "meetings",
                    filter=Q(meetings__status__in=Meeting.AGENDA_STATUSES),
                    distinct=True,
                ),
                _held=Count("meetings", filter=Q(meetings__status="held"), distinct=True),
            )
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/table-plan/",
                self.admin_site.admin_view(self.table_plan_view),
                name="matchmaking_connectionevent_table_plan",
            ),
            *super().get_urls(),
        ]

    def table_plan_view(self, request, pk: int):
        """Who sits at which table in every slot: what the organiser prints for the hall."""
        event = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, event):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Table plan"),
            "event": event,
            "slots": table_plan(event),
        }
        return TemplateResponse(request, "matchmaking/admin/table_plan.html", context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("registered"), ordering="_registered")
    def registered(self, obj):
        return obj._registered

    @admin.display(description=_("meetings scheduled"), ordering="_scheduled")
    def scheduled_meetings(self, obj):
        return obj._scheduled

    @admin.display(description=_("meetings held"), ordering="_held")
    def held_meetings(self, obj):
        return obj._held

    @admin.display(description=_("meetings and outcomes"))
    def meeting_figures(self, obj):
        if obj.pk is None:
            return "—"
        counts = _counts(obj)
        steps = (
            MeetingOutcome.objects.filter(meeting__event=obj, held=True)
            .values("next_step")
            .annotate(n=Count("pk"))
        )
        step_counts = {row["next_step"]: row["n"] for row in steps}
        rows = [(label, counts.get(value, 0)) for value, label in Meeting.Status.choices]
        rows += [
            (gettext("Next step: %(step)s") % {"step": label}, step_counts.get(value, 0))
            for value, label in MeetingOutcome.NextStep.choices
            if value != MeetingOutcome.NextStep.NONE
        ]
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("last schedule"))
    def last_schedule(self, obj):
        progress = obj.schedule_progress or {}
        if progress.get("state") in ("queued", "running"):
            return gettext("The scheduler is running: %(stage)s (%(percent)s %%).") % {
                "stage": progress.get("stage", ""),
                "percent": format_number(100 * float(progress.get("fraction") or 0), 0),
            }
        report = obj.schedule_report or {}
        if not report:
            return "—"
        reasons: dict[str, int] = {}
        for item in report.get("unscheduled", []):
            reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
        text = gettext(
            "%(scheduled)s meetings scheduled of at most %(bound)s possible; %(left)s left out"
        ) % {
            "scheduled": format_number(report.get("scheduled", 0), 0),
            "bound": format_number(report.get("upper_bound", 0), 0),
            "left": format_number(len(report.get("unscheduled", [])), 0),
        }
        detail = ", ".join(
            f"{REASON_LABELS.get(reason, reason)}: {n}" for reason, n in sorted(reasons.items())
        )
        url = reverse("admin:matchmaking_connectionevent_table_plan", args=[obj.pk])
        return format_html(
            '{} <a href="{}">{}</a>',
            f"{text} ({detail})" if detail else text,
            url,
            gettext("Table plan"),
        )

    # --- actions: every move goes through the events service ---

    def _each(self, request, queryset, call, done: str) -> None:
        moved = 0
        for event in queryset:
            try:
                call(event)
                moved += 1
            except (DomainError, PermissionDenied, ValidationError) as error:
                message = getattr(error, "message", None) or "; ".join(error.messages)
                self.message_user(request, f"{event}: {message}", messages.ERROR)
        if moved:
            self.message_user(request, done % {"n": moved}, messages.SUCCESS)

    def _move(self, request, queryset, status: str) -> None:
        self._each(
            request,
            queryset,
            lambda e: event_services.event_set_status(event=e, status=status, by_user=request.user),
            gettext("%(n)d event(s) updated."),
        )

    @admin.action(description=_("Open registration"), permissions=["change"])
    def open_registration(self, request, queryset):
        self._move(request, queryset, ConnectionEvent.Status.OPEN)

    @admin.action(description=_("Close registration"), permissions=["change"])
    def close_registration(self, request, queryset):
        self._move(request, queryset, ConnectionEvent.Status.CLOSED)

    @admin.action(description=_("Make (or remake) the meeting schedule"), permissions=["change"])
    def make_schedule(self, request, queryset):
        """On a worker (the solver may take a minute); in the embedded run it is done at once."""

        def schedule(event):
            start_schedule_job(event=event, by_user=request.user)
            event.refresh_from_db()
            progress = event.schedule_progress or {}
            if progress.get("state") == "done":
                report = event.schedule_report
                text = gettext("%(event)s: %(n)s meetings scheduled, %(left)s left out.") % {
                    "event": event,
                    "n": report["scheduled"],
                    "left": len(report["unscheduled"]),
                }
            elif progress.get("state") == "failed":
                raise DomainError(progress.get("error") or gettext("The scheduler failed."))
            else:
                text = gettext(
                    "%(event)s: the schedule is being made on a worker; reload this page."
                ) % {"event": event}
            self.message_user(request, text, messages.INFO)

        self._each(request, queryset, schedule, gettext("%(n)d schedule(s) made."))

    @admin.action(description=_("Mark finished"), permissions=["change"])
    def mark_finished(self, request, queryset):
        self._move(request, queryset, ConnectionEvent.Status.FINISHED)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "organization",
        "event",
        "side",
        "unavailable",
        "created_at",
        "checked_in_at",
    )
    list_filter = ("event", "side")
    readonly_fields = ("unavailable",)
    list_select_related = ("organization", "event")
    search_fields = ("organization__name",)
    actions = ("check_in",)

    @admin.display(description=_("unavailable slots"))
    def unavailable(self, obj):
        times = [timezone.localtime(t) for t in obj.excluded_times()]
        if not times:
            return "—"
        return ", ".join(f"{t:%d/%m %H:%M}" for t in times)

    def has_checkin_permission(self, request):
        return bool(getattr(request.user, "is_officer", False))

    @admin.action(description=_("Check the selected participants in"), permissions=["checkin"])
    def check_in(self, request, queryset):
        for registration in queryset:
            event_services.registration_check_in(registration=registration, by_user=request.user)
        self.message_user(
            request, gettext("%(n)d participant(s) checked in.") % {"n": queryset.count()}
        )


class OutcomeInline(ListedInline):
    model = MeetingOutcome
    fields = ("organization", "held", "interest", "next_step", "note", "reported_at")
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "requester",
        "counterpart",
        "event",
        "status",
        "starts_at",
        "table",
        "score",
    )
    list_filter = ("event", "status")
    list_select_related = ("requester", "counterpart", "event")
    search_fields = ("requester__name", "counterpart__name")
    inlines = [OutcomeInline]
