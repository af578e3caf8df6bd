"""``GET /api/v1/listings/{id}/near-misses/``: why a listing has few or no proposals.

Members of the listing's organization and officers; a listing the caller cannot see is 404, one
they can see but do not belong to is 403. The answer is the contract's plain list (at most 10,
closest first), not a page.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import is_officer
from core.api import parse_id
from listings import selectors
from matchmaking.serializers import OrganizationSummarySerializer, enum_field
from matchmaking.services import near_misses

RULE_CHOICES = [
    ("certification", _("The supply lacks a certification the demand requires")),
    ("ocop_stars", _("The supply has fewer OCOP stars than the demand asks")),
    ("window", _("The windows do not overlap")),
    ("category", _("A related category, but not the one asked for")),
    ("unit_dimension", _("Quantities in units of different kinds")),
    ("min_order", _("A minimum order the other side's quantity does not reach")),
]


class NearMissListingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    province_name = serializers.CharField(source="province.name", read_only=True)


class BlockedBySerializer(serializers.Serializer):
    rule = enum_field(RULE_CHOICES, read_only=True, help_text=_("The hard rule that fails."))
    detail = serializers.CharField(
        read_only=True, help_text=_("What blocks the pair, in the request's language.")
    )


class NearMissSerializer(serializers.Serializer):
    listing = NearMissListingSerializer(read_only=True)
    blocked_by = BlockedBySerializer(source="rules", many=True, read_only=True)


class NearMissView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="listings_near_misses",
        summary="Counter-listings that one or two changes would match",
        description="Up to 10 open counter-listings that fail one or two hard rules "
        "(`certification`, `ocop_stars`, `window`, `category`, `unit_dimension`, "
        "`min_order`), closest first, each with what blocks it. Members of the listing's "
        "organization and officers.",
        responses={200: NearMissSerializer(many=True)},
        tags=["listings"],
    )
    def get(self, request, pk: str):
        listing_id = parse_id(pk)
        listing = (
            selectors.listings_visible_to(request.user).filter(pk=listing_id).first()
            if listing_id is not None
            else None
        )
        if listing is None:
            raise Http404
        if not (is_officer(request.user) or listing.organization.has_member(request.user)):
            raise PermissionDenied(
                _("Only the listing's organization and officers see its near misses.")
            )
        return Response(NearMissSerializer(near_misses.near_misses(listing), many=True).data)
