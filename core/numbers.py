"""Reading numbers the way each language writes them.

Vietnamese groups thousands with dots and writes decimals with a comma (``95.000.000``,
``2,5``); English the other way round (``95,000,000``, ``2.5``); plain digits work in both.
What could be read two ways is refused with a message that says how to write it: ``2,500`` on
a Vietnamese page may be two and a half (the Vietnamese reading) or two thousand five hundred
(the English habit), so neither is guessed.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Spaces people type (or paste) between groups of digits: space, no-break and thin spaces.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]+")
_GROUPED = {
    ".": re.compile(r"^\d{1,3}(\.\d{3})+$", re.A),
    ",": re.compile(r"^\d{1,3}(,\d{3})+$", re.A),
}
_DIGITS = re.compile(r"^\d+$", re.A)


class NumberFormatError(ValueError):
    """The text is not a number in this language, or could be read two ways."""


def _conventions(language: str) -> tuple[str, str]:
    """(thousands separator, decimal separator)."""
    return (",", ".") if (language or "vi").startswith("en") else (".", ",")


def _example(language: str) -> str:
    return "95,000,000 · 2.5" if (language or "vi").startswith("en") else "95.000.000 · 2,5"


def parse_number(text: str, language: str) -> Decimal:
    """``text`` as the ``language`` ("vi" or "en") writes numbers; raises NumberFormatError."""
    raw = _SPACES.sub(" ", str(text)).strip()
    if not raw:
        raise NumberFormatError(
            _("Write the number with digits only, e.g. %(example)s.")
            % {"example": _example(language)}
        )
    sign = ""
    if raw[0] in "+-":
        sign, raw = ("-" if raw[0] == "-" else ""), raw[1:].strip()
    # Spaces may group thousands ("95 000 000") but only between groups of three.
    if " " in raw:
        if not re.fullmatch(r"\d{1,3}( \d{3})+([.,]\d+)?", raw, re.A):
            raise NumberFormatError(
                _("Write the number with digits only, e.g. %(example)s.")
                % {"example": _example(language)}
            )
        raw = raw.replace(" ", "")
    thousands, point = _conventions(language)
    if not raw or not re.fullmatch(r"[0-9.,]+", raw) or not raw[0].isdigit():
        raise NumberFormatError(
            _("Write the number with digits only, e.g. %(example)s.")
            % {"example": _example(language)}
        )
    whole, fraction = raw, ""
    if thousands in raw and point in raw:
        whole, _sep, fraction = raw.rpartition(point)
        grouped = _GROUPED[thousands].match(whole) or _DIGITS.match(whole)
        if thousands in fraction or not grouped:
            raise NumberFormatError(_mixed(language))
    elif point in raw:
        if raw.count(point) > 1:
            raise NumberFormatError(_mixed(language))
        whole, _sep, fraction = raw.partition(point)
        if len(fraction) == 3 and _DIGITS.match(whole) and len(whole) <= 3 and whole != "0":
            # "2,500" (vi) / "2.500" (en): the other language's thousands, or a decimal?
            raise NumberFormatError(_ambiguous(language, whole, fraction))
    elif thousands in raw:
        if not _GROUPED[thousands].match(raw):
            raise NumberFormatError(_wrong_point(language))
        whole = raw
    if thousands in whole:
        whole = whole.replace(thousands, "")
    if not _DIGITS.match(whole) or (fraction and not _DIGITS.match(fraction)):
        raise NumberFormatError(_mixed(language))
    try:
        return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")
    except InvalidOperation as exc:  # pragma: no cover - the patterns above rule it out
        raise NumberFormatError(_mixed(language)) from exc


def _mixed(language: str) -> str:
    return _("This is not a number as written here; write it like %(example)s.") % {
        "example": _example(language)
    }


def _wrong_point(language: str) -> str:
    if (language or "vi").startswith("en"):
        return _(
            "In English write decimals with a point (2.5) and group thousands with commas (95,000)."
        )
    return _(
        "In Vietnamese write decimals with a comma (2,5) and group thousands with dots (95.000)."
    )


def _ambiguous(language: str, whole: str, fraction: str) -> str:
    thousands, point = _conventions(language)
    return _(
        "“%(text)s” can be read two ways: write %(decimal)s for %(whole)s and a fraction, or "
        "%(grouped)s (or %(plain)s) for the whole number."
    ) % {
        "text": f"{whole}{point}{fraction}",
        "decimal": f"{whole}{point}{fraction.rstrip('0') or '0'}",
        "whole": whole,
        "grouped": f"{whole}{thousands}{fraction}",
        "plain": f"{whole}{fraction}",
    }
