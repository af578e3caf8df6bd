"""Spreadsheet import and export of listings for officers (django-import-export).

Import: CSV or XLSX, one listing per row, previewed as a dry run before anything is saved.
Every row is created through ``listings.services.listing_create`` by the importing officer
(``on_behalf=True``: officers enter listings for any organization this way), with the same rules
as the API, and matching fires after commit; one bad row stops the whole file, and its message
names the value ("Unknown province “Kon Tumm”").

Export: the same columns (plus id, hidden, created_at), every cell made safe by
``core.spreadsheets`` (formulas neutralised by a leading apostrophe, control characters dropped).

The package, by job: :mod:`~listings.resources.columns` (each column's key, its name in
Vietnamese and English, how a header is read), :mod:`~listings.resources.cells` (the widgets
that read and write cells) and :mod:`~listings.resources.listing` (the resource itself).
"""

from listings.resources.columns import column_label, column_labels, header_key, header_keys
from listings.resources.listing import MAX_ROWS, REQUIRED_COLUMNS, ListingResource

__all__ = [
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "ListingResource",
    "column_label",
    "column_labels",
    "header_key",
    "header_keys",
]
