"""Abuse protection shared by the pages and the API.

- :func:`client_ip`: the caller's address, trusting ``X-Forwarded-For`` only as far as
  ``NUM_PROXIES`` proxies of our own (the same rule as DRF's throttles), so the login lockout
  and the throttles count the same client and a caller cannot pick its own address.
- :func:`lockout_response`: django-axes' answer once a username/address pair is locked out:
  JSON with a clear message and ``Retry-After`` for the API; for pages
  ``AXES_LOCKOUT_TEMPLATE`` when set, else the same message as plain text.
- :func:`failure_limit` (``AXES_FAILURE_LIMIT``) and :func:`count_login_failure`: besides
  django-axes' lockout of one username from one address, an address that fails
  ``AXES_IP_FAILURE_RATE`` logins across any usernames (a password spray) is locked out too.
  The per-address counter is kept in the cache, apart from axes' rows, because axes resets
  every row of an address on a successful login: a sprayer with an account of their own
  would wipe the count between guesses.
- :class:`RequestSizeLimitMiddleware`: refuses oversized request bodies from their
  ``Content-Length`` before anything reads them (DRF's JSON parser reads the stream itself and
  never meets ``DATA_UPLOAD_MAX_MEMORY_SIZE``), and turns Django's own size errors into a 4xx.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def is_api_request(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def client_ip(request) -> str | None:
    remote_addr = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NUM_PROXIES
    if not proxies or not forwarded:
        return remote_addr
    addresses = [a.strip() for a in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote_addr


def _login_failure_key(request) -> str:
    return client_ip(request) or "unknown"


def count_login_failure(sender, credentials=None, request=None, **kwargs) -> None:
    """``user_login_failed`` receiver: one more failure from this address (any username)."""
    if request is None:
        return
    from core.ratelimit import hit, parse_rate

    hit("login-failures", _login_failure_key(request), parse_rate(settings.AXES_IP_FAILURE_RATE))


def failure_limit(request, credentials=None) -> int:
    """django-axes' limit for this attempt: the per-username limit, or 0 (locked at once)
    when the address has already failed ``AXES_IP_FAILURE_RATE`` logins."""
    from django.core.cache import cache

    from core.ratelimit import parse_rate

    rate = parse_rate(settings.AXES_IP_FAILURE_RATE)
    try:
        failures = cache.get(f"ratelimit:login-failures:{_login_failure_key(request)}", 0)
    except Exception:  # the cache being down leaves the per-username lockout in force
        failures = 0
    return 0 if failures >= rate.limit else settings.AXES_USERNAME_FAILURE_LIMIT


def lockout_response(request, original_response=None, credentials=None):
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    retry_after = int(cool_off.total_seconds()) if cool_off else None
    message = _("Too many failed login attempts. Try again later.")
    if is_api_request(request):
        body = {"detail": message, "code": "locked_out"}
        if retry_after:
            body["retry_after"] = retry_after
        response = JsonResponse(body, status=settings.AXES_HTTP_RESPONSE_CODE)
    elif settings.AXES_LOCKOUT_TEMPLATE:
        response = render(
            request,
            settings.AXES_LOCKOUT_TEMPLATE,
            {"retry_after": retry_after, "cooloff_timedelta": cool_off},
            status=settings.AXES_HTTP_RESPONSE_CODE,
        )
    else:
        response = HttpResponse(
            message,
            status=settings.AXES_HTTP_RESPONSE_CODE,
            content_type="text/plain; charset=utf-8",
        )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _too_large(request, limit: int):
    message = _("The request body is too large (at most %(limit)s bytes).") % {"limit": limit}
    if is_api_request(request):
        return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


def body_limit(request) -> int:
    """Form fields and JSON up to ``DATA_UPLOAD_MAX_MEMORY_SIZE``; uploads add one import file."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.content_type == "multipart/form-data":
        limit += settings.IMPORT_MAX_BYTES
    return limit


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = body_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_large(request, limit)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return _too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if isinstance(exception, TooManyFieldsSent):
            message = _("The request has too many fields.")
            if is_api_request(request):
                return JsonResponse({"detail": message, "code": "too_many_fields"}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return None
