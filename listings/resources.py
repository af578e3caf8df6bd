"""Spreadsheet import and export of listings for officers (django-import-export).

Import: CSV or XLSX, one listing per row, previewed as a dry run before anything is saved.
Every row is created through ``listings.services.listing_create`` by the importing officer
(``on_behalf=True``: officers enter listings for any organization this way), with the same rules
as the API, and matching fires after commit; one bad row stops the whole file, and its message
names the value ("Unknown province “Kon Tumm”").

Export: the same columns (plus id, hidden, created_at), every cell made safe by
``core.spreadsheets`` (formulas neutralised by a leading apostrophe, control characters dropped).
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import fields, widgets

from accounts.models import Organization
from catalog.models import Certification, Product, ProductCategory, Province, Unit
from catalog.text import fold
from core.spreadsheets import SafeExportResource, strip_neutraliser
from listings import services
from listings.models import Listing

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
THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def _text(value) -> str:
    """A cell as stripped text; an exported, neutralised formula loses its apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_neutraliser(str(value).strip())


def _quote(value) -> str:
    return _text(value)[:80]


class _Widget(widgets.Widget):
    """A widget that checks the value is present when ``required``."""

    def __init__(self, *, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(_("A value is required."))
            return None
        if "\x00" in text:
            raise ValueError(_("Null characters are not allowed."))
        return self.parse(value, text)

    def parse(self, value, text):
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TextWidget(_Widget):
    def __init__(self, *, max_length: int, required: bool = False):
        super().__init__(required=required)
        self.max_length = max_length

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or ""

    def parse(self, value, text):
        if len(text) > self.max_length:
            raise ValueError(
                _("At most %(max)d characters (this one has %(count)d).")
                % {"max": self.max_length, "count": len(text)}
            )
        return text


class ChoiceWidget(_Widget):
    def __init__(self, choices, *, required: bool = False):
        super().__init__(required=required)
        self.choices = choices

    def parse(self, value, text):
        key = fold(text)
        for code, label in self.choices:
            if key in (code, fold(str(label))):
                return code
        allowed = ", ".join(code for code, _label in self.choices)
        raise ValueError(
            _("Unknown value “%(value)s”: use one of %(allowed)s.")
            % {"value": _quote(value), "allowed": allowed}
        )


class OrganizationWidget(_Widget):
    """By id, tax code or exact name (ignoring case and diacritics)."""

    def parse(self, value, text):
        if text.isdigit() and len(text) < 10:
            found = Organization.objects.filter(pk=int(text)).first()
            if found:
                return found
        matches = list(Organization.objects.filter(Q(tax_code=text) | Q(name__iexact=text))[:2])
        if not matches:
            folded = fold(text)
            matches = [
                org
                for org in Organization.objects.filter(search_text__icontains=folded)[:50]
                if fold(org.name) == folded
            ][:2]
        if len(matches) > 1:
            raise ValueError(
                _("Several organizations are called “%(value)s”: use the tax code or id.")
                % {"value": _quote(value)}
            )
        if not matches:
            raise ValueError(_("Unknown organization “%(value)s”.") % {"value": _quote(value)})
        return matches[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class CategoryWidget(_Widget):
    """By slug or name (Vietnamese or English, with or without diacritics)."""

    def parse(self, value, text):
        found = ProductCategory.objects.filter(slug=text.lower()).first()
        if found is None:
            folded = fold(text)
            found = next(
                (
                    c
                    for c in ProductCategory.objects.search(folded)
                    if folded in (fold(c.name), fold(c.name_en), c.slug)
                ),
                None,
            )
        if found is None:
            raise ValueError(_("Unknown category “%(value)s”.") % {"value": _quote(value)})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.slug if value else ""


class ProductWidget(_Widget):
    """By id or name."""

    def parse(self, value, text):
        found = None
        if text.isdigit() and len(text) < 10:
            found = Product.objects.filter(pk=int(text)).first()
        if found is None:
            candidates = list(Product.objects.filter(name__iexact=text)[:2])
            if len(candidates) > 1:
                raise ValueError(
                    _("Several products are called “%(value)s”: use the product id.")
                    % {"value": _quote(value)}
                )
            found = candidates[0] if candidates else None
        if found is None:
            raise ValueError(_("Unknown product “%(value)s”.") % {"value": _quote(value)})
        return found

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class UnitWidget(_Widget):
    """By code or alias: kg, tấn, tạ, yến, lít, hộp, thùng…"""

    def parse(self, value, text):
        unit = Unit.resolve(text)
        if unit is None:
            raise ValueError(_("Unknown unit “%(value)s”.") % {"value": _quote(value)})
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class ProvinceWidget(_Widget):
    """By code, current, English or legacy name, with or without diacritics ("Kon Tum")."""

    def parse(self, value, text):
        province = Province.objects.resolve(text)
        if province is None:
            raise ValueError(_("Unknown province “%(value)s”.") % {"value": _quote(value)})
        return province

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class QuantityWidget(_Widget):
    def parse(self, value, text):
        try:
            number = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": _quote(value)}) from None
        if not number.is_finite() or number <= 0:
            raise ValueError(
                _("The quantity must be greater than zero (got “%(value)s”).")
                % {"value": _quote(value)}
            )
        if number.as_tuple().exponent < -3 or number >= Decimal("1e11"):
            raise ValueError(
                _("“%(value)s” has too many digits (at most 3 decimals).")
                % {"value": _quote(value)}
            )
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else format(value.normalize(), "f")


class PriceWidget(_Widget):
    """Whole VND, at least zero; "95.000" and "95,000" (thousand separators) are accepted."""

    def parse(self, value, text):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            compact = text.replace(" ", "")
            if THOUSANDS.match(compact):  # 95.000 or 95,000: Vietnamese or English grouping
                compact = compact.replace(".", "").replace(",", "")
            try:
                number = Decimal(compact)
            except InvalidOperation:
                raise ValueError(
                    _("Prices are whole numbers of VND at least 0 (got “%(value)s”).")
                    % {"value": _quote(value)}
                ) from None
        if (
            not number.is_finite()
            or number < 0
            or number != number.to_integral_value()
            or number > 10**13
        ):
            raise ValueError(
                _("Prices are whole numbers of VND at least 0 (got “%(value)s”).")
                % {"value": _quote(value)}
            )
        return int(number)


class StarsWidget(_Widget):
    def parse(self, value, text):
        if text not in ("3", "4", "5"):
            raise ValueError(
                _("OCOP stars are 3, 4 or 5 (got “%(value)s”).") % {"value": _quote(value)}
            )
        return int(text)


class DateWidget(_Widget):
    """ISO (2025-07-01) or Vietnamese day-first (01/07/2025); XLSX date cells as they are."""

    def parse(self, value, text):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(
            _("“%(value)s” is not a date: write 2025-07-01 or 01/07/2025.")
            % {"value": _quote(value)}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class CertificationsWidget(_Widget):
    """Comma-separated codes: "vietgap, organic"."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or []

    def parse(self, value, text):
        codes = [c.strip().lower() for c in text.replace(";", ",").split(",") if c.strip()]
        found = {c.code: c for c in Certification.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise ValueError(
                _("Unknown certification “%(value)s”.") % {"value": ", ".join(unknown)[:80]}
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ",".join(c.code for c in value.all())


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
        headers = [fold(str(h or "")).replace(" ", "_") for h in dataset.headers or []]
        dataset.headers = headers
        missing = [column for column in REQUIRED_COLUMNS if column not in headers]
        if missing:
            raise ValueError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        # Blank lines (common at the end of a spreadsheet) are not rows.
        for index in range(len(dataset) - 1, -1, -1):
            if all(_text(cell) == "" for cell in dataset[index]):
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
            if column not in errors and not _text(row.get(column)):
                errors[column] = [_("A value is required.")]
        if errors:
            raise ValidationError(errors)

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

    def get_queryset(self):
        return Listing.objects.select_related(
            "organization", "category", "product", "unit", "province"
        ).prefetch_related("certifications")

    def dehydrate_created_at(self, listing: Listing) -> str:
        return listing.created_at.isoformat(timespec="seconds") if listing.created_at else ""

    def dehydrate_hidden(self, listing: Listing) -> str:
        return "yes" if listing.hidden else "no"
