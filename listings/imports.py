"""What the listing import checks before anything parses a file, and the officers' template.

The probe's files (issue 16, finding 6): a 5,001-row CSV, a 1.5 MB XLSX that expands to
300,000 rows (a zip bomb, in effect), a file without the required columns. Each is answered
with a form error within a fraction of a second, from what can be read cheaply:

- a CSV's rows are counted by Python's C ``csv`` reader (no widgets, no database);
- an XLSX is a zip: its members' declared uncompressed sizes are summed first (nothing is
  inflated past :func:`max_uncompressed_bytes`), then the first sheet's ``<row`` elements are
  counted while it streams, stopping at the limit;
- the header row is read alone and its names read the way the import reads them
  (:mod:`listings.resources.columns`: Vietnamese, English or the column's key).

:func:`template` builds the empty spreadsheet (CSV or XLSX) the admin offers for download: the
import's columns, named in the admin's language, and one example row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.formatting import format_number
from listings.resources.columns import column_labels, header_keys


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 5000)


def max_uncompressed_bytes() -> int:
    """An XLSX of 5,000 listings inflates to a few MB; ten times the upload limit is ample."""
    return getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", 10 * settings.IMPORT_MAX_BYTES)


def check_upload(upload, extension: str, required: tuple[str, ...]) -> int:
    """The file's rows; a ValidationError (the form's message) if it is over a limit or lacks
    columns."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # Limits first: only then is the file read as a workbook (openpyxl reads a whole sheet
    # that does not declare its size).
    if extension == ".csv":
        header, rows = _csv_shape(data)
    else:
        rows = _xlsx_rows(data)
    if rows > max_rows():
        raise ValidationError(
            _("At most %(max)s rows per file; this one has more. Split it into several files.")
            % {"max": format_number(max_rows())}
        )
    if extension != ".csv":
        header = _xlsx_header(data)
    missing = [column for column in required if column not in set(header_keys(header))]
    if missing:
        raise ValidationError(
            _("Missing columns: %(columns)s. The first row must name the columns.")
            % {"columns": ", ".join(column_labels(missing))}
        )
    return rows


def _csv_shape(data: bytes) -> tuple[list[str], int]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file must be saved as UTF-8.")) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    rows = 0
    for row in reader:
        if any(cell.strip() for cell in row):
            rows += 1
            if rows > max_rows():
                break
    return header, rows


MAX_COLUMNS = 100
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")


def _xlsx_rows(data: bytes) -> int:
    unreadable = ValidationError(_("The file is not a readable .xlsx workbook."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise unreadable from None
    with archive:
        members = archive.infolist()
        expanded = sum(member.file_size for member in members)
        if expanded > max_uncompressed_bytes():
            raise ValidationError(
                _(
                    "The workbook expands to %(size)s MB; at most %(max)s MB can be imported. "
                    "Split it into several files."
                )
                % {
                    "size": format_number(expanded // 2**20),
                    "max": format_number(max_uncompressed_bytes() // 2**20),
                }
            )
        sheets = sorted(
            (m.filename for m in members if _SHEET.fullmatch(m.filename)),
            key=lambda name: int(re.sub(r"\D", "", name)),
        )
        if not sheets:
            raise unreadable
        return max(_count_rows(archive, sheets[0]) - 1, 0)


def _count_rows(archive: zipfile.ZipFile, name: str) -> int:
    """``<row>`` elements of a sheet, counted while it inflates; stops past the limit."""
    count, tail = 0, b""
    with archive.open(name) as sheet:
        while chunk := sheet.read(1 << 20):
            window = tail + chunk
            count += len(_ROW.findall(window)) - len(_ROW.findall(tail))
            tail = window[-16:]
            if count > max_rows() + 1:
                break
    return count


def _xlsx_header(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ValidationError(_("The file is not a readable .xlsx workbook.")) from None
    try:
        # max_col given: without it openpyxl reads the whole sheet to find its width.
        rows = workbook.active.iter_rows(max_row=1, max_col=MAX_COLUMNS, values_only=True)
        first = next(rows, ())
    finally:
        workbook.close()
    return [str(cell) for cell in first if cell is not None]


# --- the template officers download ----------------------------------------------------------

EXAMPLE = {
    "side": "supply",
    "organization": "HTX Cà phê Suối Mơ",
    "title": "Cà phê nhân Robusta sàng 18",
    "description": "Độ ẩm dưới 12,5%.",
    "category": "robusta",
    "quantity": "60",
    "unit": "tấn",
    "min_order_quantity": "5",
    "price_min": "105000",
    "price_max": "118000",
    "province": "Đắk Lắk",
    "available_from": "2026-12-01",
    "available_until": "2027-06-30",
    "certifications": "vietgap,organic",
    "status": "open",
}


def template(columns: list[str], fmt: str) -> bytes:
    """An empty import file: ``columns`` (keys, written as the active language names them)
    and one example row, as ``csv`` or ``xlsx``."""
    example = [EXAMPLE.get(column, "") for column in columns]
    columns = column_labels(columns)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerow(example)
        return ("\ufeff" + out.getvalue()).encode("utf-8")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "listings"
    sheet.append(columns)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
