"""When the outcome figures may have changed: one row per database session and concern (a part
of what the figures read), stamped by triggers (PostgreSQL; see ``matchmaking.outcome_version``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeChange(models.Model):
    """The last change a database session (``backend``, its process id) made to what a
    ``concern`` covers: ``mark`` is a fresh value of a sequence, never given twice (on the row of
    ``backend`` 0, the sum of the marks of sessions gone). Written only by the triggers installed
    in migration ``0023``; read by ``outcome_version.marks``."""

    backend = models.IntegerField(_("database session"))
    concern = models.CharField(_("concern"), max_length=40)
    mark = models.DecimalField(_("change mark"), max_digits=40, decimal_places=0)

    class Meta:
        verbose_name = _("outcome change")
        verbose_name_plural = _("outcome changes")
        constraints = [
            models.UniqueConstraint(fields=["backend", "concern"], name="outcome_change_once")
        ]

    def __str__(self) -> str:
        return f"{self.backend} {self.concern}: {self.mark}"
