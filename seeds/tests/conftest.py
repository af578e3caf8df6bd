"""The seed is loaded once for this package and rolled back at its end.

Loading takes a few seconds; every test here reads the same reference data. The load runs
inside a transaction opened before the first test of the package; each test then runs in a
savepoint of it (pytest-django's ``db``), and the whole transaction is rolled back after the
last test, so other apps' tests never see the seeded rows.
"""

import pytest
from django.db import transaction

from seeds.loaders import seed_all


@pytest.fixture(scope="package")
def seed_report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            report = seed_all()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield report
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seed_report, db):
    """The seeded reference data, visible to this test (its changes are rolled back)."""
    return seed_report
