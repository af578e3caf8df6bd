"""Large imports run as a Celery job with progress the admin page polls (issue 16, finding 6)."""

import pytest

from listings.models import ImportJob, Listing
from listings.tests.test_admin import IMPORT, ROW, _csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_sync_limit(settings):
    settings.IMPORT_SYNC_ROWS = 3


def _rows(count: int, province: str = "66") -> list[str]:
    return [
        ROW.replace("Cà phê nhân xô", f"Cà phê lô {i}").format(province=province)
        for i in range(count)
    ]


def test_a_large_file_becomes_a_job_that_imports_every_row(
    officer_client,
    small_sync_limit,
    django_capture_on_commit_callbacks,
    actors,
):
    upload = _csv(_rows(8))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = officer_client.post(
            IMPORT, {"import_file": upload, "format": "0", "resource": "0"}
        )

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/importjob/{job.pk}/change/")
    assert len(callbacks) >= 1  # enqueued after commit (run eagerly here)
    job.refresh_from_db()
    assert job.status == "done" and job.rows_total == 8 and job.created_count == 8
    assert Listing.objects.filter(created_by=actors.officer).count() == 8

    page = officer_client.get(response.url).content.decode()
    assert "Imported: 8 listings created" in page
    assert 'http-equiv="refresh"' not in page  # finished: the page stops polling


def test_a_job_with_bad_rows_fails_with_every_error_and_saves_nothing(
    officer_client,
    small_sync_limit,
    django_capture_on_commit_callbacks,
):
    upload = _csv([*_rows(4), *_rows(2, province="Kon Tumm")])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            IMPORT, {"import_file": upload, "format": "0", "resource": "0"}
        )

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(5, "province"), (6, "province")]
    assert not Listing.objects.exists()
    page = officer_client.get(response.url).content.decode()
    # The job keeps the column's key; its page names the column in the admin's language.
    assert "Row 5, <strong>Province</strong>: Unknown province “Kon Tumm”" in page


def test_a_running_job_page_polls_and_shows_its_progress(officer_client, actors):
    job = ImportJob.objects.create(
        file_name="big.csv", content=b"", file_format="csv", rows_total=4000,
        status=ImportJob.Status.CHECKING, created_by=actors.officer,
    )  # fmt: skip

    page = officer_client.get(f"/admin/listings/importjob/{job.pk}/change/").content.decode()

    assert 'http-equiv="refresh"' in page
    assert "of 4000 rows" in page and "<progress" in page


def test_job_pages_are_for_officers_only(client, actors):
    job = ImportJob.objects.create(file_name="x.csv", content=b"", file_format="csv")
    client.force_login(actors.supplier)
    assert client.get(f"/admin/listings/importjob/{job.pk}/change/").status_code in (302, 403)
