"""Every write to a certificate, and who may make it. API, pages and admin call these.

Members of an organization submit and replace its certificates; officers verify or reject them
(a rejection says why); the expiry job marks the ones past their date. A replaced certificate
goes back to ``submitted``: an officer checks it again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.certificates.documents import check_document
from accounts.certificates.selectors import can_manage, today
from accounts.certificates.signals import certificate_changed
from accounts.models import Certificate, Organization
from accounts.selectors import is_officer
from core.errors import DomainError

State = Certificate.State
# The fields a member writes; changing any of them (but ``document_public``) asks for a new
# review.
FIELDS = ("scheme", "number", "issuer", "issued_on", "valid_until", "document_public")
REVIEW_FREE = {"document_public"}


def check_manage(*, organization: Organization, by_user) -> None:
    if can_manage(by_user, organization):
        return
    if is_officer(by_user):
        raise PermissionDenied(
            _("Officers verify certificates; only the organization's members submit them.")
        )
    raise PermissionDenied(_("Only members of this organization may manage its certificates."))


def check_review(*, by_user) -> None:
    if not is_officer(by_user):
        raise PermissionDenied(_("Only trade-promotion officers may verify certificates."))


def _announce(certificate: Certificate, previous_state: str) -> None:
    transaction.on_commit(
        lambda: certificate_changed.send(
            sender=Certificate, certificate=certificate, previous_state=previous_state
        )
    )


def _validate(certificate: Certificate, document) -> str | None:
    """All the messages at once: the document's and the fields'. Returns the document's
    extension by content."""
    errors: dict[str, list] = {}
    extension = None
    if document is not None:
        try:
            extension = check_document(document)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    try:
        certificate.full_clean(exclude=["document", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return extension


def _store(certificate: Certificate, document, extension: str, categories) -> None:
    """Write the file through the storage API, then the row; a failed row takes its file."""
    certificate.document.save(f"document{extension}", document, save=False)
    try:
        certificate.save()
        if categories is not None:
            certificate.categories.set(categories)
    except Exception:
        certificate.document.delete(save=False)
        raise


@transaction.atomic
def certificate_submit(
    *,
    organization: Organization,
    by_user,
    scheme,
    number: str,
    issuer: str,
    issued_on: datetime.date,
    valid_until: datetime.date,
    document,
    categories=(),
    document_public: bool = False,
) -> Certificate:
    """A member submits a certificate of the organization; an officer reviews it."""
    check_manage(organization=organization, by_user=by_user)
    if document is None:
        raise ValidationError({"document": _("Attach the certificate (PDF, JPEG or PNG).")})
    certificate = Certificate(
        organization=organization,
        scheme=scheme,
        number=(number or "").strip(),
        issuer=(issuer or "").strip(),
        issued_on=issued_on,
        valid_until=valid_until,
        document_public=document_public,
        submitted_by=by_user,
    )
    extension = _validate(certificate, document)
    _store(certificate, document, extension, list(categories or ()))
    return certificate


@transaction.atomic
def certificate_replace(
    *, certificate: Certificate, by_user, document=None, categories=None, **fields
) -> Certificate:
    """A member corrects or renews a certificate (new dates, a new document).

    Anything but the document's visibility goes back to an officer: the state returns to
    ``submitted`` and the old review (and reason) is cleared.
    """
    check_manage(organization=certificate.organization, by_user=by_user)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a certificate field: {sorted(unknown)}")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    previous_state = certificate.state
    old_categories = set(certificate.categories.values_list("pk", flat=True))
    changed = {name for name, value in fields.items() if getattr(certificate, name) != value}
    for name in changed:
        setattr(certificate, name, fields[name])
    if isinstance(fields.get("number"), str):
        certificate.number = fields["number"].strip()
    if isinstance(fields.get("issuer"), str):
        certificate.issuer = fields["issuer"].strip()
    if categories is not None and {c.pk for c in categories} != old_categories:
        changed.add("categories")
    if document is not None:
        changed.add("document")
    if changed - REVIEW_FREE:
        certificate.state = State.SUBMITTED
        certificate.reason = ""
        certificate.reviewed_by = None
        certificate.reviewed_at = None
        certificate.reminded_at = None
        certificate.submitted_by = by_user
    extension = _validate(certificate, document)
    old_name = certificate.document.name
    if document is not None:
        _store(certificate, document, extension, categories)
        storage = certificate.document.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    else:
        certificate.save()
        if categories is not None:
            certificate.categories.set(categories)
    if certificate.state != previous_state:
        _announce(certificate, previous_state)
    return certificate


def _review(certificate: Certificate, by_user, *, state: str, reason: str) -> Certificate:
    check_review(by_user=by_user)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    previous_state = certificate.state
    allowed = {
        State.VERIFIED: (State.SUBMITTED, State.REJECTED),
        State.REJECTED: (State.SUBMITTED, State.VERIFIED),
    }[state]
    if previous_state not in allowed:
        message = (
            _("A certificate in state “%(state)s” cannot be verified.")
            if state == State.VERIFIED
            else _("A certificate in state “%(state)s” cannot be rejected.")
        )
        raise DomainError(
            message % {"state": certificate.get_state_display()},
            code="illegal_transition",
        )
    if state == State.VERIFIED and certificate.valid_until < today():
        raise DomainError(
            _("This certificate's validity has ended; it cannot be verified."),
            code="certificate_expired",
        )
    certificate.state = state
    certificate.reason = reason
    certificate.reviewed_by = by_user
    certificate.reviewed_at = timezone.now()
    certificate.save(update_fields=["state", "reason", "reviewed_by", "reviewed_at", "updated_at"])
    _announce(certificate, previous_state)
    return certificate


@transaction.atomic
def certificate_verify(*, certificate: Certificate, by_user) -> Certificate:
    """An officer has checked the document against the issuer: it counts as verified."""
    return _review(certificate, by_user, state=State.VERIFIED, reason="")


@transaction.atomic
def certificate_reject(*, certificate: Certificate, by_user, reason: str) -> Certificate:
    """An officer refuses a certificate, saying why (the owner reads the reason)."""
    reason = (reason or "").strip()
    if not reason:
        check_review(by_user=by_user)
        raise ValidationError({"reason": _("Say why the certificate is rejected.")})
    return _review(certificate, by_user, state=State.REJECTED, reason=reason)


def certificates_expire(
    *, day: datetime.date | None = None, then: Callable[[Certificate], object] | None = None
) -> list[Certificate]:
    """Mark the certificates whose validity ended before ``day`` as expired.

    Claims each row with a conditional update, so two runs at once expire it once; ``then``
    (matching's withdrawal of what relied on it) runs in the same transaction. Returns the
    certificates this run expired.
    """
    day = day or today()
    expired = []
    candidates = Certificate.objects.filter(
        state__in=(State.SUBMITTED, State.VERIFIED), valid_until__lt=day
    ).select_related("organization", "scheme")
    for certificate in candidates:
        previous_state = certificate.state
        with transaction.atomic():
            claimed = Certificate.objects.filter(pk=certificate.pk, state=previous_state).update(
                state=State.EXPIRED, updated_at=timezone.now()
            )
            if not claimed:
                continue
            certificate.state = State.EXPIRED
            # ``update()`` bypasses simple-history: record the change as a save would.
            certificate.save(update_fields=["state"])
            if then is not None:
                then(certificate)
            _announce(certificate, previous_state)
        certificate.previous_state = previous_state
        expired.append(certificate)
    return expired
