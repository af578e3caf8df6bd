"""The ground floor's tables: keys that make a creating request safe to send twice, and the
marks that tell a kept read it is still current."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A creating request seen once: the API's ``Idempotency-Key`` header, or a page form's
    one-time token. The first request reserves the row (``status_code`` empty while it runs);
    a repeat gets the stored answer. Rows expire (``IDEMPOTENCY_TTL_SECONDS``)."""

    scope = models.CharField(_("scope"), max_length=200)
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="core_idempotency_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


class TableMark(models.Model):
    """The last write a database session (``backend``, its process id) made to a table:
    ``mark`` is a fresh value of a sequence, never given twice (on the row of ``backend`` 0,
    the sum of the marks of sessions gone). Written only by the triggers of
    ``core.readcache.install``; read by ``core.readcache.sums`` to tell whether a kept read is
    still what the rows say."""

    backend = models.IntegerField(_("database session"))
    tablename = models.CharField(_("table"), max_length=63)
    mark = models.DecimalField(_("change mark"), max_digits=40, decimal_places=0)

    class Meta:
        verbose_name = _("table change mark")
        verbose_name_plural = _("table change marks")
        constraints = [
            models.UniqueConstraint(fields=["backend", "tablename"], name="core_tablemark_once")
        ]

    def __str__(self) -> str:
        return f"{self.backend} {self.tablename}: {self.mark}"
