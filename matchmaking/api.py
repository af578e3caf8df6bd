"""The matchmaking API: matches and their review, match runs, notifications.

Views stay thin: reads go through ``Match.objects.visible_to(user)`` (so an outsider gets 404,
not 403), writes through ``matchmaking.services.review``; an illegal transition is a
``MatchStateError`` that the exception handler answers with 409 and a message.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.permissions import IsOfficer
from core.api import (
    AnswerMixin,
    CachedReadMixin,
    SafeLookupMixin,
    filter_statuses,
    parse_id,
    status_parameter,
)
from core.idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_RESPONSES, idempotent
from matchmaking.models import Match, MatchRun, Notification
from matchmaking.selectors import matches_queryset, visible_matches  # noqa: F401 (kept importable)
from matchmaking.serializers import (
    AcceptSerializer,
    DeclineSerializer,
    MarkReadResultSerializer,
    MarkReadSerializer,
    MatchRunCreateSerializer,
    MatchRunSerializer,
    MatchSerializer,
    NotificationSerializer,
    TransitionSerializer,
    UnreadCountSerializer,
)
from matchmaking.services import notifications, review

ERROR = OpenApiResponse(description="Error with a `detail` message.")
CONFLICT = OpenApiResponse(
    description='Illegal transition: `{"detail": …, "code": "illegal_transition"}`.'
)


class MatchViewSet(AnswerMixin, CachedReadMixin, SafeLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Matches the caller may see: officers all, members those of their organizations."""

    answer_target = "match"

    serializer_class = MatchSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []  # the two filters below are explicit; ordering is fixed
    queryset = Match.objects.none()  # for the schema; get_queryset filters by the caller

    def get_queryset(self):
        qs = visible_matches(self.request.user).order_by(*Match.RANKING)
        if self.action != "list":
            return qs
        params = self.request.query_params
        listing = params.get("listing")
        if listing:
            listing_id = parse_id(listing)
            if listing_id is None:
                raise ValidationError({"listing": [_("Enter a listing id (a whole number).")]})
            qs = qs.for_listing(listing_id)
        return filter_statuses(qs, params.get("status"), Match.Status.values)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "listing", OpenApiTypes.INT, description="Only the matches of this listing."
            ),
            status_parameter(
                Match.Status.values, "Only matches in these statuses (comma-separated)."
            ),
        ],
        responses={200: MatchSerializer(many=True), 400: ERROR},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MatchSerializer, 404: ERROR})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Accept a proposed match for your side",
        description="Members answer for their own side; an officer names the side they act "
        "for (`side`), recorded as acting for it. When both sides have accepted, the match "
        "is `connected` and the contact fields open.",
        request=AcceptSerializer,
        responses={200: MatchSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, review.match_accept, AcceptSerializer)

    @extend_schema(
        summary="Decline a proposed match, with a reason",
        description="The pair is never proposed again.",
        request=DeclineSerializer,
        responses={200: MatchSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, review.match_decline, DeclineSerializer)

    @extend_schema(
        summary="The audit trail of a match",
        responses={200: TransitionSerializer(many=True), 404: ERROR},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        match = self.get_object()
        transitions = match.transitions.select_related("by_user")
        return Response(
            TransitionSerializer(transitions, many=True, context={"request": request}).data
        )


class MatchRunViewSet(
    SafeLookupMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Staff start a full re-match and watch its progress."""

    serializer_class = MatchRunSerializer
    permission_classes = [IsOfficer]
    queryset = MatchRun.objects.all()

    @extend_schema(
        request=MatchRunCreateSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: MatchRunSerializer, **IDEMPOTENCY_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: self._start(request))

    def _start(self, request):
        from matchmaking.services import rematch

        run = rematch.start_full_rematch(requested_by=request.user)
        run.refresh_from_db()
        return Response(MatchRunSerializer(run).data, status=status.HTTP_201_CREATED)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's in-app notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = Notification.objects.none()  # for the schema

    def get_queryset(self):
        qs = Notification.objects.filter(user=self.request.user).order_by("-created_at", "-pk")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="Only the unread notifications."
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request):
        return Response({"unread": notifications.unread_count(request.user)})

    @extend_schema(
        request=MarkReadSerializer, responses={200: MarkReadResultSerializer, 400: ERROR}
    )
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        payload = MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        marked = notifications.mark_read(user=request.user, ids=payload.validated_data.get("ids"))
        return Response({"marked": marked, "unread": notifications.unread_count(request.user)})
