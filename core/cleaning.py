"""Control characters never enter the database (issue 16, findings 3 and 5).

A name with a ``\\r`` broke every email digest after it (the subject became an illegal header),
and a title with ``\\x01\\x1b`` broke the XLSX export for everyone. Text is cleaned where it
comes in, by one pair of functions:

- :func:`single_line` for names, titles, addresses — anything shown on one line or used in a
  header: line breaks and tabs become a space, every other control character is dropped, and so
  are the bidirectional overrides that make a name read differently from what it stores;
- :func:`multi_line` for descriptions and notes: line breaks are kept (``\\r\\n`` and ``\\r``
  become ``\\n``) with tabs, every other control character is dropped.

The hooks that apply them: :class:`CleanTextModelMixin` (every model's ``full_clean()``, so the
services, the admin and the spreadsheet import store clean text), the strict serializer fields
of :mod:`core.api` and the form mixin of :mod:`core.forms`.
"""

from __future__ import annotations

import re

from django.db import models

# C0 and C1 controls and DEL; line and paragraph separators; bidirectional embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_BREAKS = "\r\n\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"
_BREAK = re.compile(f"[{re.escape(_BREAKS)}]+")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def single_line(value: str) -> str:
    """``value`` on one line without control characters (leading/trailing spaces kept)."""
    if not isinstance(value, str):
        return value
    return _CONTROL.sub("", _BREAK.sub(" ", value))


def multi_line(value: str) -> str:
    """``value`` with ``\\n`` line breaks and tabs, and no other control characters."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\x85", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _CONTROL_IN_TEXT.sub("", value)


def has_control(value: str) -> bool:
    """True if ``value`` holds a character :func:`single_line` would change."""
    return isinstance(value, str) and bool(_CONTROL.search(value) or _BREAK.search(value))


class CleanTextModelMixin:
    """Cleans every text column before the model's own validation (``full_clean()``).

    ``CharField`` (and its kinds: email, URL, slug) is single-line, ``TextField`` multi-line.
    """

    def clean_fields(self, exclude=None):
        for field in self._meta.concrete_fields:
            if exclude and field.name in exclude:
                continue
            if isinstance(field, models.TextField):
                clean = multi_line
            elif isinstance(field, models.CharField) and not field.choices:
                clean = single_line
            else:
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str):
                setattr(self, field.attname, clean(value))
        super().clean_fields(exclude=exclude)
