from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.models import Organization
from accounts.permissions import IsOfficer, IsOrganizationMemberOrReadOnly, is_officer
from accounts.serializers import (
    MeSerializer,
    OrganizationSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserSerializer,
    VerifySerializer,
)


class RegisterView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=RegisterSerializer, responses={201: UserSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
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
                {"non_field_errors": ["Unable to log in with the given username and password."]}
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(generics.RetrieveUpdateAPIView):
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        return MeSerializer if self.request.method == "GET" else UserSerializer

    def get_object(self):
        return self.request.user


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganizationSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOrganizationMemberOrReadOnly]
    filterset_fields = ["kind", "verified"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = Organization.objects.select_related("province")
        if self.request.query_params.get("mine"):
            qs = qs.for_user(self.request.user)
        province = self.request.query_params.get("province")
        if province:
            qs = qs.filter(province__code=province)
        return qs.search(self.request.query_params.get("q"))

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        member_of = (
            set(Organization.objects.for_user(user).values_list("pk", flat=True))
            if user.is_authenticated
            else set()
        )
        officer = is_officer(user)
        context["show_contacts"] = lambda org: officer or org.pk in member_of
        return context

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            owner=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, **serializer.validated_data
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
