"""Filters of the outcome and programme pages."""

from django import template

from core.formatting import format_date

register = template.Library()


@register.filter
def day(value) -> str:
    """07/04/2027 in Vietnamese, 07 Apr 2027 in English."""
    return format_date(value)
