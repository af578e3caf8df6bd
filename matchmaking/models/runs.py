"""The chunks of a full re-match, each reporting while it runs (heartbeats).

A full run is split into chunks (one per root category family, run in parallel). Each chunk
row records when a worker took it, its last heartbeat and when it finished, so a worker killed
mid-run shows as a chunk whose heartbeat stopped; the reaper (``services/runs.py``) then sends
that chunk again, or fails the run once a chunk has stopped too often.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchRunChunk(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    run = models.ForeignKey(
        "matchmaking.MatchRun",
        on_delete=models.CASCADE,
        related_name="chunks",
        verbose_name=_("match run"),
    )
    index = models.PositiveIntegerField(_("chunk"))
    category_ids = models.JSONField(_("categories"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.TextField(_("what happened"), blank=True)

    class Meta:
        ordering = ["run", "index"]
        verbose_name = _("match run chunk")
        verbose_name_plural = _("match run chunks")
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="matchmaking_chunk_unique_index")
        ]

    def __str__(self) -> str:
        return f"#{self.run_id}/{self.index} ({self.status})"
