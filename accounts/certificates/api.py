"""``/api/v1/organizations/{id}/certificates/`` and ``/api/v1/certificates/{id}/…``.

Members upload (multipart) and replace; officers verify and reject; everyone else sees an
organization's verified certificates only, and their documents only if the owner allows it.
The rules are the services' and selectors' (shared with the pages and the admin).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.certificates import selectors, services
from accounts.certificates.documents import document_response
from accounts.certificates.serializers import CertificateSerializer, RejectSerializer
from accounts.models import Certificate, Organization
from accounts.permissions import IsOfficer
from core.api import parse_id
from core.schema import CONFLICT

UPLOAD_PARSERS = [MultiPartParser, FormParser]


def _organization(pk) -> Organization:
    if parse_id(pk) is None:
        raise Http404
    return get_object_or_404(Organization, pk=pk)


def _certificate(pk, user) -> Certificate:
    """A certificate the user may see (404 otherwise: its existence is not public)."""
    if parse_id(pk) is None:
        raise Http404
    certificate = get_object_or_404(Certificate.objects.select_related("organization"), pk=pk)
    visible = selectors.visible_certificates(user, certificate.organization)
    if not visible.filter(pk=certificate.pk).exists():
        raise Http404
    return certificate


def _service_fields(data: dict) -> dict:
    return {name: data[name] for name in services.FIELDS if name in data}


class OrganizationCertificatesView(generics.ListCreateAPIView):
    """An organization's certificates: all of them for its members and officers, the verified
    ones for everybody else. POST (members, multipart) submits one for an officer's review."""

    serializer_class = CertificateSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = UPLOAD_PARSERS
    filterset_class = None
    ordering_fields = ["valid_until", "created_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        organization = _organization(self.kwargs["organization_pk"])
        return selectors.visible_certificates(self.request.user, organization).order_by(
            "scheme__order", "-valid_until", "pk"
        )

    def create(self, request, *args, **kwargs):
        organization = _organization(self.kwargs["organization_pk"])
        # Who may is answered before the body is read: 403, then 400.
        services.check_manage(organization=organization, by_user=request.user)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        certificate = services.certificate_submit(
            organization=organization,
            by_user=request.user,
            document=data.get("document"),
            categories=data.get("categories", ()),
            **_service_fields(data),
        )
        return Response(self.get_serializer(certificate).data, status=status.HTTP_201_CREATED)


class CertificateDetailView(generics.RetrieveUpdateAPIView):
    """One certificate; PATCH (members, multipart) replaces fields or the document and sends it
    back for review."""

    serializer_class = CertificateSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    parser_classes = UPLOAD_PARSERS
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return _certificate(self.kwargs["pk"], self.request.user)

    def partial_update(self, request, *args, **kwargs):
        certificate = self.get_object()
        services.check_manage(organization=certificate.organization, by_user=request.user)
        serializer = self.get_serializer(certificate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        certificate = services.certificate_replace(
            certificate=certificate,
            by_user=request.user,
            document=data.get("document"),
            categories=data.get("categories"),
            **_service_fields(data),
        )
        return Response(self.get_serializer(certificate).data)


class CertificateVerifyView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=None, responses={200: CertificateSerializer, 409: CONFLICT})
    def post(self, request, pk):
        certificate = _certificate(pk, request.user)
        with transaction.atomic():
            certificate = services.certificate_verify(certificate=certificate, by_user=request.user)
        return Response(CertificateSerializer(certificate, context={"request": request}).data)


class CertificateRejectView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(request=RejectSerializer, responses={200: CertificateSerializer, 409: CONFLICT})
    def post(self, request, pk):
        certificate = _certificate(pk, request.user)
        payload = RejectSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        certificate = services.certificate_reject(
            certificate=certificate, by_user=request.user, **payload.validated_data
        )
        return Response(CertificateSerializer(certificate, context={"request": request}).data)


class CertificateDocumentView(APIView):
    """The document itself, for those who may open it (members, officers; anyone when the
    owner made a verified certificate's document public)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
        }
    )
    def get(self, request, pk):
        certificate = _certificate(pk, request.user)
        if not selectors.can_see_document(request.user, certificate):
            raise Http404
        return document_response(certificate)
