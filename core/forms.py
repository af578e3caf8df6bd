"""Form helpers every app's pages use."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


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
