"""``/api/v1/listings/``: thin views over ``listings.services`` and ``listings.selectors``.

Who may change what is the service's rule (members change their listings; an officer may only
close or hide someone else's); its PermissionDenied is a 403, an illegal status move a 409 and
a broken rule a 400 with field messages (``core.exceptions``).
"""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api import CachedReadMixin, SafeLookupMixin
from core.idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_RESPONSES, IdempotentCreateMixin
from core.schema import CONFLICT
from listings import selectors, services
from listings.filters import ListingFilter
from listings.serializers import HideSerializer, ListingSerializer

ORDERING_FIELDS = ["created_at", "price_min", "quantity_base", "available_until"]


@extend_schema_view(
    list=extend_schema(
        summary="Listings the caller may see",
        description=(
            "Open listings for everyone; members also see their organizations' drafts, "
            "paused, closed and expired listings; officers see everything."
        ),
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=[f"{sign}{name}" for name in ORDERING_FIELDS for sign in ("", "-")],
                description=(
                    "Sort by one of these fields; a leading “-” sorts descending. Without it, "
                    "a search (`q`) lists the most relevant first, anything else the newest."
                ),
            )
        ],
    ),
    create=extend_schema(
        summary="Post a listing for an organization the caller belongs to",
        description=(
            "A price far from what the category usually costs per unit (a typing slip such as "
            "95 VND per tonne of coffee) is answered 400 with the question on the price fields "
            "and on `confirm_price`; send the same body with `confirm_price: true` to save it. "
            "The pages ask the same question with a checkbox."
        ),
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: ListingSerializer, **IDEMPOTENCY_RESPONSES},
    ),
    retrieve=extend_schema(summary="One listing (404 when the caller may not see it)"),
    partial_update=extend_schema(
        summary="Change a listing (members; officers may only set status to closed)",
        description=(
            "Status moves: draft → open; open → paused or closed; paused → open or closed; "
            "closed or expired → open. Any other move is a 409; “expired” is set by the "
            "nightly job and cannot be sent (400)."
        ),
        responses={200: ListingSerializer, 409: CONFLICT},
    ),
    destroy=extend_schema(summary="Delete a listing (members only)"),
)
class ListingViewSet(
    CachedReadMixin,
    SafeLookupMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = ListingFilter
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action == "list":
            return selectors.listing_pages_visible_to(self.request.user)
        return selectors.listings_visible_to(self.request.user)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        params = self.request.query_params
        if self.action == "list" and params.get("q") and not params.get("ordering"):
            return queryset.ranked()
        return queryset

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.listing_create(
            organization=data.pop("organization"),
            side=data.pop("side"),
            by_user=self.request.user,
            certifications=data.pop("certifications", []),
            confirm_price=data.pop("confirm_price", False),
            **data,
        )

    def partial_update(self, request, *args, **kwargs):
        # Who may ask for what is answered before the body is parsed: 403, then 400.
        services.check_change(
            listing=self.get_object(),
            by_user=request.user,
            fields=request.data if isinstance(request.data, Mapping) else None,
        )
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        certifications = data.pop("certifications", None)
        serializer.instance = services.listing_update(
            listing=serializer.instance,
            by_user=self.request.user,
            certifications=certifications,
            confirm_price=data.pop("confirm_price", False),
            **data,
        )

    def perform_destroy(self, instance):
        services.listing_delete(listing=instance, by_user=self.request.user)

    @extend_schema(
        summary="Hide or show a listing (officers)",
        request=HideSerializer,
        responses={200: ListingSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[permissions.IsAuthenticated],
        filterset_class=None,
    )
    def hide(self, request, pk=None):
        listing = self.get_object()
        payload = HideSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        listing = services.listing_hide(
            listing=listing, hidden=payload.validated_data["hidden"], by_user=request.user
        )
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(self.get_serializer(listing).data, status=status.HTTP_200_OK)
