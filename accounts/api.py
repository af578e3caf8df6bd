import django_filters
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.certificates.selectors import public_certificates
from accounts.models import Organization
from accounts.permissions import IsOfficer
from accounts.selectors import is_officer, member_organization_ids, organization_ids_of
from accounts.serializers import (
    MeSerializer,
    OrganizationSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
    VerifySerializer,
)
from catalog.models import Province
from core.api import SafeLookupMixin
from core.idempotency import (
    IDEMPOTENCY_PARAMETER,
    IDEMPOTENCY_RESPONSES,
    IdempotentCreateMixin,
    idempotent,
)
from core.ratelimit import signup_allowed


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=RegisterSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: UserSerializer, **IDEMPOTENCY_RESPONSES},
    )
    def post(self, request):
        return idempotent(request, lambda: self._register(request))

    def _register(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The sign-up page's limit per address (core.ratelimit), counted the same way.
        allowed, retry_after = signup_allowed(request)
        if not allowed:
            raise Throttled(wait=retry_after)
        user = services.user_register(**serializer.validated_data)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token …``)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request=request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise ValidationError(
                {"non_field_errors": [_("Unable to log in with the given username and password.")]}
            )
        token, _created = Token.objects.get_or_create(user=user)
        # Resets the lockout counter (django-axes) and records last_login, as a page login does.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token.key})


class MeView(generics.RetrieveUpdateAPIView):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        return MeSerializer if self.request.method == "GET" else UserSerializer

    def get_object(self):
        return self.request.user


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Name, contact person or address; accents optional.")
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine", label=_("true: only the caller's organizations.")
    )
    province = django_filters.CharFilter(
        method="filter_province",
        label=_("Province code, or a current, legacy or unaccented name."),
    )

    class Meta:
        model = Organization
        fields = ["q", "mine", "province", "kind", "verified"]

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=member_organization_ids(self.request.user))

    def filter_province(self, queryset, name, value):
        province = Province.objects.resolve(value)
        if province is None:
            raise ValidationError(
                {"province": [_("Unknown province “%(value)s”.") % {"value": value[:60]}]}
            )
        return queryset.filter(province=province)


@extend_schema_view(
    create=extend_schema(
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: OrganizationSerializer, **IDEMPOTENCY_RESPONSES},
    )
)
class OrganizationViewSet(
    SafeLookupMixin,
    IdempotentCreateMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganizationSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Organization.objects.select_related("province").prefetch_related(
            Prefetch("certificates", queryset=public_certificates(), to_attr="public_certificates")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user

        def show_contacts(org) -> bool:
            # Read when the response is rendered, so a just-created organization counts.
            return is_officer(user) or org.pk in organization_ids_of(user)

        context["show_contacts"] = show_contacts
        return context

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            owner=self.request.user, **serializer.validated_data
        )

    def partial_update(self, request, *args, **kwargs):
        # Who may change it is answered before the body is parsed: 403, then 400.
        services.check_organization_change(organization=self.get_object(), by_user=request.user)
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, by_user=self.request.user, **serializer.validated_data
        )

    @extend_schema(request=VerifySerializer, responses={200: OrganizationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsOfficer])
    def verify(self, request, pk=None):
        organization = self.get_object()
        payload = VerifySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            services.organization_verify(
                organization=organization, by_user=request.user, **payload.validated_data
            )
        return Response(self.get_serializer(organization).data)
