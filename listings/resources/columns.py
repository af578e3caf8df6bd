"""The columns of the listing spreadsheet: one key each (the resource's field), a name in each
language, and how a header in a file is read.

Files, templates, previews and error lists name a column in the admin's language ("Giá thấp
nhất (VND)" / "Lowest price (VND)"); a file may name it in Vietnamese, in English or by its key
(``price_min``, as files made before the names were translated do), with any case, accents or
punctuation: all three are read as the same column.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import pgettext_lazy

from catalog.text import fold_compact

LABELS = {
    "id": pgettext_lazy("import column", "ID"),
    "side": pgettext_lazy("import column", "Side (supply or demand)"),
    "organization": pgettext_lazy("import column", "Organization"),
    "title": pgettext_lazy("import column", "Title"),
    "description": pgettext_lazy("import column", "Description"),
    "title_en": pgettext_lazy("import column", "English title"),
    "description_en": pgettext_lazy("import column", "English description"),
    "category": pgettext_lazy("import column", "Category"),
    "product": pgettext_lazy("import column", "Product"),
    "quantity": pgettext_lazy("import column", "Quantity"),
    "unit": pgettext_lazy("import column", "Unit"),
    "min_order_quantity": pgettext_lazy("import column", "Minimum order"),
    "price_min": pgettext_lazy("import column", "Lowest price (VND)"),
    "price_max": pgettext_lazy("import column", "Highest price (VND)"),
    "province": pgettext_lazy("import column", "Province"),
    "available_from": pgettext_lazy("import column", "Start date"),
    "available_until": pgettext_lazy("import column", "End date"),
    "certifications": pgettext_lazy("import column", "Certifications"),
    "ocop_stars": pgettext_lazy("import column", "OCOP stars"),
    "ocop_year": pgettext_lazy("import column", "OCOP rating year"),
    "min_ocop_stars": pgettext_lazy("import column", "Minimum OCOP stars"),
    "status": pgettext_lazy("import column", "Status"),
    "hidden": pgettext_lazy("import column", "Hidden"),
    "created_at": pgettext_lazy("import column", "Created at"),
}
LANGUAGES = ("vi", "en")


def column_label(key: str) -> str:
    """The column's name in the active language (an unknown key is shown as it is)."""
    label = LABELS.get(str(key))
    return str(label) if label is not None else str(key)


def column_labels(keys) -> list[str]:
    return [column_label(key) for key in keys]


def _aliases() -> dict[str, str]:
    """Every way a header may name a column, compacted, to the column's key: the key, and
    each language's name with and without its note in brackets ("Lowest price")."""
    found = {}
    for key, label in LABELS.items():
        found[fold_compact(key)] = key
        for language in LANGUAGES:
            with translation.override(language):
                text = str(label)
            for name in (text, text.split("(")[0]):
                found.setdefault(fold_compact(name), key)
    return found


def header_key(header) -> str | None:
    """The key of the column a file's header names ("Giá thấp nhất (VND)", "lowest price",
    "price_min"…), or None when it names none."""
    return _aliases().get(fold_compact(str(header or "")))


def header_keys(headers) -> list[str]:
    """A file's header row as column keys; a header that names no column is kept, folded."""
    aliases = _aliases()
    return [aliases.get(fold_compact(str(h or "")), fold_compact(str(h or ""))) for h in headers]
