"""Read a student administration export (CSV or XLSX) into rows of allowlisted columns.

Only the columns below are read; anything else in the export (addresses, birth dates, ...)
is ignored and never stored. Line numbers are those a spreadsheet program shows, header
included, so a reported line can be found in the file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from app.errors import InvalidInput
from app.i18n import lazy

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
# An XLSX is a zip archive: a 2 MB upload could unpack to gigabytes (a "zip bomb"). These
# limits are checked on the archive's directory before openpyxl opens anything; zipfile
# never unpacks a member beyond its declared size.
MAX_XLSX_MEMBERS = 200
MAX_XLSX_UNPACKED = 50 * 1024 * 1024

# Canonical field -> header spellings (compared lower-case, spaces/underscores/dashes removed).
COLUMNS: dict[str, tuple[str, ...]] = {
    "student_number": ("studentnumber", "studentnummer", "studentnr", "studentid"),
    "name": ("name", "naam", "volledigenaam", "fullname"),
    "email": ("email", "emailadres", "emailaddress", "mail"),
    "programme": ("programme", "program", "opleiding", "opleidingscode"),
    "year": ("year", "jaar", "studiejaar", "leerjaar"),
    "leerkring": ("leerkring", "lab", "werkplaats"),
}
# How the columns are named in the sample file and in messages.
HEADERS = {
    "student_number": "studentnummer",
    "name": "naam",
    "email": "e-mail",
    "programme": "opleiding",
    "year": "jaar",
    "leerkring": "leerkring",
}
REQUIRED = ("student_number", "name", "email", "programme", "year")


@dataclass(frozen=True)
class RawRow:
    line: int
    values: dict[str, str]


def _norm(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch not in " _-.")


def _field_for(header: str) -> str | None:
    key = _norm(header)
    return next((field for field, names in COLUMNS.items() if key in names), None)


def _csv_lines(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (gescheiden door lijstscheidingsteken)" writes Windows-1252.
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:  # no spreadsheet writes NUL into a CSV; the database would refuse it
        raise InvalidInput(lazy("The file contains binary data; upload a CSV or XLSX file."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:  # a field over csv.field_size_limit() (131,072 characters)
        raise InvalidInput(
            lazy("A field of the CSV file is too long or badly quoted (near line {line})."),
            line=start,
        ) from exc


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


UNREADABLE_XLSX = lazy("The file could not be read as an XLSX workbook.")
_ENCRYPTED = 0x1  # bit 0 of a zip member's general purpose flags
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # what spreadsheet programs write


def _check_archive(content: bytes) -> None:
    """Refuse what is not a zip, or unpacks to too much, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InvalidInput(UNREADABLE_XLSX) from exc
    if any(m.flag_bits & _ENCRYPTED for m in members):
        raise InvalidInput(
            lazy("The workbook is encrypted; save it without a password, or as CSV.")
        )
    if any(m.compress_type not in _COMPRESSIONS for m in members):
        raise InvalidInput(
            lazy("The workbook is compressed in a way that cannot be read; save it as CSV.")
        )
    if len(members) > MAX_XLSX_MEMBERS or sum(m.file_size for m in members) > MAX_XLSX_UNPACKED:
        raise InvalidInput(
            lazy(
                "The workbook is too large once unpacked (over 50 MB or 200 parts); "
                "save it as CSV or split it."
            )
        )


def _xlsx_lines(content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_archive(content)
    # A damaged workbook fails in whatever part of openpyxl, zipfile, zlib or the XML parser
    # reads the damaged part (ParseError, ExpatError, zlib.error, KeyError, TypeError, ...),
    # when it is opened or, in read-only mode, only while the sheet is read. Any exception
    # out of them means the file cannot be read: the fuzz test in
    # tests/student_import/test_parse_hostile.py finds no other outcome.
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise InvalidInput(UNREADABLE_XLSX) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        for line, row in enumerate(rows, 1):
            yield line, [_cell(v) for v in row]
    except Exception as exc:
        raise InvalidInput(UNREADABLE_XLSX) from exc
    finally:
        book.close()


def read_rows(filename: str, content: bytes) -> list[RawRow]:
    """The data rows of the file, keyed by canonical field; raises InvalidInput for the file."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(lazy("The file is larger than 2 MB; split it into smaller files."))
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix == "csv":
        lines = _csv_lines(content)
    elif suffix == "xlsx":
        lines = _xlsx_lines(content)
    else:
        raise InvalidInput(lazy("Upload a CSV or XLSX file (.csv or .xlsx)."))
    header: dict[int, str] | None = None
    rows: list[RawRow] = []
    for line, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = _header(cells)
            continue
        values = {field: cells[i].strip() if i < len(cells) else "" for i, field in header.items()}
        rows.append(RawRow(line, values))
        if len(rows) > MAX_ROWS:
            raise InvalidInput(lazy("The file has too many rows; split it into smaller files."))
    if header is None:
        raise InvalidInput(lazy("The file is empty."))
    return rows


def _header(cells: list[str]) -> dict[int, str]:
    header: dict[int, str] = {}
    for i, cell in enumerate(cells):
        field = _field_for(cell)
        if field and field not in header.values():
            header[i] = field
    missing = [f for f in REQUIRED if f not in header.values()]
    if missing:
        raise InvalidInput(
            lazy("The first row must name the columns; missing: {columns}."),
            columns=", ".join(HEADERS[f] for f in missing),
        )
    return header
