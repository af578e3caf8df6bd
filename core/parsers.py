"""The API's JSON parser: DRF's, with a nesting limit (issue 16, finding 8).

A body nested about a thousand levels deep made Python's JSON decoder raise ``RecursionError``,
which DRF does not catch: every JSON endpoint answered 500. No body of this API nests more than a
few levels, so anything deeper than :data:`MAX_DEPTH` is a 400 with a message, decided before
a serializer walks it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def nesting_depth(data) -> int:
    """How deeply lists and objects nest in ``data`` (0 for a plain value), without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        todo.extend((child, depth + 1) for child in children)
    return deepest


def _too_deep() -> ParseError:
    return ParseError(
        _("The JSON body nests too deeply (at most %(limit)s levels).") % {"limit": MAX_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        if nesting_depth(data) > MAX_DEPTH:
            raise _too_deep()
        return data
