"""Writes that concern users and organizations, and who may make them.

The API, the pages and the admin call these: members edit their organization; officers
verify it (and register businesses in the admin) but do not rewrite a member's details.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization
from accounts.selectors import is_member, is_officer


def user_check_register(
    *, username: str, email: str, password: str, preferred_language: str = "vi"
) -> None:
    """Every rule of a new account at once (username, email, password), so that a sign-up
    form states them together on the first submit; raises one ValidationError by field."""
    _new_user(username=username, email=email, password=password, language=preferred_language)


@transaction.atomic
def user_register(*, username: str, email: str, password: str, preferred_language: str = "vi"):
    user = _new_user(username=username, email=email, password=password, language=preferred_language)
    user.set_password(password)
    user.save()
    return user


def _new_user(*, username: str, email: str, password: str, language: str):
    User = get_user_model()
    user = User(username=username, email=email, preferred_language=language)
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
    return user


# What a person may not set on an organization by editing it: verification is an officer's act.
NOT_EDITABLE = ("verified", "verified_by", "verified_at")


def check_organization_change(*, organization: Organization, by_user) -> None:
    """Members edit their organization; officers verify it but do not rewrite it."""
    if is_member(by_user, organization):
        return
    if is_officer(by_user):
        raise PermissionDenied(
            _("Officers verify an organization; only its members change its details.")
        )
    raise PermissionDenied(_("Only members of this organization may change it."))


def _forget_memberships(user) -> None:
    # ``organization_ids_of`` keeps the user's organizations on the user for a request.
    user.__dict__.pop("_organization_ids", None)


def _new_organization(fields: dict) -> Organization:
    organization = Organization(**{k: v for k, v in fields.items() if k not in NOT_EDITABLE})
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_create(*, owner, **fields) -> Organization:
    """Create an organization; the caller becomes its owner. Verification is an officer's."""
    organization = _new_organization(fields)
    Membership.objects.create(user=owner, organization=organization, role=Membership.Role.OWNER)
    _forget_memberships(owner)
    return organization


@transaction.atomic
def organization_register(*, by_user, **fields) -> Organization:
    """An officer registers a business without becoming its member (the admin's add form):
    its listings can then be imported, its members added."""
    if not is_officer(by_user):
        raise PermissionDenied(_("Only trade-promotion officers may register organizations."))
    return _new_organization(fields)


@transaction.atomic
def organization_update(*, organization: Organization, by_user, **fields) -> Organization:
    """Change an organization's details: its members only (officers verify, see below)."""
    check_organization_change(organization=organization, by_user=by_user)
    for name in NOT_EDITABLE:
        fields.pop(name, None)
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def organization_verify(*, organization: Organization, by_user, verified: bool = True):
    """An officer verifies a business (or withdraws the verification)."""
    if not is_officer(by_user):
        raise PermissionDenied(_("Only trade-promotion officers may verify organizations."))
    organization.verified = verified
    organization.verified_by = by_user if verified else None
    organization.verified_at = timezone.now() if verified else None
    organization.save(update_fields=["verified", "verified_by", "verified_at", "search_text"])
    return organization
