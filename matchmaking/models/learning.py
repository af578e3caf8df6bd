"""What an organization's declines taught the matching, and when an officer last reset it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclineLearning(models.Model):
    """One row per organization that declined a proposal with a reason.

    The lesson itself is not stored: it is counted from the decline transitions after
    ``reset_at`` (``matchmaking.services.learning``), so it can never drift from the
    declines it came from, and a reset is one timestamp (the declines stay for the record).
    """

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="decline_learning",
        verbose_name=_("organization"),
    )
    reset_at = models.DateTimeField(_("reset at"), null=True, blank=True)
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reset by"),
    )
    last_decline_at = models.DateTimeField(_("last decline at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning from declines")
        verbose_name_plural = _("learning from declines")
        ordering = ["-last_decline_at"]

    def __str__(self) -> str:
        return str(self.organization)
