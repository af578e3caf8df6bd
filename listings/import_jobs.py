"""Large imports run by a worker, with progress the admin page polls (issue 16, finding 6).

A file above ``IMPORT_SYNC_ROWS`` rows is not previewed in the request (4,000 rows took the
probe's gunicorn worker past its 30 s timeout): the admin stores it as an :class:`ImportJob`
and enqueues :func:`run_job`. The job checks every row (a dry run of the same resource, so the
same rules and messages), then saves them all in one transaction; matching runs after commit.

Progress is written to the cache, not the job row: the dry run and the save each run inside
one transaction that the page cannot see into. Without Redis the page shows the phase only.
"""

from __future__ import annotations

import logging

import tablib
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.tasks import enqueue_on_commit
from listings.models import ImportJob
from listings.resources import ListingResource

log = logging.getLogger(__name__)

TASK = "listings.tasks.run_import_job"


def _progress_key(job_id: int) -> str:
    return f"listings:import-job:{job_id}:rows"


def progress(job: ImportJob) -> int:
    """Rows handled so far in the current phase (0 when unknown)."""
    if job.finished:
        return job.rows_total
    return int(cache.get(_progress_key(job.pk), 0) or 0)


@transaction.atomic
def start_job(*, upload, file_format: str, rows: int, by_user) -> ImportJob:
    upload.seek(0)
    job = ImportJob.objects.create(
        file_name=(upload.name or "")[:200],
        content=upload.read(),
        file_format=file_format,
        rows_total=rows,
        created_by=by_user,
    )
    enqueue_on_commit(TASK, job.pk)
    return job


def row_errors(result) -> list[dict]:
    """Every error of every row of an import result, as plain records."""
    errors = []
    for row in result.invalid_rows:
        for column, messages in row.field_specific_errors.items():
            errors += [{"row": row.number, "column": column, "message": str(m)} for m in messages]
        errors += [
            {"row": row.number, "column": "", "message": str(m)}
            for m in row.non_field_specific_errors
        ]
    for line, line_errors in result.row_errors():
        errors += [{"row": line, "column": "", "message": str(e.error)} for e in line_errors]
    errors += [{"row": None, "column": "", "message": str(e.error)} for e in result.base_errors]
    return errors


def run_job(*, job_id: int) -> str:
    """Check every row, then save them all; the job ends ``done`` or ``failed``."""
    job = ImportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.finished:
        return "gone"
    content = bytes(job.content)
    if job.file_format == "csv":
        content = content.decode("utf-8-sig")
    dataset = tablib.Dataset().load(content, format=job.file_format)
    counter = {"rows": 0}

    def report(**kwargs):
        counter["rows"] += 1
        if counter["rows"] % 100 == 0:
            cache.set(_progress_key(job.pk), counter["rows"], 3600)

    def run(status, dry_run):
        ImportJob.objects.filter(pk=job.pk).update(status=status)
        counter["rows"] = 0
        cache.set(_progress_key(job.pk), 0, 3600)
        return ListingResource().import_data(
            dataset, dry_run=dry_run, user=job.created_by, progress=report
        )

    try:
        result = run(ImportJob.Status.CHECKING, dry_run=True)
        errors = row_errors(result)
        if not errors:
            result = run(ImportJob.Status.SAVING, dry_run=False)
            errors = row_errors(result)
    except Exception as exc:  # a damaged file: the job says so instead of staying "checking"
        log.exception("import job %s failed", job.pk)
        errors = [{"row": None, "column": "", "message": str(exc)[:500]}]
    fields = {"finished_at": timezone.now(), "errors": errors[:1000]}
    if errors:
        fields["status"] = ImportJob.Status.FAILED
    else:
        fields |= {
            "status": ImportJob.Status.DONE,
            "created_count": result.totals.get("new", 0),
            "skipped_count": result.totals.get("skip", 0),
        }
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    cache.delete(_progress_key(job.pk))
    return fields["status"]
