"""Forms of the account pages. They collect and check input; services write."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Organization, User
from catalog.models import Province
from core.forms import CleanTextFormMixin


class ProvinceInput(forms.TextInput):
    """A text box that suggests provinces as one types, legacy names included.

    htmx asks ``accounts:lookup-provinces`` (catalog.views.province_suggestions) and puts
    the answer in the box below the input; a click on a suggestion fills the input
    (core/static/js/site.js). Without JavaScript it is a plain text box resolved on submit.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        input_id = attrs.get("id") or f"id_{name}"
        box_id = f"{input_id}-suggestions"
        attrs.update(
            {
                "autocomplete": "off",
                "hx-get": reverse("accounts:lookup-provinces"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": f"#{box_id}",
                "hx-vals": json.dumps({"field": name}),
                "aria-controls": box_id,
                "aria-autocomplete": "list",
            }
        )
        html = super().render(name, value, attrs, renderer)
        return html + format_html(
            '<div id="{}" class="suggestions" data-for="{}" aria-live="polite"></div>',
            box_id,
            input_id,
        )


class ProvinceField(forms.CharField):
    """A province typed by name, old name, English name or code; cleans to a Province."""

    widget = ProvinceInput
    default_error_messages = {
        "unknown": _("No province is called “%(value)s”. Pick one of the suggestions."),
    }

    def prepare_value(self, value):
        if isinstance(value, Province):
            return value.name
        if isinstance(value, int):
            province = Province.objects.filter(pk=value).first()
            return province.name if province else ""
        return value

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        province = Province.objects.resolve(text)
        if province is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return province


class SignUpForm(CleanTextFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only: no spaces."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_(
            "At least 8 characters; not only digits, not a common password, not like your "
            "username or email."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User.Language.choices,
        widget=forms.RadioSelect,
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."), code="taken")
        return username

    def clean(self):
        """The account's rules (the service's) together with the form's own, so that one
        submit says everything that is wrong."""
        cleaned = super().clean()
        one, two = cleaned.get("password1"), cleaned.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        typed_username = self.data.get(self.add_prefix("username"), "")
        try:
            services.user_check_register(
                username=cleaned.get("username") or typed_username,
                email=cleaned.get("email") or "",
                password=one or "",
                preferred_language=cleaned.get("preferred_language") or "vi",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                name = {"password": "password1"}.get(field, field)
                if name in self.fields and name not in self.errors:
                    self.add_error(name, errors)
                elif name not in self.fields:
                    self.add_error(None, errors)
        return cleaned


class OrganizationForm(CleanTextFormMixin, forms.ModelForm):
    province = ProvinceField(
        label=_("Province"),
        help_text=_("Current or pre-2025 name, with or without accents (e.g. Kon Tum)."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "province",
            "address",
            "tax_code",
            "contact_person",
            "phone",
            "email",
            "website",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "tax_code": _("10 digits, or 13 for a branch (0301234567-001)."),
        }

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address; the change applies once you open it."),
    )
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that I can no longer log in, and that this cannot be undone."),
    )
