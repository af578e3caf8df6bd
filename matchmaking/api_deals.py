"""The deals API: what happened after the handshake (DESIGN.md, API contract part 2).

Reads go through ``Deal.objects.visible_to(user)`` (an outsider gets 404, not 403), writes
through ``matchmaking.services.deals``; an illegal move is a ``DealStageError`` (409).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import SafeLookupMixin, parse_id
from matchmaking.models import CooperationProgramme, Deal
from matchmaking.selectors import deals_of_programme
from matchmaking.serializers_deals import (
    AdvanceSerializer,
    DealSerializer,
    DeliveryCreateSerializer,
)
from matchmaking.services import deals as deal_service

ERROR = OpenApiResponse(description="Error with a `detail` message.")
CONFLICT = OpenApiResponse(
    description='Illegal move: `{"detail": …, "code": "illegal_transition"}`.'
)


def deals_queryset(user):
    return (
        Deal.objects.visible_to(user)
        .select_related(
            "contract_unit",
            "match__supply__organization__province",
            "match__demand__organization__province",
        )
        .prefetch_related("events__by_user", "deliveries__unit")
        .order_by("-updated_at", "-pk")
    )


def filter_deals(qs, params):
    """``stage``, ``programme`` (slug) and ``event`` (id) filters; 400 for unknown values."""
    stage = params.get("stage")
    if stage:
        if stage not in Deal.Stage.values:
            raise ValidationError(
                {"stage": [_("Unknown stage. Use one of %s.") % ", ".join(Deal.Stage.values)]}
            )
        qs = qs.filter(stage=stage)
    event = params.get("event")
    if event:
        event_id = parse_id(event)
        if event_id is None:
            raise ValidationError({"event": [_("Enter an event id (a whole number).")]})
        qs = qs.filter(event_id=event_id)
    slug = params.get("programme")
    if slug:
        programme = CooperationProgramme.objects.filter(slug=slug[:80]).first()
        if programme is None:
            raise ValidationError({"programme": [_("Unknown cooperation programme.")]})
        qs = deals_of_programme(qs, programme)
    return qs


class DealViewSet(SafeLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Deals the caller may see: officers all, members those of their organizations."""

    serializer_class = DealSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = Deal.objects.none()  # for the schema; get_queryset filters by the caller

    def get_queryset(self):
        qs = deals_queryset(self.request.user)
        if self.action == "list":
            qs = filter_deals(qs, self.request.query_params)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("stage", OpenApiTypes.STR, enum=Deal.Stage.values),
            OpenApiParameter("programme", OpenApiTypes.STR, description="Programme slug."),
            OpenApiParameter("event", OpenApiTypes.INT, description="Connection event id."),
        ],
        responses={200: DealSerializer(many=True), 400: ERROR},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: DealSerializer, 404: ERROR})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def _fresh(self, deal):
        return Response(self.get_serializer(self.get_queryset().get(pk=deal.pk)).data)

    @extend_schema(
        summary="Move a deal to its next stage",
        description="Either side of the match, or an officer for them (recorded as such).",
        request=AdvanceSerializer,
        responses={200: DealSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        deal = self.get_object()
        payload = AdvanceSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        deal_service.deal_advance(deal=deal, by_user=request.user, **payload.validated_data)
        return self._fresh(deal)

    @extend_schema(
        summary="Record a delivery of a signed deal",
        description="The deal is `completed` once the contract quantity is delivered.",
        request=DeliveryCreateSerializer,
        responses={201: DealSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def deliveries(self, request, pk=None):
        deal = self.get_object()
        payload = DeliveryCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        deal_service.deal_deliver(deal=deal, by_user=request.user, **payload.validated_data)
        response = self._fresh(deal)
        response.status_code = status.HTTP_201_CREATED
        return response
