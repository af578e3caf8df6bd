"""Organization pages for certificates: list with states, upload, replace, open the document.

Members manage their organization's certificates here; officers review them in the admin.
The rules are the services' (``accounts.certificates.services``), as in the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from accounts.certificates import selectors, services
from accounts.certificates.documents import document_response
from accounts.certificates.forms import CertificateForm
from accounts.models import Certificate, Organization
from core.forms import apply_service_errors


@login_required
def certificate_list(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    services.check_manage(organization=organization, by_user=request.user)
    certificates = selectors.visible_certificates(request.user, organization).order_by(
        "scheme__order", "-valid_until", "pk"
    )
    return render(
        request,
        "accounts/certificate_list.html",
        {"organization": organization, "certificates": certificates},
    )


def _form_page(request, form, save, *, done: str, organization, **context):
    """The certificate form: a valid POST is ``save(fields)``; what the service refuses goes
    back on the form's fields, else the organization's certificates with ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("accounts:certificates", pk=organization.pk)
    return render(
        request,
        "accounts/certificate_form.html",
        {"form": form, "organization": organization, **context},
    )


@login_required
def certificate_create(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    services.check_manage(organization=organization, by_user=request.user)
    form = CertificateForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form,
        lambda fields: services.certificate_submit(
            organization=organization, by_user=request.user, **fields
        ),
        done=_("Certificate sent; an officer will check it."),
        organization=organization,
        creating=True,
    )


@login_required
def certificate_edit(request, pk: int):
    certificate = get_object_or_404(Certificate.objects.select_related("organization"), pk=pk)
    organization = certificate.organization
    services.check_manage(organization=organization, by_user=request.user)
    initial = {
        "scheme": certificate.scheme.code,
        "number": certificate.number,
        "issuer": certificate.issuer,
        "issued_on": certificate.issued_on,
        "valid_until": certificate.valid_until,
        "categories": [c.slug for c in certificate.categories.all()],
        "document_public": certificate.document_public,
    }
    form = CertificateForm(
        request.POST or None, request.FILES or None, initial=initial, replacing=True
    )

    def replace(fields):
        services.certificate_replace(
            certificate=certificate,
            by_user=request.user,
            document=fields.pop("document") or None,
            categories=list(fields.pop("categories")),
            **fields,
        )

    return _form_page(
        request,
        form,
        replace,
        done=_("Certificate saved."),
        organization=organization,
        certificate=certificate,
    )


@xframe_options_sameorigin
def certificate_document(request, pk: int):
    """The document, for whoever the selectors allow (members, officers; the public when the
    owner chose so for a verified certificate); 404 for everybody else. The admin's review
    form shows it in a frame of the same site (everything else stays unframeable)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("organization", "scheme"), pk=pk
    )
    if not selectors.can_see_document(request.user, certificate):
        raise Http404
    return document_response(certificate)
