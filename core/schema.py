"""The OpenAPI schema tells every answer an operation can give, errors included.

drf-spectacular documents the success bodies; :class:`AutoSchema` adds the error answers the
platform gives on every operation of a kind, each with its JSON body: 400 (field messages, or
a ``detail`` for a body that is not JSON), 401 (a bad or missing token), 403 (not allowed,
CSRF), 404 (an unknown id, a page past the last), 413 (a body over the limit), 415 (a body in a
type the operation does not read), 429 (throttled or locked out). 409 (a business rule said
no) is declared by the operations whose services raise it, with ``CONFLICT``.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(help_text="What went wrong, in the request's language."),
        "code": serializers.CharField(required=False, help_text="A machine-readable reason."),
        "retry_after": serializers.IntegerField(
            required=False, help_text="Seconds to wait before trying again (429)."
        ),
    },
)


class ValidationErrorSerializer(serializers.Serializer):
    """Field name → its messages; ``non_field_errors`` for what concerns several fields.

    Nested fields (list items, objects) carry their own messages in the same shape.
    """

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)
    detail = serializers.CharField(required=False)

    class Meta:
        ref_name = "ValidationError"


ERROR = OpenApiResponse(ErrorSerializer, description="An error with a `detail` message.")
VALIDATION_ERROR = OpenApiResponse(
    ValidationErrorSerializer, description="Invalid input: messages by field."
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="A business rule refused the change (e.g. an illegal transition): `detail` "
    "says why and `code` names the rule.",
)

_OPEN = (permissions.AllowAny, permissions.IsAuthenticatedOrReadOnly)
_DESCRIPTIONS = {
    "400": "Invalid input: messages by field.",
    "401": "Missing or invalid credentials.",
    "403": "Not allowed for this user (or a missing CSRF token in a browser session).",
    "404": "No such object visible to this user, or a page past the last one.",
    "413": "The request body is larger than the limit.",
    "415": "The body is in a media type this operation does not accept.",
    "429": "Too many requests, or too many failed logins: retry later.",
}


class AutoSchema(SpectacularAutoSchema):
    def _error_codes(self) -> list[str]:
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_path_params = "{" in self.path
        codes = ["401", "429"]
        if has_body or self.method == "GET" or has_path_params:
            codes.append("400")
        perms = self.view.get_permissions() if hasattr(self.view, "get_permissions") else []
        restricted = any(not isinstance(p, _OPEN) for p in perms)
        if restricted or self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")
        if has_path_params or self._is_list_view():
            codes.append("404")
        if has_body:
            codes += ["413", "415"]
        return sorted(codes)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            body = VALIDATION_ERROR if code == "400" else ERROR
            response = self._get_response_for_code(body, code, direction=direction)
            response["description"] = _DESCRIPTIONS[code]
            responses[code] = response
        return dict(sorted(responses.items()))
