"""``{{ key|column_label }}``: a spreadsheet column's name in the active language (the import
page's and the import job's error lists keep keys such as ``price_min``)."""

from django import template

from listings.resources.columns import column_label as label_of

register = template.Library()


@register.filter
def column_label(key) -> str:
    return label_of(key)
