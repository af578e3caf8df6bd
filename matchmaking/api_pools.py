"""The pools API: pooled supply for a demand no single supply covers (DESIGN.md, part 2).

Reads go through ``selectors_pools.visible_pools`` (an outsider gets 404, not 403), answers
through ``matchmaking.services.pool_review``; an illegal move is a ``PoolStateError`` (409).
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError

from core.api import AnswerMixin, SafeLookupMixin, filter_statuses, parse_id, status_parameter
from matchmaking.models import Pool
from matchmaking.selectors_pools import visible_pools
from matchmaking.serializers_pools import (
    PoolAnswerSerializer,
    PoolDeclineSerializer,
    PoolSerializer,
)
from matchmaking.services import pool_review

ERROR = OpenApiResponse(description="Error with a `detail` message.")
CONFLICT = OpenApiResponse(
    description='Illegal move: `{"detail": …, "code": "illegal_transition"}`.'
)

# What an answer (accept, decline) returns.
ANSWERED = {200: PoolSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: CONFLICT}


class PoolViewSet(AnswerMixin, SafeLookupMixin, viewsets.ReadOnlyModelViewSet):
    """Pools the caller may see: officers all, the buyer's members and each member's
    organization theirs."""

    serializer_class = PoolSerializer
    answer_target = "pool"
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = Pool.objects.none()  # for the schema; get_queryset filters by the caller

    def get_queryset(self):
        qs = visible_pools(self.request.user)
        if self.action != "list":
            return qs
        params = self.request.query_params
        demand = params.get("demand")
        if demand:
            demand_id = parse_id(demand)
            if demand_id is None:
                raise ValidationError({"demand": [_("Enter a listing id (a whole number).")]})
            qs = qs.filter(demand_id=demand_id)
        return filter_statuses(qs, params.get("status"), Pool.Status.values)

    @extend_schema(
        parameters=[
            OpenApiParameter("demand", OpenApiTypes.INT, description="Only this demand's pools."),
            status_parameter(Pool.Status.values, "Only pools in these statuses (comma-separated)."),
        ],
        responses={200: PoolSerializer(many=True), 400: ERROR},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: PoolSerializer, 404: ERROR})
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Accept a pool: the buyer for the demand, a member for its own share",
        description="Once the buyer and every member have accepted, the pool is `connected` "
        "and contacts open between the buyer and each member.",
        request=PoolAnswerSerializer,
        responses=ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, pool_review.pool_accept, PoolAnswerSerializer)

    @extend_schema(
        summary="Decline a pool (the buyer) or your share of it (a member), with a reason",
        description="A buyer's decline ends the pool. A member's decline drops it: another "
        "supplier takes its share (the buyer confirms again), or the pool is `withdrawn`.",
        request=PoolDeclineSerializer,
        responses=ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._answer(request, pool_review.pool_decline, PoolDeclineSerializer)
