"""Writes that concern users and organizations."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization


@transaction.atomic
def user_register(*, username: str, email: str, password: str, preferred_language: str = "vi"):
    User = get_user_model()
    user = User(username=username, email=email, preferred_language=preferred_language)
    errors = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if email and User.objects.filter(email__iexact=email).exists():
        errors.setdefault("email", []).append(_("A user with this email already exists."))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def organization_create(*, owner, **fields) -> Organization:
    """Create an organization; the caller becomes its owner. Verification is an officer's."""
    fields.pop("verified", None)
    organization = Organization(**fields)
    organization.full_clean()
    organization.save()
    Membership.objects.create(user=owner, organization=organization, role=Membership.Role.OWNER)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_verify(*, organization: Organization, by_user, verified: bool = True):
    organization.verified = verified
    organization.verified_by = by_user if verified else None
    organization.verified_at = timezone.now() if verified else None
    organization.save(update_fields=["verified", "verified_by", "verified_at", "search_text"])
    return organization
