from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.certificates.selectors import public_certificates
from accounts.certificates.serializers import PublicCertificateSerializer
from accounts.models import Membership, Organization
from catalog.models import Province


class ProvinceField(serializers.SlugRelatedField):
    """A province by code, or by any current, legacy or unaccented name ("Kon Tum")."""

    default_error_messages = {
        "does_not_exist": _(
            "Unknown province “{value}”: use a code from /api/v1/provinces/ or a province name."
        ),
        "invalid": _("Enter a province code or name."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Province.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        province = Province.objects.resolve(data)
        if province is None:
            self.fail("does_not_exist", value=data[:60])
        return province


class RegisterSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    preferred_language = serializers.ChoiceField(
        choices=get_user_model().Language.choices, required=False, default="vi"
    )


class UserSerializer(serializers.ModelSerializer):
    is_officer = serializers.BooleanField(read_only=True)

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "email",
            "preferred_language",
            "email_notifications",
            "is_officer",
        ]
        read_only_fields = ["id", "username"]


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


CONTACT_FIELDS = ["contact_person", "phone", "email", "address", "website", "tax_code"]


class OrganizationSerializer(serializers.ModelSerializer):
    province = ProvinceField()
    province_name = serializers.CharField(source="province.name", read_only=True)
    verified = serializers.BooleanField(read_only=True)
    contacts_visible = serializers.SerializerMethodField()
    certificates = serializers.SerializerMethodField(
        help_text="Verified certificates still valid (the public view: no review details)."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "province",
            "province_name",
            "verified",
            "description",
            *CONTACT_FIELDS,
            "contacts_visible",
            "certificates",
            "created_at",
        ]
        read_only_fields = ["id", "verified", "created_at"]
        # Uniqueness (name, province) is checked by the model's full_clean with a field message.
        validators: list = []

    def _contacts_visible(self, instance) -> bool:
        return self.context.get("show_contacts", lambda org: True)(instance)

    def get_contacts_visible(self, instance) -> bool:
        return self._contacts_visible(instance)

    @extend_schema_field(PublicCertificateSerializer(many=True))
    def get_certificates(self, instance) -> list:
        certificates = getattr(instance, "public_certificates", None)
        if certificates is None:
            certificates = public_certificates(instance)
        return PublicCertificateSerializer(certificates, many=True, context=self.context).data

    def to_representation(self, instance):
        """Contact details only for members and officers: matches open them otherwise."""
        data = super().to_representation(instance)
        if not self._contacts_visible(instance):
            for field in CONTACT_FIELDS:
                data[field] = ""
        return data


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organization", "role"]


class MeSerializer(UserSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "memberships"]


class VerifySerializer(serializers.Serializer):
    verified = serializers.BooleanField(default=True)
