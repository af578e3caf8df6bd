"""``/api/v1/listings/``: thin views over ``listings.services`` and ``listings.selectors``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import SafeLookupMixin
from listings import selectors, services
from listings.filters import ListingFilter
from listings.models import Listing
from listings.permissions import IsOfficerToHide, ListingPermission
from listings.serializers import HideSerializer, ListingSerializer

ORDERING_FIELDS = ["created_at", "price_min", "quantity_base", "available_until"]

# What an officer who is not a member may change on someone else's listing.
OFFICER_PATCH = {"status": Listing.Status.CLOSED}


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
                description="Sort by one of these fields; a leading “-” sorts descending.",
            )
        ],
    ),
    create=extend_schema(summary="Post a listing for an organization the caller belongs to"),
    retrieve=extend_schema(summary="One listing (404 when the caller may not see it)"),
    partial_update=extend_schema(
        summary="Change a listing (members; officers may only set status to closed)"
    ),
    destroy=extend_schema(summary="Delete a listing (members only)"),
)
class ListingViewSet(
    SafeLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ListingSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, ListingPermission]
    filterset_class = ListingFilter
    ordering_fields = ORDERING_FIELDS
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.listings_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        if not organization.has_member(self.request.user):
            raise PermissionDenied(
                _("You can only post listings for an organization you belong to.")
            )
        serializer.instance = services.listing_create(
            organization=organization,
            side=data.pop("side"),
            by_user=self.request.user,
            certifications=data.pop("certifications", []),
            **data,
        )

    def partial_update(self, request, *args, **kwargs):
        listing = self.get_object()
        # A non-member gets here only as an officer (ListingPermission): they may only close.
        if not listing.organization.has_member(request.user) and (
            not isinstance(request.data, dict) or request.data != OFFICER_PATCH
        ):
            raise PermissionDenied(
                _("Officers may only close (status “closed”) or hide someone else's listing.")
            )
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("side", None)
        data.pop("organization", None)
        certifications = data.pop("certifications", None)
        serializer.instance = services.listing_update(
            listing=serializer.instance,
            by_user=self.request.user,
            certifications=certifications,
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
        permission_classes=[permissions.IsAuthenticated, IsOfficerToHide, ListingPermission],
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
