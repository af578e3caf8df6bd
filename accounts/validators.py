import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_TAX_CODE = re.compile(r"^\d{10}(-?\d{3})?$")
_PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")


def validate_tax_code(value: str) -> None:
    """Vietnamese enterprise tax codes: 10 digits, or 13 for a branch (``0301234567-001``)."""
    if not _TAX_CODE.match(value or ""):
        raise ValidationError(
            _("A tax code is 10 digits, or 13 digits for a branch (e.g. 0301234567-001)."),
            code="invalid_tax_code",
        )


def validate_phone(value: str) -> None:
    digits = sum(ch.isdigit() for ch in value or "")
    if not _PHONE.match(value or "") or not 8 <= digits <= 15:
        raise ValidationError(
            _("Enter a phone number of 8 to 15 digits, e.g. 028 3823 6767 or +84 28 3823 6767."),
            code="invalid_phone",
        )
