"""Form helpers every app's pages use."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.cleaning import multi_line, single_line

# Model forms (the admin's) read an address typed without a scheme as https, as the site's own
# forms do and as Django 6 will (no RemovedInDjango60Warning): ``formfield_overrides``.
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def apply_service_errors(form: forms.Form, exc: ValidationError, aliases=None) -> None:
    """Put a service's ValidationError next to the matching form fields.

    Keys the form has no field for (``__all__``, derived fields) become form-wide errors.
    """
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for key, errors in exc.message_dict.items():
        field = aliases.get(key, key)
        form.add_error(field if field in form.fields else None, errors)


class CleanTextFormMixin:
    """Drops control characters from every text field of the form before its checks run.

    A text area keeps its line breaks; password boxes are left exactly as typed. The same
    functions clean the API's text (``core.api``) and every model's ``full_clean()``.
    """

    def _clean_fields(self):
        super()._clean_fields()
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not isinstance(field, forms.CharField) or not isinstance(value, str):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            self.cleaned_data[name] = multi_line(value) if multiline else single_line(value)


class LocalizedNumberInput(forms.TextInput):
    """A text box for numbers, shown as the page's language writes them (20.000 / 20,000).

    ``type="text"`` with ``inputmode``: a ``type="number"`` box would hand the server the
    browser's own reading of "2,5" (or nothing), whatever the page's language.
    """

    input_type = "text"

    def __init__(self, attrs=None, *, decimals: int = 3):
        self.decimals = decimals
        attrs = {
            "inputmode": "decimal" if decimals else "numeric",
            "autocomplete": "off",
            **(attrs or {}),
        }
        super().__init__(attrs)

    def format_value(self, value):
        from core.formatting import format_number

        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what was typed, shown back as it was after an error
        return format_number(value, self.decimals)


def _parse_localized(field: forms.Field, value):
    """What was typed, read as the page's language writes numbers (None when empty)."""
    from django.utils.translation import get_language

    from core.numbers import NumberFormatError, parse_number

    if value in field.empty_values:
        return None
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    try:
        return parse_number(str(value), get_language() or "vi")
    except NumberFormatError as exc:
        raise ValidationError(str(exc), code="invalid") from None


def _text_box_attrs(attrs: dict) -> dict:
    # Django adds min/max/step for type="number" boxes; a text box needs none of them.
    return {key: value for key, value in attrs.items() if key not in ("min", "max", "step")}


class LocalizedDecimalField(forms.DecimalField):
    """A decimal read as the page's language writes it: "2,5" (vi) and "2.5" (en) are 2.5,
    "95.000" (vi) and "95,000" (en) are 95000; what could be read two ways is refused."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = LocalizedNumberInput(decimals=self.decimal_places or 0)
        self.widget.attrs.update(self.widget_attrs(self.widget))

    def to_python(self, value):
        return _parse_localized(self, value)

    def widget_attrs(self, widget):
        return _text_box_attrs(super().widget_attrs(widget))


class LocalizedIntegerField(forms.IntegerField):
    """A whole number (prices in đồng) read the same way; decimals are refused."""

    default_error_messages = {"not_whole": _("Enter a whole number (no decimals).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget = LocalizedNumberInput(decimals=0)
        self.widget.attrs.update(self.widget_attrs(self.widget))

    def to_python(self, value):
        number = _parse_localized(self, value)
        if number is None:
            return None
        if number != number.to_integral_value():
            raise ValidationError(self.error_messages["not_whole"], code="not_whole")
        return int(number)

    def widget_attrs(self, widget):
        return _text_box_attrs(super().widget_attrs(widget))
