"""``{count, next, previous, results}`` with ``?page=`` and ``?page_size=`` (at most 100)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as _PageNumberPagination

from core.api import MAX_ID


def _positive(request, name: str) -> int | None:
    """The query parameter as a positive whole number, None when absent, else a 400."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= MAX_ID:
        raise ValidationError({name: [_("Enter a whole number of 1 or more.")]})
    return int(text)


class PageNumberPagination(_PageNumberPagination):
    """Pages of 20 by default, at most 100; ``page=0`` or ``page=x`` is a 400 with the field
    named, a page past the last one a 404, as the schema says."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        size = _positive(request, self.page_size_query_param)
        return self.page_size if size is None else min(size, self.max_page_size)

    def get_page_number(self, request, paginator):
        number = _positive(request, self.page_query_param)
        return 1 if number is None else number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters
