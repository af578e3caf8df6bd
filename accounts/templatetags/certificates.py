"""``{% load certificates %}{% verified_certificates organization %}``: the public list of an
organization's verified certificates (``accounts/_certificates.html``), for any page that shows
an organization (its profile, a listing's supplier box)."""

from django import template

from accounts.certificates.selectors import can_see_document, public_certificates

register = template.Library()


@register.inclusion_tag("accounts/_certificates.html", takes_context=True)
def verified_certificates(context, organization):
    request = context.get("request")
    user = getattr(request, "user", None)
    certificates = list(public_certificates(organization))
    for certificate in certificates:
        certificate.document_visible = can_see_document(user, certificate)
    return {"certificates": certificates, "organization": organization}
