"""``{count, count_is_estimate, next, previous, results}`` with ``?page=`` and ``?page_size=``
(at most 100), counted cheaply.

A page of 20 out of 100,000 rows should not pay for counting all 100,000: the count is exact up
to :data:`EXACT_COUNT_UP_TO` rows (a count over a ``LIMIT``, which stops there), and above that
it is PostgreSQL's planner estimate for the same query (an ``EXPLAIN``, no rows read), flagged
``count_is_estimate``. On SQLite (the embedded demo) counts are always exact.
"""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination as _PageNumberPagination
from rest_framework.response import Response

from core.api import MAX_ID

EXACT_COUNT_UP_TO = 1000


def planner_rows(queryset) -> int:
    """PostgreSQL's estimate of the rows ``queryset`` returns (its plan's top node)."""
    plan = json.loads(queryset.order_by().explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CheapCountPaginator(Paginator):
    """A Django paginator whose count is exact up to a bound and estimated above it."""

    exact_up_to = EXACT_COUNT_UP_TO
    estimated = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not hasattr(rows, "query") or connections[rows.db].vendor != "postgresql":
            return super().count
        # Ids only: a search's rank (or any annotation) is not computed for the count.
        bounded = rows.order_by().values("pk")[: self.exact_up_to + 1].count()
        if bounded <= self.exact_up_to:
            return bounded
        self.estimated = True
        return max(self.exact_up_to + 1, planner_rows(rows))


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
    django_paginator_class = CheapCountPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_is_estimate", "results"]
        response["properties"]["count"]["description"] = (
            f"Exact up to {EXACT_COUNT_UP_TO} results; above that the database's estimate "
            "(then count_is_estimate is true)."
        )
        response["properties"] = {
            "count": response["properties"]["count"],
            "count_is_estimate": {"type": "boolean", "example": False},
            **{k: v for k, v in response["properties"].items() if k != "count"},
        }
        return response

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
