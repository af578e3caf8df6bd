"""A person's own account: change the email address (confirmed by a signed link sent to the
new address) and delete the account while keeping the organizations' history.

Password reset is Django's own views (``accounts/urls.py``), with our templates.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Membership

EMAIL_SALT = "accounts.email-change"
EMAIL_LINK_DAYS = 3


def _check_password(user, password: str) -> None:
    if not user.check_password(password or ""):
        raise ValidationError({"password": [_("This is not your current password.")]})


def _email_taken(email: str, *, but) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exclude(pk=but.pk).exists()


def email_change_request(*, user, new_email: str, password: str) -> str:
    """Check the password and send a confirmation link to ``new_email``; nothing changes until
    it is opened. Returns the link's token. The token names the current address too, so a link
    no longer works once the address changed another way."""
    _check_password(user, password)
    new_email = (new_email or "").strip()
    if new_email.lower() == (user.email or "").lower():
        raise ValidationError({"email": [_("This is already your email address.")]})
    if _email_taken(new_email, but=user):
        raise ValidationError({"email": [_("A user with this email already exists.")]})
    token = signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_SALT)
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:email-confirm", args=[token])
    with translation.override(user.preferred_language or "vi"):
        body = render_to_string(
            "accounts/email/email_change.txt", {"user": user, "link": link, "email": new_email}
        )
        subject = _("Confirm your new email address")
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [new_email])
    return token


@transaction.atomic
def email_change_confirm(*, token: str, user=None):
    """Apply the change a link asks for; raises ValidationError for a bad, expired or used link
    (or PermissionDenied when someone else is signed in)."""
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_LINK_DAYS * 86400)
    except signing.SignatureExpired:
        raise ValidationError(_("This link has expired: ask for a new one.")) from None
    except signing.BadSignature:
        raise ValidationError(_("This link is not valid.")) from None
    account = get_user_model().objects.select_for_update().filter(pk=data.get("u")).first()
    if account is None or not account.is_active or account.email != data.get("old"):
        raise ValidationError(_("This link has already been used or is no longer valid."))
    if user is not None and user.is_authenticated and user.pk != account.pk:
        raise PermissionDenied(_("This link belongs to another account: log out first."))
    if _email_taken(data["new"], but=account):
        raise ValidationError(_("A user with this email already exists."))
    account.email = data["new"]
    account.save(update_fields=["email"])
    return account


@transaction.atomic
def account_delete(*, user, password: str) -> None:
    """Close the account for good: the person can no longer log in and their name and address
    are removed; their memberships end and their tokens go. The organizations, listings,
    matches and audit trails stay (they name the anonymised account)."""
    _check_password(user, password)
    from rest_framework.authtoken.models import Token

    Membership.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_notifications = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
