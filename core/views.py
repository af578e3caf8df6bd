"""Error answers for requests no view handled: JSON under ``/api/``, the site's pages elsewhere.

A path the API router does not know (``/api/v1/listings/1.5/``) is still an API request: its
client reads JSON, as the schema promises, not the HTML 404 page.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from core.protection import is_api_request


def _json(status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request, exception=None):
    if is_api_request(request):
        return _json(400, _("Malformed request."), "bad_request")
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if is_api_request(request):
        return _json(403, _("You do not have permission to perform this action."), "forbidden")
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if is_api_request(request):
        return _json(404, _("Not found."), "not_found")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api_request(request):
        return _json(500, _("A server error occurred."), "server_error")
    return defaults.server_error(request)
