"""Users, the organizations they act for, and who belongs to which."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.validators import validate_phone, validate_tax_code
from catalog.models import Province
from catalog.text import search_blob

OFFICERS_GROUP = "Trade officers"


class User(AbstractUser):
    class Language(models.TextChoices):
        VI = "vi", "Tiếng Việt"
        EN = "en", "English"

    email = models.EmailField(_("email address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.VI
    )
    email_notifications = models.BooleanField(_("email notifications"), default=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def is_officer(self) -> bool:
        """Staff in the "Trade officers" group (or superusers) see and steer everything."""
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        if not self.is_staff:
            return False
        cached = getattr(self, "_is_officer", None)
        if cached is None:
            cached = self.groups.filter(name=OFFICERS_GROUP).exists()
            self._is_officer = cached
        return cached


class OrganizationQuerySet(models.QuerySet):
    def for_user(self, user) -> OrganizationQuerySet:
        """The user's organizations; ``accounts.selectors.member_organizations`` reads it."""
        from accounts.selectors import member_organization_ids

        return self.filter(pk__in=member_organization_ids(user))

    def search(self, q: str | None) -> OrganizationQuerySet:
        from catalog.text import fold

        folded = fold(q)
        return self.filter(search_text__icontains=folded) if folded else self


class Organization(models.Model):
    class Kind(models.TextChoices):
        PRODUCER = "producer", _("Producer / farm")
        COOPERATIVE = "cooperative", _("Cooperative")
        PROCESSOR = "processor", _("Processor")
        DISTRIBUTOR = "distributor", _("Distributor")
        RETAILER = "retailer", _("Retail chain")
        EXPORTER = "exporter", _("Exporter")
        AGENCY = "agency", _("Trade-promotion agency")

    SUPPLIER_KINDS = (Kind.PRODUCER, Kind.COOPERATIVE, Kind.PROCESSOR)
    BUYER_KINDS = (Kind.DISTRIBUTOR, Kind.RETAILER, Kind.EXPORTER, Kind.PROCESSOR)

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("province"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    tax_code = models.CharField(
        _("tax code"), max_length=14, blank=True, validators=[validate_tax_code]
    )
    contact_person = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    verified = models.BooleanField(_("verified"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    source = models.ForeignKey(
        "catalog.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("source"),
        help_text=_("For organizations seeded from public sources."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(editable=False, blank=True)

    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(fields=["name", "province"], name="organization_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_blob(self.name, self.contact_person, self.address)
        super().save(*args, **kwargs)

    def has_member(self, user) -> bool:
        if not user.is_authenticated:
            return False
        return self.memberships.filter(user=user).exists()


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def certificate_document_path(instance, filename: str) -> str:
    """A random name under ``certificates/``: the uploaded name says nothing, guesses nothing."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:6]
    return f"certificates/{instance.organization_id}/{uuid.uuid4().hex}{suffix}"


class CertificateQuerySet(models.QuerySet):
    def verified(self) -> CertificateQuerySet:
        return self.filter(state=Certificate.State.VERIFIED)

    def valid_on(self, day) -> CertificateQuerySet:
        """Verified or awaiting review, and within its dates on ``day``."""
        return self.filter(
            state__in=(Certificate.State.SUBMITTED, Certificate.State.VERIFIED),
            issued_on__lte=day,
            valid_until__gte=day,
        )


class Certificate(models.Model):
    """Proof behind a certification code: who issued it, its number, until when, a document.

    The state is an officer's word (``accounts.certificates.services``): ``submitted`` until an
    officer verifies or rejects it; ``expired`` once ``valid_until`` has passed.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("organization"),
    )
    scheme = models.ForeignKey(
        "catalog.Certification",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("scheme"),
    )
    number = models.CharField(_("certificate number"), max_length=80)
    issuer = models.CharField(_("issuing body"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    categories = models.ManyToManyField(
        "catalog.ProductCategory",
        blank=True,
        related_name="certificates",
        verbose_name=_("categories covered"),
        help_text=_("Leave empty when the certificate covers all the organization's products."),
    )
    document = models.FileField(_("document"), upload_to=certificate_document_path, max_length=200)
    document_public = models.BooleanField(
        _("show the document publicly"),
        default=False,
        help_text=_("Anyone may open the document from the public profile once it is verified."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True, max_length=1000)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("expiry reminder sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "scheme__order", "-valid_until"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "scheme", "number"], name="certificate_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.number}"

    def clean(self):
        super().clean()
        if self.issued_on and self.valid_until and self.valid_until < self.issued_on:
            raise ValidationError(
                {"valid_until": _("The validity cannot end before the certificate was issued.")}
            )
