"""What happens after the handshake: a deal for every connected match, its contract,
its deliveries, and the audit of every change (see ``matchmaking.services.deals``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchmaking.models.matches import ActedBy, Match


class DealQuerySet(models.QuerySet):
    def visible_to(self, user) -> DealQuerySet:
        """Officers see every deal; members see the deals of their organizations' matches."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_officer", False):
            return self
        return self.filter(match__in=Match.objects.visible_to(user).values("pk"))


class Deal(models.Model):
    class Stage(models.TextChoices):
        CONNECTED = "connected", _("Connected")
        NEGOTIATING = "negotiating", _("Negotiating")
        CONTRACT_SIGNED = "contract_signed", _("Contract signed")
        DELIVERING = "delivering", _("Delivering")
        COMPLETED = "completed", _("Completed")
        LOST = "lost", _("Lost")

    class LostReason(models.TextChoices):
        SCALE = "scale", _("Producer too small for the order")
        REQUIREMENTS = "requirements", _("Requirements not met")
        PRICE = "price", _("Price or discounts")
        PAYMENT_TERMS = "payment_terms", _("Payment terms")
        LOGISTICS = "logistics", _("Logistics")
        QUALITY = "quality", _("Quality")
        OTHER = "other", _("Other")

    FINAL_STAGES = (Stage.COMPLETED, Stage.LOST)

    match = models.OneToOneField(
        Match, on_delete=models.CASCADE, related_name="deal", verbose_name=_("match")
    )
    event = models.ForeignKey(
        "matchmaking.ConnectionEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("connection event"),
    )
    # The connection-event meeting whose outcome (next step: samples, quote or contract)
    # opened the deal or first named it; see ``matchmaking.services.event_deals``.
    meeting = models.ForeignKey(
        "matchmaking.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deals",
        verbose_name=_("meeting"),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.CONNECTED, db_index=True
    )
    contract_quantity = models.DecimalField(
        _("contract quantity"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    contract_unit = models.ForeignKey(
        "catalog.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract unit"),
    )
    contract_value_vnd = models.BigIntegerField(_("contract value (VND)"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # When the contract says the goods are due; a signed contract with no delivery by then is
    # flagged to officers (``matchmaking.services.nudges``).
    deliver_by = models.DateField(_("deliver by"), null=True, blank=True, db_index=True)
    # In the contract's unit: the sum of the deliveries, each converted.
    delivered_quantity = models.DecimalField(
        _("delivered quantity"), max_digits=16, decimal_places=3, default=0
    )
    delivered_value_vnd = models.BigIntegerField(_("delivered value (VND)"), default=0)
    lost_reason = models.CharField(
        _("lost reason"), max_length=15, choices=LostReason.choices, blank=True
    )
    lost_note = models.TextField(_("lost note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # The nudges (written with ``QuerySet.update``, so they never count as a change of the
    # deal): the last "no change for 30 days" reminder, and when officers were told the
    # contract passed its delivery date without a delivery.
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(
        _("flagged overdue at"), null=True, blank=True, db_index=True
    )

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_quantity__isnull=True) | Q(contract_quantity__gt=0),
                name="deal_contract_quantity_positive",
            ),
            models.CheckConstraint(
                condition=Q(delivered_quantity__gte=0), name="deal_delivered_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.get_stage_display()}"

    @property
    def is_final(self) -> bool:
        return self.stage in self.FINAL_STAGES

    def is_overdue(self, today=None) -> bool:
        """Signed, due by a date that has passed, and nothing delivered yet."""
        from django.utils import timezone

        today = today or timezone.localdate()
        return (
            self.stage == self.Stage.CONTRACT_SIGNED
            and self.deliver_by is not None
            and self.deliver_by < today
        )


class Delivery(models.Model):
    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("deal")
    )
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.ForeignKey(
        "catalog.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity_in_contract_unit = models.DecimalField(
        _("quantity in the contract's unit"), max_digits=16, decimal_places=3, editable=False
    )
    value_vnd = models.BigIntegerField(_("value (VND)"))
    delivered_on = models.DateField(_("delivered on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="delivery_quantity_positive"),
            models.CheckConstraint(
                condition=Q(value_vnd__gte=0), name="delivery_value_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} {self.unit_id} ({self.delivered_on})"


class DealEvent(ActedBy):
    """One change of a deal: who, when, from → to, for which side, officer or not."""

    deal = models.ForeignKey(
        Deal, on_delete=models.CASCADE, related_name="events", verbose_name=_("deal")
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Deal.Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Deal.Stage.choices)
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("deal event")
        verbose_name_plural = _("deal history")

    def __str__(self) -> str:
        # In the reader's language ("Đang đàm phán → Đã ký hợp đồng"), never the stored codes.
        before = self.get_from_stage_display() if self.from_stage else "∅"
        return f"{before} → {self.get_to_stage_display()}"
