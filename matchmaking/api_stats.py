"""``GET /api/v1/stats/``: what the programmes and conferences produced (officers only).

The query string is checked by ``matchmaking.forms_stats.StatsFilterForm`` (a bad value is a
400 with a message for the field), the figures come from ``matchmaking.selectors_stats`` — the
same function the officers' dashboard and its CSV downloads call.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from matchmaking.forms_stats import StatsFilterForm
from matchmaking.selectors_stats import outcome_figures, require_officer
from matchmaking.serializers_stats import StatsSerializer

PARAMETERS = [
    OpenApiParameter("programme", OpenApiTypes.STR, description="Cooperation programme slug."),
    OpenApiParameter("event", OpenApiTypes.INT, description="Connection event id."),
    OpenApiParameter("province", OpenApiTypes.STR, description="Official province code."),
    OpenApiParameter("region", OpenApiTypes.STR, description="Region code."),
    OpenApiParameter(
        "category", OpenApiTypes.STR, description="Category slug (its descendants included)."
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD)."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (YYYY-MM-DD), inclusive."),
]


def form_errors(form) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


class StatsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="stats_retrieve",
        summary="Outcome figures of the programmes and conferences",
        description="Officers only. Every count is computed from the rows at the time of the "
        "request; the filters combine (and). A listing is kept by its own province and "
        "category; a match, deal or meeting when either side is in the province, region or "
        "category; `from`/`to` keep each row by the day it was created (Vietnam time).",
        parameters=PARAMETERS,
        responses={200: StatsSerializer},
        tags=["stats"],
    )
    def get(self, request):
        require_officer(request.user)
        form = StatsFilterForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        return Response(StatsSerializer(outcome_figures(form.filters())).data)
