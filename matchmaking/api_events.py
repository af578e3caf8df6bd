"""The connection-event API: events, registrations, suggested meetings, meetings, agendas.

Views stay thin: reads go through the visibility rules (a draft event is 404 to all but
officers; meetings are seen by their two sides and officers), writes through
``matchmaking.services.events``, ``.meetings`` and ``.scheduling``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from accounts.selectors import is_member, is_officer
from catalog.models import ProductCategory
from core.api import SafeLookupMixin, parse_id
from core.schema import CONFLICT, ERROR, VALIDATION_ERROR
from matchmaking.explanations import explain_page
from matchmaking.models import ConnectionEvent, Meeting, Registration
from matchmaking.selectors_events import agenda_for, ics_for
from matchmaking.serializers_events import (
    AgendaSerializer,
    EventSerializer,
    EventWriteSerializer,
    ExcludedSlotsSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    OutcomeResultSerializer,
    OutcomeSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    ScheduleResultSerializer,
    SuggestionSerializer,
)
from matchmaking.services import events as event_services
from matchmaking.services import meetings as meeting_services
from matchmaking.services.scheduling import event_schedule

ORGANIZATION = OpenApiParameter(
    "organization", OpenApiTypes.INT, required=True, description="A registered organization."
)


def _organization_param(request, *, required=True) -> Organization | None:
    raw = request.query_params.get("organization")
    if not raw:
        if required:
            raise ValidationError({"organization": [_("This field is required.")]})
        return None
    pk = parse_id(raw)
    organization = Organization.objects.filter(pk=pk).first() if pk else None
    if organization is None:
        raise ValidationError({"organization": [_("Unknown organization.")]})
    return organization


def _require_member_or_officer(user, organization: Organization) -> None:
    if not user.is_authenticated:
        raise NotAuthenticated()
    if not (is_officer(user) or is_member(user, organization)):
        raise PermissionDenied(_("Only the organization's members and officers may see this."))


def _choice_param(request, name, allowed) -> str | None:
    value = request.query_params.get(name)
    if value and value not in allowed:
        raise ValidationError(
            {name: [_("Use one of %(allowed)s.") % {"allowed": ", ".join(allowed)}]}
        )
    return value or None


class EventViewSet(
    SafeLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Public: events past their draft; officers: all, and they create and change them."""

    serializer_class = EventSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends: list = []
    queryset = ConnectionEvent.objects.none()  # for the schema
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            event_services.events_visible_to(self.request.user)
            .select_related("place", "programme", "source")
            .prefetch_related("provinces", "sessions", "registrations")
            .order_by("-held_on", "-pk")
        )

    def _read(self, event, code=status.HTTP_200_OK):
        return Response(EventSerializer(self.get_queryset().get(pk=event.pk)).data, status=code)

    @extend_schema(
        request=EventWriteSerializer,
        responses={201: EventSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    def create(self, request):
        payload = EventWriteSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        event = event_services.event_create(by_user=request.user, **payload.to_service())
        return self._read(event, status.HTTP_201_CREATED)

    @extend_schema(
        request=EventWriteSerializer,
        responses={200: EventSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    def partial_update(self, request, pk=None):
        event = self.get_object()
        payload = EventWriteSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        event = event_services.event_update(
            event=event, by_user=request.user, **payload.to_service()
        )
        return self._read(event)

    @extend_schema(
        methods=["GET"],
        summary="The participant catalogue",
        parameters=[
            OpenApiParameter("side", OpenApiTypes.STR, enum=["supply", "demand"]),
            OpenApiParameter("province", OpenApiTypes.STR, description="Province code."),
            OpenApiParameter("category", OpenApiTypes.STR, description="Category slug."),
        ],
        responses={200: RegistrationSerializer(many=True), 400: VALIDATION_ERROR},
    )
    @extend_schema(
        methods=["POST"],
        summary="Register an organization (members)",
        request=RegistrationCreateSerializer,
        responses={201: RegistrationSerializer, 400: VALIDATION_ERROR},
    )
    @action(detail=True, methods=["get", "post"])
    def registrations(self, request, pk=None):
        event = self.get_object()
        context = {"session_order": {s.pk: i for i, s in enumerate(event.sessions.all())}}
        if request.method == "POST":
            payload = RegistrationCreateSerializer(data=request.data)
            payload.is_valid(raise_exception=True)
            registration = event_services.registration_create(
                event=event, by_user=request.user, **payload.validated_data
            )
            data = RegistrationSerializer(registration, context=context).data
            return Response(data, status=status.HTTP_201_CREATED)
        qs = (
            Registration.objects.filter(event=event)
            .select_related("organization__province")
            .prefetch_related("listings__category", "sessions")
        )
        side = _choice_param(request, "side", ["supply", "demand"])
        if side:
            qs = qs.filter(side__in=[side, Registration.Side.BOTH])
        province = request.query_params.get("province")
        if province:
            qs = qs.filter(organization__province__code=province[:10])
        category = request.query_params.get("category")
        if category:
            found = ProductCategory.objects.filter(slug=category[:100]).first()
            if found is None:
                raise ValidationError({"category": [_("Unknown category.")]})
            qs = qs.filter(listings__category_id__in=found.descendant_ids()).distinct()
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(
            RegistrationSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Change the slots a registered organization cannot take",
        description="Members of the organization or officers, while the event is open or "
        "closed (until the schedule is made). The list replaces the previous one.",
        request=ExcludedSlotsSerializer,
        responses={
            200: RegistrationSerializer,
            400: VALIDATION_ERROR,
            403: ERROR,
            404: ERROR,
            409: CONFLICT,
        },
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"registrations/(?P<organization_id>[0-9]{1,18})",
        url_name="registration",
    )
    def registration(self, request, pk=None, organization_id=None):
        event = self.get_object()
        registration = get_object_or_404(
            Registration.objects.filter(event=event), organization_id=int(organization_id)
        )
        payload = ExcludedSlotsSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        registration = event_services.registration_set_excluded_slots(
            registration=registration, by_user=request.user, **payload.validated_data
        )
        context = {"session_order": {s.pk: i for i, s in enumerate(event.sessions.all())}}
        return Response(RegistrationSerializer(registration, context=context).data)

    @extend_schema(
        summary="Counterparts worth meeting, ranked by the best match",
        parameters=[ORGANIZATION],
        responses={200: SuggestionSerializer(many=True), 400: VALIDATION_ERROR, 403: ERROR},
    )
    @action(detail=True, methods=["get"], url_path="suggested-meetings")
    def suggested_meetings(self, request, pk=None):
        event = self.get_object()
        organization = _organization_param(request)
        _require_member_or_officer(request.user, organization)
        if not Registration.objects.filter(event=event, organization=organization).exists():
            raise ValidationError({"organization": [_("Not registered for this event.")]})
        suggestions = meeting_services.suggested_meetings(event=event, organization=organization)
        page = self.paginate_queryset(suggestions)
        reasons = explain_page([s.match for s in page])
        for suggestion in page:
            suggestion.reasons = reasons.get(suggestion.match.pk, [])
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)

    @extend_schema(
        summary="Ask a registered organization for a meeting",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def meetings(self, request, pk=None):
        event = self.get_object()
        payload = MeetingCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        meeting = meeting_services.meeting_request(
            event=event, by_user=request.user, **payload.validated_data
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Schedule the accepted meetings (officers)",
        request=None,
        responses={200: ScheduleResultSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        event = self.get_object()
        return Response(event_schedule(event=event, by_user=request.user))

    @extend_schema(
        summary="An organization's meetings in time order",
        parameters=[ORGANIZATION],
        responses={200: AgendaSerializer, 400: VALIDATION_ERROR, 403: ERROR},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def agenda(self, request, pk=None):
        event = self.get_object()
        organization = _organization_param(request)
        _require_member_or_officer(request.user, organization)
        return Response(AgendaSerializer(agenda_for(event, organization)).data)


class AgendaICSView(APIView):
    """The same agenda as an iCalendar file (one VEVENT per meeting)."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer]  # errors are JSON; the calendar is returned as is

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="events_agenda_ics",
        summary="An organization's agenda as iCalendar",
        parameters=[ORGANIZATION],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR, description="RFC 5545"),
            400: VALIDATION_ERROR,
        },
    )
    def get(self, request, pk):
        if parse_id(pk) is None:
            raise ValidationError({"id": [_("Enter an event id (a whole number).")]})
        event = get_object_or_404(event_services.events_visible_to(request.user), pk=pk)
        organization = _organization_param(request)
        _require_member_or_officer(request.user, organization)
        response = HttpResponse(ics_for(event, organization), content_type="text/calendar")
        response["Content-Disposition"] = f'attachment; filename="agenda-{event.pk}.ics"'
        return response


class MeetingViewSet(SafeLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Meetings the caller may see: its organizations' meetings (officers: all)."""

    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = Meeting.objects.none()  # for the schema

    def get_queryset(self):
        qs = (
            Meeting.objects.visible_to(self.request.user)
            .select_related("requester", "counterpart", "event")
            .order_by("event_id", "starts_at", "pk")
        )
        if self.action != "list":
            return qs
        params = self.request.query_params
        for name in ("event", "organization"):
            if params.get(name):
                value = parse_id(params[name])
                if value is None:
                    raise ValidationError({name: [_("Enter an id (a whole number).")]})
                qs = qs.filter(event_id=value) if name == "event" else qs.involving(value)
        wanted = _choice_param(self.request, "status", Meeting.Status.values)
        return qs.filter(status=wanted) if wanted else qs

    @extend_schema(
        parameters=[
            OpenApiParameter("event", OpenApiTypes.INT),
            OpenApiParameter("organization", OpenApiTypes.INT),
            OpenApiParameter("status", OpenApiTypes.STR, enum=Meeting.Status.values),
        ],
        responses={200: MeetingSerializer(many=True), 400: VALIDATION_ERROR},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _act(self, service):
        meeting = self.get_object()
        meeting = service(meeting=meeting, by_user=self.request.user)
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses={200: MeetingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(meeting_services.meeting_accept)

    @extend_schema(request=None, responses={200: MeetingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._act(meeting_services.meeting_decline)

    @extend_schema(request=None, responses={200: MeetingSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._act(meeting_services.meeting_cancel)

    @extend_schema(
        request=OutcomeSerializer,
        responses={200: OutcomeResultSerializer, 400: VALIDATION_ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def outcome(self, request, pk=None):
        meeting = self.get_object()
        payload = OutcomeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        outcome = meeting_services.meeting_record_outcome(
            meeting=meeting, by_user=request.user, **payload.validated_data
        )
        return Response(OutcomeResultSerializer(outcome).data)
