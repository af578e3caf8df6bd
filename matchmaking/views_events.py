"""Connection-event pages: the public event page and catalogue, registration, a participant's
meetings (suggestions, requests to answer, requests sent), the printable agenda, outcomes.

Reads use the same visibility as the API (a draft event is 404 but to officers); every write
calls ``matchmaking.services.events`` or ``.meetings``, whose messages are shown as they are.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organization
from accounts.selectors import is_member, is_officer
from catalog.models import ProductCategory, Province
from core.errors import DomainError
from matchmaking.explanations import explain_page
from matchmaking.forms_events import ExcludedSlotsForm, OutcomeForm, RegistrationForm
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.selectors_events import agenda_for, ics_for
from matchmaking.services import events as event_services
from matchmaking.services import meetings as meeting_services

PAGE_SIZE = 20


def _event(request, pk: int) -> ConnectionEvent:
    queryset = event_services.events_visible_to(request.user).select_related(
        "place", "programme", "organiser", "source"
    )
    return get_object_or_404(queryset, pk=pk)


def _error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", error))


@require_GET
def event_list(request):
    events = (
        event_services.events_visible_to(request.user)
        .select_related("place", "programme")
        .order_by("-held_on", "-pk")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "matchmaking/events/list.html", {"page": page})


@require_GET
def event_detail(request, pk: int):
    event = _event(request, pk)
    registrations = (
        Registration.objects.filter(event=event)
        .select_related("organization__province")
        .prefetch_related("listings__category")
    )
    counts = {"total": 0, "supply": 0, "demand": 0}
    for side in registrations.values_list("side", flat=True):
        counts["total"] += 1
        counts["supply"] += side in ("supply", "both")
        counts["demand"] += side in ("demand", "both")
    side = request.GET.get("side", "")
    if side in ("supply", "demand"):
        registrations = registrations.filter(side__in=[side, Registration.Side.BOTH])
    province = request.GET.get("province", "")[:10]
    if province:
        registrations = registrations.filter(organization__province__code=province)
    category = ProductCategory.objects.filter(slug=request.GET.get("category", "")[:100]).first()
    if category:
        registrations = registrations.filter(
            listings__category_id__in=category.descendant_ids()
        ).distinct()
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = []
    if request.user.is_authenticated:
        mine = list(
            Registration.objects.filter(
                event=event, organization__in=Organization.objects.for_user(request.user)
            ).select_related("organization")
        )
    can_register = (
        event.status == ConnectionEvent.Status.OPEN
        and request.user.is_authenticated
        and (not event.registration_deadline or timezone.now() <= event.registration_deadline)
    )
    return render(
        request,
        "matchmaking/events/detail.html",
        {
            "event": event,
            "sessions": list(event.sessions.all()),
            "provinces": event.provinces.order_by("name"),
            "counts": counts,
            "page": page,
            "mine": mine,
            "can_register": can_register,
            "filter_provinces": Province.objects.filter(
                pk__in=Registration.objects.filter(event=event).values("organization__province")
            ).order_by("name"),
            "filter_categories": ProductCategory.objects.filter(parent__isnull=False).order_by(
                "name"
            ),
            "selected": {"side": side, "province": province, "category": category},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_register(request, pk: int):
    event = _event(request, pk)
    organizations = Organization.objects.for_user(request.user).exclude(
        kind=Organization.Kind.AGENCY
    )
    form = RegistrationForm(request.POST or None, event=event, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            registration = event_services.registration_create(
                event=event, by_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            messages.success(request, _("Registered. Here are the counterparts worth meeting."))
            url = reverse("events:meetings", args=[event.pk])
            return redirect(f"{url}?org={registration.organization_id}")
    return render(request, "matchmaking/events/register.html", {"event": event, "form": form})


def _participant(request, event: ConnectionEvent) -> Registration:
    """The caller's registered organization named by ``?org=`` (or their only one)."""
    mine = Registration.objects.filter(event=event).select_related("organization")
    if not is_officer(request.user):
        mine = mine.filter(organization__in=Organization.objects.for_user(request.user))
    org = request.GET.get("org") or request.POST.get("org") or ""
    if org.isdigit():
        mine = mine.filter(organization_id=int(org))
    registration = mine.order_by("pk").first()
    if registration is None:
        raise Http404
    return registration


@login_required
@require_GET
def event_meetings(request, pk: int):
    event = _event(request, pk)
    registration = _participant(request, event)
    org = registration.organization
    suggestions = meeting_services.suggested_meetings(event=event, organization=org)
    reasons = explain_page([s.match for s in suggestions[:PAGE_SIZE]])
    for suggestion in suggestions:
        suggestion.reasons = reasons.get(suggestion.match.pk, [])[:3]
    meetings = list(
        Meeting.objects.filter(event=event)
        .involving(org.pk)
        .select_related("requester", "counterpart")
        .order_by("-created_at")
    )
    incoming = [
        m for m in meetings if m.counterpart_id == org.pk and m.status == Meeting.Status.REQUESTED
    ]
    sent = [m for m in meetings if m.requester_id == org.pk and m.status == "requested"]
    agreed = [
        m for m in meetings if m.status in (Meeting.Status.ACCEPTED, Meeting.Status.SCHEDULED)
    ]
    return render(
        request,
        "matchmaking/events/meetings.html",
        {
            "event": event,
            "organization": org,
            "suggestions": suggestions[:PAGE_SIZE],
            "incoming": incoming,
            "sent": sent,
            "agreed": agreed,
            "may_request": event.status in meeting_services.REQUESTABLE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_availability(request, pk: int):
    """The participant changes the slots it cannot take, until the schedule is made."""
    event = _event(request, pk)
    registration = _participant(request, event)
    initial = {"excluded_slots": [t.isoformat() for t in registration.excluded_times()]}
    form = ExcludedSlotsForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event_services.registration_set_excluded_slots(
                registration=registration,
                excluded_slots=form.cleaned_data["excluded_slots"],
                by_user=request.user,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        except DomainError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your unavailable times are saved."))
            return _back_to_meetings(event.pk, registration.organization_id)
    return render(
        request,
        "matchmaking/events/availability.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "editable": event.status in event_services.EXCLUDABLE,
        },
    )


def _back_to_meetings(event_id: int, org_id: int):
    url = reverse("events:meetings", args=[event_id])
    return redirect(f"{url}?org={org_id}")


@login_required
@require_POST
def meeting_request(request, pk: int):
    event = _event(request, pk)
    registration = _participant(request, event)
    counterpart = get_object_or_404(Organization, pk=request.POST.get("counterpart") or 0)
    try:
        meeting_services.meeting_request(
            event=event,
            requester=registration.organization,
            counterpart=counterpart,
            note=request.POST.get("note", "")[:500],
            by_user=request.user,
        )
    except (ValidationError, DomainError) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Meeting requested from %(org)s.") % {"org": counterpart.name})
    return _back_to_meetings(event.pk, registration.organization_id)


ACTIONS = {
    "accept": meeting_services.meeting_accept,
    "decline": meeting_services.meeting_decline,
    "cancel": meeting_services.meeting_cancel,
}


@login_required
@require_POST
def meeting_action(request, pk: int, action: str):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("event"), pk=pk
    )
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](meeting=meeting, by_user=request.user)
    except (ValidationError, DomainError) as error:
        messages.error(request, _error_text(error))
    org = next(
        (o for o in (meeting.requester, meeting.counterpart) if is_member(request.user, o)),
        meeting.requester,
    )
    return _back_to_meetings(meeting.event_id, org.pk)


def _agenda_org(request, event: ConnectionEvent, org_pk: int) -> Organization:
    organization = get_object_or_404(Organization, pk=org_pk)
    if not (is_officer(request.user) or is_member(request.user, organization)):
        raise PermissionDenied
    return organization


@login_required
@require_GET
def agenda(request, pk: int, org_pk: int):
    event = _event(request, pk)
    organization = _agenda_org(request, event, org_pk)
    now = timezone.now()
    plan = agenda_for(event, organization)
    for meeting in plan.meetings:
        meeting.can_report = meeting.ends_at and meeting.ends_at <= now
    return render(request, "matchmaking/events/agenda.html", {"agenda": plan})


@login_required
@require_GET
def agenda_ics(request, pk: int, org_pk: int):
    event = _event(request, pk)
    organization = _agenda_org(request, event, org_pk)
    response = HttpResponse(ics_for(event, organization), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def meeting_outcome(request, pk: int):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related(
            "event", "requester", "counterpart"
        ),
        pk=pk,
    )
    side = next(
        (o for o in (meeting.requester, meeting.counterpart) if is_member(request.user, o)), None
    )
    if side is None:
        raise PermissionDenied
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v != ""}
        try:
            outcome = meeting_services.meeting_record_outcome(
                meeting=meeting, by_user=request.user, **data
            )
        except (ValidationError, DomainError) as error:
            form.add_error(None, _error_text(error))
        else:
            if outcome.deal is not None:
                messages.success(request, _("The outcome is recorded and the deal is open."))
                return redirect("matchmaking:deal", outcome.deal.pk)
            messages.success(request, _("Thank you: the outcome is recorded."))
            return redirect("events:agenda", meeting.event_id, side.pk)
    return render(request, "matchmaking/events/outcome.html", {"meeting": meeting, "form": form})
