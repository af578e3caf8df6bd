"""When the outcome figures may have changed: one row per database session that wrote to a
table the figures count, stamped by a trigger (PostgreSQL; see ``matchmaking.outcome_version``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeChange(models.Model):
    """The last change a database session (``backend``, its process id) made to a counted
    table: ``mark`` is a fresh value of a sequence, never given twice. Written only by the
    trigger installed in migration ``0022``; read by ``outcome_version.current``."""

    backend = models.IntegerField(_("database session"), primary_key=True)
    mark = models.BigIntegerField(_("change mark"))

    class Meta:
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")

    def __str__(self) -> str:
        return f"{self.backend}: {self.mark}"
