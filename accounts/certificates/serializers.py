"""The certificate's API shape (DESIGN.md, API contract part 2: "Certificates")."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from accounts.certificates.selectors import can_see_document
from accounts.models import Certificate
from catalog.models import Certification, ProductCategory
from core.api import NamedChoiceField


class DocumentField(serializers.FileField):
    """Read: the permission-checked download address (never the storage's own address), or
    null for someone who may not open it. Write: the file, checked by the service."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, instance):
        request = self.context.get("request")
        if not instance.document or request is None:
            return None
        if not can_see_document(request.user, instance):
            return None
        return request.build_absolute_uri(
            reverse("certificate-document", kwargs={"pk": instance.pk})
        )


class DocumentFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "accounts.certificates.serializers.DocumentField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                "type": "string",
                "format": "binary",
                "description": "PDF, JPEG or PNG (judged by content), at most 5 MB by default.",
            }
        return {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "Where to download the document; null for who may not open it.",
        }


class SchemeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _(
            "Unknown certification “{value}”: use a code from /api/v1/certifications/."
        ),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Certification.objects.all(), **kwargs)


class CategorySlugField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("Unknown category “{value}”: use a slug from /api/v1/categories/."),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="slug", queryset=ProductCategory.objects.all(), **kwargs)


class CertificateSerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    scheme = SchemeField()
    scheme_name = serializers.CharField(source="scheme.name", read_only=True)
    categories = CategorySlugField(many=True, required=False)
    document = DocumentField()
    state = NamedChoiceField(
        enum_name="CertificateStateEnum", choices=Certificate.State.choices, read_only=True
    )
    reason = serializers.CharField(read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "organization",
            "scheme",
            "scheme_name",
            "number",
            "issuer",
            "issued_on",
            "valid_until",
            "categories",
            "document",
            "document_public",
            "state",
            "reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # (organization, scheme, number) is unique: the model's full_clean says so per field.
        validators: list = []


class PublicCertificateSerializer(CertificateSerializer):
    """What anyone may read about a verified certificate: no reason, no review details."""

    class Meta(CertificateSerializer.Meta):
        fields = [
            "id",
            "scheme",
            "scheme_name",
            "number",
            "issuer",
            "issued_on",
            "valid_until",
            "categories",
            "document",
        ]
        read_only_fields = fields


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)
