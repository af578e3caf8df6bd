"""Property-based fuzzing of the whole API from its own OpenAPI schema (schemathesis 4).

The same four checks an outside client's fuzzer runs — ``not_a_server_error``,
``status_code_conformance``, ``response_schema_conformance``, ``content_type_conformance`` —
first on every operation alone (generated requests, as a member of an organization, with
reference data present so that some bodies are valid), then in a stateful phase that chains
operations through the links schemathesis infers (``POST /listings/`` → ``GET/PATCH/DELETE
/listings/{id}/`` …). Every response must be documented, with its body and content type.
"""

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tests.factories import DOCUMENTS
from listings.tests.factories import listing_payload, make_listing

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
EXAMPLES_PER_OPERATION = 30
STATEFUL_EXAMPLES = 40
BUDGET_SECONDS = 150


@pytest.fixture
def keep_connection():
    """As Django's test client does: a request must not close the test's DB connection
    (the whole test runs in one transaction that is rolled back at the end)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(keep_connection, actors, reference):
    make_listing(organization=actors.supplier_org, reference=reference)
    token = Token.objects.create(user=actors.supplier).key
    schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    schema.headers = {"Authorization": f"Token {token}", "Accept-Language": "vi"}
    return schema


def certificate_payload() -> dict:
    """A valid multipart certificate upload (a real PDF), so the 201 body is checked too."""
    return {
        "scheme": "vietgap",
        "number": "VG-FUZZ-0001",
        "issuer": "QUACERT",
        "issued_on": "2026-01-15",
        "valid_until": "2028-01-14",
        "document": DOCUMENTS["pdf"][0](),
    }


def _failure_text(exc: BaseException) -> str:
    return str(exc)[:2000]


def test_every_operation_answers_as_documented(api_schema, actors):
    headers = api_schema.headers
    failures: list[str] = []
    operations = 0
    started = time.monotonic()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # this operation's first failure
            failures.append(f"{operation.label}: {_failure_text(exc)}")

    # Random strings rarely name a real category or unit: send success paths explicitly, so
    # that the 200/201 bodies are checked against the schema too.
    explicit = [
        ("/api/v1/listings/", "POST", {"body": listing_payload(actors.supplier_org)}),
        ("/api/v1/me/", "GET", {}),
        (
            "/api/v1/organizations/{organization_pk}/certificates/",
            "POST",
            {
                "path_parameters": {"organization_pk": actors.supplier_org.pk},
                "body": certificate_payload(),
                "media_type": "multipart/form-data",
            },
        ),
    ]
    for path, method, parts in explicit:
        if "body" in parts:
            parts = {"media_type": "application/json", **parts}
        case = api_schema[path][method].Case(**parts)
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            assert response.status_code in (200, 201), response.text
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{method} {path} (explicit): {_failure_text(exc)}")

    elapsed = time.monotonic() - started
    assert operations >= 15  # the whole API, not an empty schema
    assert failures == [], "\n\n".join(failures)
    assert elapsed < BUDGET_SECONDS, f"fuzzing took {elapsed:.0f} s"


def test_chained_operations_answer_as_documented(api_schema):
    """The stateful phase: sequences of calls linked by the ids earlier responses return."""
    machine = api_schema.as_state_machine()
    headers = api_schema.headers
    links = [
        rule
        for rule in machine.rules()
        if "_POST_api_v1_listings___201_" in f"_{rule.function.__name__}_"
    ]
    assert len(machine.rules()) >= 30 and links, "the stateful phase would have nothing to chain"

    class Machine(machine):
        """Each run starts from the same rows: its writes are rolled back at teardown, so
        Hypothesis can replay and shrink a failing sequence."""

        def setup(self):
            self._savepoint = transaction.atomic()
            self._savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._savepoint.__exit__(None, None, None)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, headers=headers)

    Machine.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=True,
        )
    )
