"""Reads about certificates: who sees what, and which ones stand today."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Certificate, Organization
from accounts.selectors import is_member, is_officer


def today() -> datetime.date:
    return timezone.localdate()


def can_manage(user, organization: Organization) -> bool:
    """Members of the organization submit and replace its certificates."""
    return is_member(user, organization)


def sees_everything(user, organization: Organization) -> bool:
    """Members and officers see every certificate of an organization, documents included."""
    return is_officer(user) or is_member(user, organization)


def public_certificates(organization: Organization | None = None) -> QuerySet:
    """Verified certificates still within their dates: what the public profile shows."""
    queryset = Certificate.objects.verified().filter(valid_until__gte=today())
    if organization is not None:
        queryset = queryset.filter(organization=organization)
    return queryset.select_related("scheme").prefetch_related("categories")


def visible_certificates(user, organization: Organization) -> QuerySet:
    """All of them for members and officers; the public ones for everybody else."""
    if sees_everything(user, organization):
        return (
            Certificate.objects.filter(organization=organization)
            .select_related("scheme")
            .prefetch_related("categories")
        )
    return public_certificates(organization)


def can_see_document(user, certificate: Certificate) -> bool:
    """The document is the owner's: members and officers, or anyone once verified and the
    owner chose to show it."""
    if sees_everything(user, certificate.organization):
        return True
    return (
        certificate.document_public
        and certificate.state == Certificate.State.VERIFIED
        and certificate.valid_until >= today()
    )
