"""The listing API's bodies. Rules live in ``listings.services`` and ``Listing.clean()``; these
only parse and show (a rule's ValidationError comes back field by field through
``core.exceptions``).

Every message a caller can get names the value that was wrong and is translated (``vi``/``en``
through ``Accept-Language``).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organization
from accounts.serializers import ProvinceField
from catalog.models import Certification, Product, ProductCategory, Unit
from core.api import (
    CleanCharField,
    CleanTextField,
    IdField,
    NamedChoiceField,
    StrictDecimalField,
    StrictIntegerField,
    StrictModelSerializer,
    UniqueManyMixin,
)
from core.cleaning import single_line
from listings import services
from listings.models import Listing

BASE_UNITS = {
    Unit.Dimension.MASS: "kg",
    Unit.Dimension.VOLUME: "l",
    Unit.Dimension.COUNT: "piece",
}
MAX_PRICE = 10**13  # VND per unit; far above any real price, far below the column's limit
QUANTITY_KWARGS = {
    "max_digits": 14,
    "decimal_places": 3,
    "min_value": Decimal("0.001"),
    "coerce_to_string": False,
}


def _short(value) -> str:
    """A typed value, cut short enough to quote back in a message."""
    return str(value)[:60]


class ReferenceField(serializers.SlugRelatedField):
    """A reference row by its code on input and output: a code that is not one of
    ``reference_model``'s rows (``code_field``) is refused with the field's messages."""

    reference_model: type
    code_field = "code"

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", self.reference_model.objects.all())
        super().__init__(slug_field=self.code_field, **kwargs)

    def lookup(self, text: str):
        """The row ``text`` names, or ``None``; by default the code, in any case."""
        return self.reference_model.objects.filter(
            **{self.code_field: text.strip().lower()}
        ).first()

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        data = single_line(data)  # a NUL would reach PostgreSQL's lookup (a 500)
        row = self.lookup(data)
        if row is None:
            self.fail("does_not_exist", value=_short(data))
        return row


class UnitField(ReferenceField):
    """A unit by code or Vietnamese/English alias on input ("tấn", "tạ", "lít"); the code on
    output."""

    reference_model = Unit
    default_error_messages = {
        "does_not_exist": _("Unknown unit “{value}”: use a code from /api/v1/units/."),
        "invalid": _("Enter a unit code such as kg, tonne or l."),
    }

    def lookup(self, text: str):
        return Unit.resolve(text)


class CategoryField(ReferenceField):
    reference_model = ProductCategory
    code_field = "slug"
    default_error_messages = {
        "does_not_exist": _("Unknown category “{value}”: use a slug from /api/v1/categories/."),
        "invalid": _("Enter a category slug such as coffee."),
    }


class CertificationField(UniqueManyMixin, ReferenceField):
    reference_model = Certification
    default_error_messages = {
        "does_not_exist": _(
            "Unknown certification “{value}”: use a code from /api/v1/certifications/."
        ),
        "invalid": _("Enter a certification code such as vietgap."),
    }


class ListingOrganizationSerializer(StrictModelSerializer):
    """Who posted a listing. Contacts open only through an accepted match, never here."""

    kind = NamedChoiceField(
        choices=Organization.Kind.choices, enum_name="OrganizationKindEnum", read_only=True
    )
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province_name = CleanCharField(source="province.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "province", "province_name", "verified"]
        read_only_fields = fields


class ListingSerializer(StrictModelSerializer):
    organization = IdField(
        queryset=Organization.objects.all(),
        help_text=_("The posting organization's id; the caller must belong to it."),
        error_messages={
            "does_not_exist": _("Unknown organization {pk_value}."),
        },
    )
    side = NamedChoiceField(choices=Listing.Side.choices, enum_name="ListingSideEnum")
    organization_detail = ListingOrganizationSerializer(source="organization", read_only=True)
    title = CleanCharField(max_length=200)
    description = CleanTextField(max_length=5000, required=False, allow_blank=True, default="")
    title_en = CleanCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Optional English title for foreign buyers (shown on English pages)."),
    )
    description_en = CleanTextField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Optional English description."),
    )
    category = CategoryField(help_text=_("A category slug from /api/v1/categories/."))
    product = IdField(
        queryset=Product.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": _("Unknown product {pk_value}.")},
    )
    quantity = StrictDecimalField(
        **QUANTITY_KWARGS,
        error_messages={"min_value": _("The quantity must be greater than zero.")},
    )
    unit = UnitField(
        help_text=_("A unit code from /api/v1/units/; Vietnamese aliases (tấn, tạ, lít) work.")
    )
    quantity_base = StrictDecimalField(
        max_digits=20,
        decimal_places=3,
        coerce_to_string=False,
        read_only=True,
        help_text=_("The quantity in the base unit of its dimension (kg, l or piece)."),
    )
    base_unit = serializers.SerializerMethodField(
        help_text=_("kg, l or piece: the unit of quantity_base.")
    )
    min_order_quantity = StrictDecimalField(
        **QUANTITY_KWARGS,
        required=False,
        allow_null=True,
        error_messages={"min_value": _("The minimum order must be greater than zero.")},
    )
    price_min = StrictIntegerField(
        min_value=0,
        max_value=MAX_PRICE,
        required=False,
        allow_null=True,
        help_text=_("Lowest price in VND per unit (a whole number)."),
    )
    price_max = StrictIntegerField(
        min_value=0,
        max_value=MAX_PRICE,
        required=False,
        allow_null=True,
        help_text=_("Highest price in VND per unit (a whole number)."),
    )
    province = ProvinceField(
        help_text=_("A province code, or any current, legacy or unaccented province name.")
    )
    certifications = CertificationField(
        many=True,
        required=False,
        help_text=_(
            "Certification codes: on a supply the ones it holds, on a demand the ones it requires."
        ),
    )
    ocop_stars = StrictIntegerField(min_value=3, max_value=5, required=False, allow_null=True)
    ocop_year = StrictIntegerField(
        min_value=2018,
        max_value=2100,
        required=False,
        allow_null=True,
        help_text=_("The year ocop_stars were awarded; a rating counts for 36 months."),
    )
    effective_ocop_stars = StrictIntegerField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "ocop_stars, or the product's OCOP stars when the listing sets none; null once the "
            "rating is older than 36 months."
        ),
    )
    min_ocop_stars = StrictIntegerField(min_value=3, max_value=5, required=False, allow_null=True)
    status = NamedChoiceField(
        choices=Listing.Status.choices,
        enum_name="ListingStatusEnum",
        required=False,
        help_text=_("“expired” is set by the system when the window ends; it cannot be sent."),
    )
    hidden = serializers.BooleanField(
        read_only=True, help_text=_("Hidden by an officer: not public and not matched.")
    )
    confirm_price = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_(
            "Send true to save a price far from what the category usually costs per unit "
            "(such as 95 VND per tonne of coffee). Without it such a price is answered 400, with "
            "the question on price_min/price_max and on confirm_price; nothing is saved."
        ),
    )

    class Meta:
        model = Listing
        # What the listing service takes, and what the API shows beside it.
        fields = [
            "id",
            *services.FIXED_FIELDS,
            "organization_detail",
            *services.EDITABLE_FIELDS,
            "certifications",
            "quantity_base",
            "base_unit",
            "effective_ocop_stars",
            "hidden",
            "confirm_price",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field(NamedChoiceField(choices=["kg", "l", "piece"], enum_name="BaseUnitEnum"))
    def get_base_unit(self, listing: Listing) -> str:
        return BASE_UNITS[listing.unit.dimension]


class HideSerializer(serializers.Serializer):
    hidden = serializers.BooleanField(
        default=True, help_text=_("true hides the listing, false shows it again.")
    )
