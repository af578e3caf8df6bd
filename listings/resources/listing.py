"""The listing resource: a spreadsheet row in, a listing out (through the listing service), and
the export (see the package's docstring)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from import_export import fields

from core.spreadsheets import SafeExportResource
from listings import services
from listings.models import Listing
from listings.resources.cells import (
    CategoryWidget,
    CertificationsWidget,
    ChoiceWidget,
    DateWidget,
    OrganizationWidget,
    PriceWidget,
    ProductWidget,
    ProvinceWidget,
    QuantityWidget,
    StarsWidget,
    TextWidget,
    UnitWidget,
    cell_text,
)
from listings.resources.columns import column_labels, header_keys

MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 5000)
REQUIRED_COLUMNS = (
    "side",
    "organization",
    "title",
    "category",
    "quantity",
    "unit",
    "province",
    "available_from",
    "available_until",
)


class PendingCertificationsField(fields.Field):
    """Holds the parsed certifications until the service creates the listing with them."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        instance._import_certifications = self.clean(row, **kwargs)


class ListingResource(SafeExportResource):
    id = fields.Field(attribute="id", column_name="id", readonly=True)
    side = fields.Field(
        attribute="side", column_name="side", widget=ChoiceWidget(Listing.Side.choices)
    )
    organization = fields.Field(
        attribute="organization", column_name="organization", widget=OrganizationWidget()
    )
    title = fields.Field(
        attribute="title", column_name="title", widget=TextWidget(max_length=200, required=True)
    )
    description = fields.Field(
        attribute="description", column_name="description", widget=TextWidget(max_length=5000)
    )
    category = fields.Field(attribute="category", column_name="category", widget=CategoryWidget())
    product = fields.Field(attribute="product", column_name="product", widget=ProductWidget())
    quantity = fields.Field(attribute="quantity", column_name="quantity", widget=QuantityWidget())
    unit = fields.Field(attribute="unit", column_name="unit", widget=UnitWidget())
    min_order_quantity = fields.Field(
        attribute="min_order_quantity", column_name="min_order_quantity", widget=QuantityWidget()
    )
    price_min = fields.Field(attribute="price_min", column_name="price_min", widget=PriceWidget())
    price_max = fields.Field(attribute="price_max", column_name="price_max", widget=PriceWidget())
    province = fields.Field(attribute="province", column_name="province", widget=ProvinceWidget())
    available_from = fields.Field(
        attribute="available_from", column_name="available_from", widget=DateWidget()
    )
    available_until = fields.Field(
        attribute="available_until", column_name="available_until", widget=DateWidget()
    )
    certifications = PendingCertificationsField(
        attribute="certifications", column_name="certifications", widget=CertificationsWidget()
    )
    ocop_stars = fields.Field(
        attribute="ocop_stars", column_name="ocop_stars", widget=StarsWidget()
    )
    min_ocop_stars = fields.Field(
        attribute="min_ocop_stars", column_name="min_ocop_stars", widget=StarsWidget()
    )
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(Listing.Status.choices),
        default=Listing.Status.OPEN,
    )
    hidden = fields.Field(attribute="hidden", column_name="hidden", readonly=True)
    created_at = fields.Field(attribute="created_at", column_name="created_at", readonly=True)

    class Meta:
        model = Listing
        # The columns are what the listing service takes, and what an export adds.
        fields = (
            "id",
            *services.FIXED_FIELDS,
            *services.EDITABLE_FIELDS,
            "certifications",
            "hidden",
            "created_at",
        )
        export_order = fields
        # Every row is a new listing, never an update of what members have since changed; a
        # row that is already a listing is skipped (``skip_row``), so a file imported twice
        # (or an export imported back) creates nothing twice.
        force_init_instance = True
        use_transactions = True
        clean_model_instances = False  # the service runs full_clean() with the same rules
        skip_html_diff = False

    # --- import ---------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        # All or nothing: one invalid row rolls the whole file back, on confirm too.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._seen_keys = set()
        # Vietnamese, English or key headers, in any case and accents, become the keys.
        headers = header_keys(dataset.headers or [])
        dataset.headers = headers
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        if missing:
            raise ValueError(
                _("Missing columns: %(columns)s.") % {"columns": ", ".join(column_labels(missing))}
            )
        # Blank lines (common at the end of a spreadsheet) are not rows.
        for index in range(len(dataset) - 1, -1, -1):
            if all(cell_text(cell) == "" for cell in dataset[index]):
                del dataset[index]
        if len(dataset) > MAX_ROWS:
            raise ValueError(
                _("At most %(max)d rows per file (this one has %(count)d).")
                % {"max": MAX_ROWS, "count": len(dataset)}
            )

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.message_dict
        for column in REQUIRED_COLUMNS:
            if column not in errors and not cell_text(row.get(column)):
                errors[column] = [_("A value is required.")]
        if errors:
            raise ValidationError(errors)

    def get_diff_headers(self):
        """The preview's column heads, in the admin's language."""
        return column_labels(field.column_name for field in self.get_import_fields())

    def after_import_row(self, row, row_result, **kwargs):
        if kwargs.get("progress"):  # a background import job (listings.import_jobs) counts
            kwargs["progress"]()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Already a listing (or earlier in the file): same organization, side, title, province
        and window. Skipped, not created twice; the preview shows it and the admin warns."""
        if import_validation_errors or not instance.organization_id:
            return False
        key = (
            instance.organization_id,
            instance.side,
            (instance.title or "").strip().casefold(),
            instance.province_id,
            instance.available_from,
            instance.available_until,
        )
        seen = getattr(self, "_seen_keys", set())
        if key in seen:
            return True
        seen.add(key)
        return Listing.objects.filter(
            organization_id=instance.organization_id,
            side=instance.side,
            title__iexact=(instance.title or "").strip(),
            province_id=instance.province_id,
            available_from=instance.available_from,
            available_until=instance.available_until,
        ).exists()

    def save_instance(self, instance, is_create, row, **kwargs):
        values = {name: getattr(instance, name) for name in services.EDITABLE_FIELDS}
        try:
            # The officer who imports enters listings for any organization named in the file;
            # an import with no one behind it imports nothing.
            created = services.listing_create(
                organization=instance.organization,
                side=instance.side,
                by_user=kwargs.get("user") or AnonymousUser(),
                on_behalf=True,
                certifications=getattr(instance, "_import_certifications", []),
                # A file is a record already kept elsewhere; the preview shows every row.
                confirm_price=True,
                **values,
            )
        except PermissionDenied as exc:
            raise ValidationError({"organization": [str(exc)]}) from None
        # The row result (preview, admin log) reports on the listing the service saved.
        for field in Listing._meta.concrete_fields:
            setattr(instance, field.attname, getattr(created, field.attname))
        instance._state.adding = False
        instance._state.db = created._state.db

    def save_m2m(self, instance, row, **kwargs):
        """Certifications were set by the service."""

    # --- export ---------------------------------------------------------------------------

    def get_export_headers(self, selected_fields=None):
        """Named in the admin's language; the import reads these names back."""
        return column_labels(
            field.column_name for field in self.get_export_fields(selected_fields) if field
        )

    def get_queryset(self):
        return Listing.objects.select_related(
            "organization", "category", "product", "unit", "province"
        ).prefetch_related("certifications")

    def dehydrate_created_at(self, listing: Listing) -> str:
        return listing.created_at.isoformat(timespec="seconds") if listing.created_at else ""

    def dehydrate_hidden(self, listing: Listing) -> str:
        return "yes" if listing.hidden else "no"
