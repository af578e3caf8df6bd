"""What an organization's declines taught the matching, and the officer's reset.

``GET /api/v1/organizations/{id}/learning/`` (members, officers) and
``POST /api/v1/organizations/{id}/learning/reset/`` (officers). The rules are in
``matchmaking.services.learning``; an organization the caller may not see is 404.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organization
from core.api import parse_id
from core.schema import ERROR
from matchmaking.engine.learning import REASON_FACTOR
from matchmaking.engine.records import FACTORS
from matchmaking.serializers import enum_field
from matchmaking.services import learning


class LearnedWeightSerializer(serializers.Serializer):
    factor = enum_field([(f, f) for f in FACTORS], read_only=True)
    multiplier = serializers.FloatField(
        read_only=True, help_text=_("What the declines multiplied the weight by (0.5–2).")
    )
    base_weight = serializers.FloatField(read_only=True, help_text=_("The configured weight."))
    weight = serializers.FloatField(
        read_only=True, help_text=_("The weight for this organization (weights sum to 1).")
    )


class DeclineCountsSerializer(serializers.Serializer):
    price = serializers.IntegerField(read_only=True)
    distance = serializers.IntegerField(read_only=True)
    quality = serializers.IntegerField(read_only=True)
    quantity = serializers.IntegerField(read_only=True)
    timing = serializers.IntegerField(read_only=True)


assert set(DeclineCountsSerializer().fields) == set(REASON_FACTOR)


class LearningSerializer(serializers.Serializer):
    organization = serializers.IntegerField(read_only=True)
    since = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text=_("The last reset (null: never reset).")
    )
    declines = DeclineCountsSerializer(read_only=True)
    weights = LearnedWeightSerializer(many=True, read_only=True)
    active = serializers.BooleanField(
        read_only=True, help_text=_("Whether any weight differs from the configured one.")
    )


def _organization(pk: str) -> Organization:
    org_id = parse_id(pk)
    organization = Organization.objects.filter(pk=org_id).first() if org_id is not None else None
    if organization is None:
        raise Http404
    return organization


class LearningView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="organizations_learning",
        summary="What the organization's declines taught the matching",
        description="Declines with a reason since the last reset, by reason, and the factor "
        "weights they give this organization's proposals. Members and officers.",
        responses={200: LearningSerializer, 403: ERROR, 404: ERROR},
        tags=["organizations"],
    )
    def get(self, request, pk: str):
        summary = learning.learning_summary(organization=_organization(pk), user=request.user)
        return Response(LearningSerializer(summary).data)


class LearningResetView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="organizations_learning_reset",
        summary="Forget what the organization's declines taught (officers)",
        description="From now on only new declines count; the declines themselves are kept.",
        request=None,
        responses={200: LearningSerializer, 403: ERROR, 404: ERROR},
        tags=["organizations"],
    )
    def post(self, request, pk: str):
        summary = learning.learning_reset(organization=_organization(pk), by_user=request.user)
        return Response(LearningSerializer(summary).data)
