"""Reading and writing the cells of a listing spreadsheet: one widget per kind of value, each
naming the value it could not read ("Unknown province “Kon Tumm”")."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _
from import_export import widgets

from accounts.models import Organization
from catalog.models import Certification, Product, ProductCategory, Province, Unit
from catalog.text import fold
from core.spreadsheets import strip_neutraliser

THOUSANDS = re.compile(r"^\d{1,3}([.,]\d{3})+$")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def cell_text(value) -> str:
    """A cell as stripped text; an exported, neutralised formula loses its apostrophe."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return strip_neutraliser(str(value).strip())


def _quote(value) -> str:
    return cell_text(value)[:80]


class _Widget(widgets.Widget):
    """A widget that checks the value is present when ``required``."""

    def __init__(self, *, required: bool = False):
        super().__init__(coerce_to_string=False)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
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
