"""The certificate form of the organization pages. It collects input; the service checks it
(document by content, dates, uniqueness) and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import Certification, ProductCategory


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CertificateForm(forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("Scheme"), queryset=Certification.objects.all(), to_field_name="code"
    )
    number = forms.CharField(label=_("Certificate number"), max_length=80)
    issuer = forms.CharField(
        label=_("Issuing body"),
        max_length=200,
        help_text=_("The certification body named on the certificate, e.g. QUACERT."),
    )
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())
    categories = forms.ModelMultipleChoiceField(
        label=_("Product categories covered"),
        queryset=ProductCategory.objects.all(),
        to_field_name="slug",
        required=False,
        help_text=_("Leave empty when it covers all your products."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    document = forms.FileField(
        label=_("Document (PDF, JPEG or PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    document_public = forms.BooleanField(
        label=_("Let anyone open the document from our public profile once verified"),
        required=False,
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["document"].required = False
            self.fields["document"].help_text = _("Leave empty to keep the current document.")

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
