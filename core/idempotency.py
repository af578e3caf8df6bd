"""Creating requests that are safe to send twice (a retry after a timeout, a double click).

- API: a client sends ``Idempotency-Key: <up to 255 printable characters>`` with a creating
  ``POST``. The first request is processed and its successful answer stored for
  ``IDEMPOTENCY_TTL_SECONDS`` (24 h); the same key with the same body gets that answer again
  (header ``Idempotent-Replayed: true``) and creates nothing; the same key with another body
  is a 422; a repeat while the first is still being processed is a 409. Keys are per caller
  (the user, or the address of an anonymous caller) and per endpoint. A request that fails
  (4xx, 5xx) stores nothing, so it can be retried with the same key.
- Pages: :func:`form_token` puts a one-time token in a creating form; :func:`claim_form`
  reserves it when the form is valid, so a second submit of the same form (a double click, the
  back button) creates nothing and is sent where the first one went.

Both reserve a row of :class:`core.models.IdempotencyKey` with an ``INSERT`` on a unique key:
of two requests racing with one key, exactly one goes on.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from core.errors import DomainError
from core.models import IdempotencyKey
from core.protection import client_ip
from core.schema import ErrorSerializer

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
# A reservation this old without an answer belongs to a request that died: a retry takes over.
ABANDONED_AFTER = datetime.timedelta(minutes=2)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1–255 printable ASCII characters (a UUID is a good choice). Sending the same "
        "key and body again within 24 h returns the first answer and creates nothing; the same "
        "key with another body is a 422, a repeat while the first is still processed a 409."
    ),
)

IDEMPOTENCY_RESPONSES = {
    409: OpenApiResponse(
        ErrorSerializer,
        description="A request with this Idempotency-Key is still being processed "
        "(`code`: `idempotency_key_in_use`); retry in a moment.",
    ),
    422: OpenApiResponse(
        ErrorSerializer,
        description="This Idempotency-Key was used with a different body "
        "(`code`: `idempotency_key_reused`).",
    ),
}

NEW, REPLAY = "new", "replay"


@dataclass
class Claim:
    outcome: str
    row: IdempotencyKey


def _expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(seconds=settings.IDEMPOTENCY_TTL_SECONDS)


def claim(*, scope: str, key: str, fingerprint: str) -> Claim:
    """Reserve ``key`` in ``scope``, or say what became of the request that reserved it."""
    now = timezone.now()
    IdempotencyKey.objects.filter(expires_at__lt=now).delete()
    try:
        with transaction.atomic():
            row = IdempotencyKey.objects.create(
                scope=scope, key=key, fingerprint=fingerprint, expires_at=_expiry()
            )
        return Claim(NEW, row)
    except IntegrityError:
        row = IdempotencyKey.objects.get(scope=scope, key=key)
    if row.fingerprint != fingerprint:
        raise DomainError(
            _("This Idempotency-Key was already used with a different request."),
            code="idempotency_key_reused",
            status_code=422,
        )
    if row.status_code is None:
        # Taken over only if it was abandoned, and only by one of several retries.
        taken = IdempotencyKey.objects.filter(
            pk=row.pk, status_code__isnull=True, created_at__lt=now - ABANDONED_AFTER
        ).update(created_at=now)
        if taken:
            return Claim(NEW, row)
        raise DomainError(
            _("A request with this Idempotency-Key is still being processed."),
            code="idempotency_key_in_use",
        )
    return Claim(REPLAY, row)


def release(row: IdempotencyKey) -> None:
    """The request failed: forget the key, so that it can be sent again."""
    IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).delete()


def record(row: IdempotencyKey, *, status_code: int, response=None, location: str = "") -> None:
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status_code=status_code, response=response, location=location
    )


# --- the API ---------------------------------------------------------------------------------


def _valid_key(value: str) -> str:
    if not 1 <= len(value) <= 255 or not all(32 < ord(c) < 127 for c in value):
        raise exceptions.ValidationError(
            {HEADER: [_("Send 1 to 255 printable ASCII characters without spaces.")]}
        )
    return value


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form or multipart body
        files = getattr(request, "FILES", {})
        data = {
            "fields": sorted(data.lists()),
            "files": sorted((name, f.name, f.size) for name, f in files.items()),
        }
    try:
        text = json.dumps(data, sort_keys=True, cls=JSONEncoder, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        text = repr(data)
    return hashlib.sha256(text.encode()).hexdigest()


def _api_scope(request) -> str:
    user = request.user
    who = f"user:{user.pk}" if user.is_authenticated else f"anon:{client_ip(request)}"
    return f"api:{who}:{request.method} {request.path}"[:200]


def idempotent(request, handler) -> Response:
    """Run ``handler()`` (which answers the request) at most once per Idempotency-Key."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return handler()
    key = _valid_key(raw.strip())
    result = claim(scope=_api_scope(request), key=key, fingerprint=_fingerprint(request))
    if result.outcome == REPLAY:
        row = result.row
        return Response(row.response, status=row.status_code, headers={REPLAYED_HEADER: "true"})
    try:
        response = handler()
    except BaseException:
        release(result.row)
        raise
    if 200 <= response.status_code < 300:
        body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        record(result.row, status_code=response.status_code, response=body)
    else:
        release(result.row)
    return response


class IdempotentCreateMixin:
    """For a viewset's ``create``: honour the ``Idempotency-Key`` header."""

    def create(self, request, *args, **kwargs):
        return idempotent(
            request, lambda: super(IdempotentCreateMixin, self).create(request, *args, **kwargs)
        )


# --- pages -----------------------------------------------------------------------------------

FORM_FIELD = "form_token"
_SALT = "core.idempotency.form"


def form_token(request) -> str:
    """A one-time token for a creating form, bound to the user who is shown the form."""
    return signing.dumps({"u": request.user.pk, "n": uuid.uuid4().hex}, salt=_SALT)


def _page_scope(request) -> str:
    return f"page:user:{request.user.pk}:{request.path}"[:200]


def claim_form(request) -> Claim | None:
    """Reserve the posted form's one-time token; None when it carries none (or a forged or
    expired one, or another user's): such a post is handled as usual, without the guard.

    A :data:`REPLAY` claim carries the ``location`` the first submit was sent to (empty
    while that one is still being processed).
    """
    token = request.POST.get(FORM_FIELD, "")
    try:
        payload = signing.loads(token, salt=_SALT, max_age=settings.IDEMPOTENCY_TTL_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != request.user.pk:
        return None
    scope, key = _page_scope(request), str(payload.get("n", ""))[:255]
    try:
        return claim(scope=scope, key=key, fingerprint="form")
    except DomainError:  # still being processed: the first submit answers the user
        return Claim(REPLAY, IdempotencyKey(scope=scope, key=key, location=""))


def claim_page_form(request, replayed_message: str, fallback: str):
    """:func:`claim_form` for a POST (``None`` for any other request), and for a submit already
    handled the answer: ``replayed_message`` for the user and a redirect to where the first
    submit went (the url name ``fallback`` while that one is still being processed)."""
    once = claim_form(request) if request.method == "POST" else None
    if once is None or once.outcome != REPLAY:
        return once, None
    messages.info(request, replayed_message)
    return once, redirect(once.row.location or reverse(fallback))


def form_failed(once: Claim | None) -> None:
    """The submit was refused (form errors): the same token may be sent again."""
    if once is not None and once.outcome == NEW:
        release(once.row)


def form_done(once: Claim | None, location: str) -> None:
    """The submit succeeded and the user is sent to ``location``; a repeat goes there too."""
    if once is not None and once.outcome == NEW:
        record(once.row, status_code=302, location=location)
