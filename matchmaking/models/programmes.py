"""Cooperation programmes between provinces and the figures reported at their conferences.

The conferences themselves (``ConnectionEvent``) are in ``events.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CooperationProgramme(models.Model):
    """An agreement between provinces (e.g. HCMC with the Central Highlands)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    name_en = models.CharField(_("English name"), max_length=250)
    provinces = models.ManyToManyField(
        "catalog.Province", related_name="programmes", verbose_name=_("member provinces")
    )
    period_start = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = models.CharField(
        _("precision of the signing date"),
        max_length=5,
        choices=[("day", _("day")), ("month", _("month")), ("year", _("year"))],
        default="day",
    )
    description = models.TextField(_("description"), blank=True)
    source = models.ForeignKey(
        "catalog.Source",
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("source"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("cooperation programme")
        verbose_name_plural = _("cooperation programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        if self.period_start:
            return f"{self.period_start}–"
        return ""


class ReportedFigure(models.Model):
    """A number reported at an event, e.g. the five cities' share of national exports."""

    event = models.ForeignKey(
        "matchmaking.ConnectionEvent",
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("event"),
    )
    key = models.SlugField(_("key"), max_length=80)
    label = models.CharField(_("label"), max_length=300)
    label_en = models.CharField(_("English label"), max_length=300)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=30)
    period = models.CharField(_("period"), max_length=60, blank=True)
    source = models.ForeignKey(
        "catalog.Source",
        on_delete=models.PROTECT,
        related_name="figures",
        verbose_name=_("source"),
    )

    class Meta:
        ordering = ["event", "key"]
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="figure_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}"
