"""Numbers, prices, dates and names as the reader's language writes them (vi or en).

Django's Vietnamese locale sets no digit grouping (``intcomma`` would print 110000), so the
platform writes numbers itself: "20.000" and "2,5" in Vietnamese, "20,000" and "2.5" in
English. Every page, email and "why this match" sentence formats through here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import get_language

EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_english() -> bool:
    return (get_language() or "vi").startswith("en")


def say(vi: str, en: str) -> str:
    """One of two wordings stored side by side, in the current language."""
    return en if is_english() else vi


def localized_name(obj) -> str:
    """``name_en`` when the page is in English and one exists, else the Vietnamese ``name``."""
    if obj is None:
        return ""
    if is_english() and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name


def unit_name(unit, *, explain: bool = False) -> str:
    """A unit as a quantity is written: "20 tấn"; in English "20 quintal", with what it weighs
    ("quintal (100 kg)") only when ``explain`` (the unit picker, a listing's own page)."""
    if unit is None:
        return ""
    name = localized_name(unit)
    if explain or not is_english():
        return name
    return name.split(" (", 1)[0]


def separators() -> tuple[str, str]:
    """(thousands, decimal point) of the current language."""
    return (",", ".") if is_english() else (".", ",")


def format_number(value, decimals: int = 3) -> str:
    """20000 → "20.000" (vi) / "20,000" (en); 2.5 → "2,5" / "2.5"; no trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals)).normalize()
    whole, _dot, fraction = f"{number:,f}".partition(".")
    thousands, point = separators()
    return whole.replace(",", thousands) + (point + fraction if fraction else "")


def format_rounded(value: float | Decimal, digits: int = 0) -> str:
    return format_number(round(float(value), digits), digits)


def format_range(low, high) -> str:
    """A price range "95.000–120.000", or the one bound given, or ""."""
    if low is not None and high is not None and low != high:
        return f"{format_number(low)}–{format_number(high)}"
    return format_number(low if low is not None else high)


def format_date(value: datetime.date | None) -> str:
    """07/04/2027 in Vietnamese; "07 Apr 2027" in English (never the ambiguous 04/07/2027)."""
    if value is None:
        return ""
    if is_english():
        return f"{value.day:02d} {EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def format_month(value: datetime.date | None) -> str:
    """03/2027 in Vietnamese; "Mar 2027" in English."""
    if value is None:
        return ""
    if is_english():
        return f"{EN_MONTHS[value.month - 1]} {value.year}"
    return f"{value.month:02d}/{value.year}"
