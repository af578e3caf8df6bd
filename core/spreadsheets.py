"""Cells every spreadsheet export writes, made safe once (issue 16, findings 4 and 5).

- Formula injection (OWASP "CSV injection"): a text cell starting with ``= + - @`` (or a tab
  or carriage return) is run as a formula by Excel and LibreOffice — in an XLSX written by
  openpyxl it *is* a formula. Such a cell gets a leading apostrophe: shown as text, never run.
- Control characters: openpyxl refuses them (``IllegalCharacterError``), so one old title with
  ``\\x01\\x1b`` broke the whole export. They are dropped from every cell (line breaks stay).

:class:`SafeExportResource` applies :func:`safe_cell` to every exported row of a
django-import-export resource; every export of the project uses it.
"""

from __future__ import annotations

from import_export import resources

from core.cleaning import multi_line

# Characters that make a spreadsheet cell a formula, plus tab and carriage return.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """``=HYPERLINK(...)`` becomes ``'=HYPERLINK(...)``: shown as text, never run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_cell(value):
    """``value`` as an export may write it: no control characters, no formula."""
    if not isinstance(value, str):
        return value
    return neutralise_formula(multi_line(value))


def strip_neutraliser(text: str) -> str:
    """An exported cell read back (an import): the apostrophe a formula got comes off."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class SafeExportResource(resources.ModelResource):
    """A model resource whose exported cells all go through :func:`safe_cell`."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        row = super().export_resource(instance, selected_fields, **kwargs)
        return [safe_cell(value) for value in row]
