"""Reading an export (CSV in any common dialect and encoding, or XLSX) as a stream of rows.

Memory does not grow with the file: CSV goes through a text wrapper line by line and XLSX
through openpyxl's read-only mode, so a million-row export costs what one row costs.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import openpyxl
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet


class FileFormatError(ValueError):
    """A whole file that cannot be read; ``str(exc)`` is a sentence to show the user."""


@dataclass(frozen=True)
class Table:
    """An open export: its header and an iterator over its data rows.

    ``rows`` yields (row number as a spreadsheet shows it, values) and skips blank rows; it
    can raise FileFormatError part-way when the file turns out damaged past its start.
    """

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None  # "utf-8", "utf-8-sig" or "cp1252" for CSV
    delimiter: str | None  # ",", ";", "\t" or "|" for CSV


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_SAMPLE_BYTES = 1024 * 1024  # the encoding is decided on this much
_HEAD_CHARS = 64 * 1024  # checked for binary data, and searched for the header line
_DELIMITERS = (",", ";", "\t", "|")
# csv.Sniffer's quote-guessing regexes take time quadratic in the sample: 64 KB of a crafted
# (or unlucky) file costs 15-30 s, 4 KB at most about 0.1 s.
_SNIFF_CHARS = 4 * 1024
# Control characters other than tab, line and page breaks, and undecodable bytes: text has
# next to none, binary files have many.
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffd]")
_BINARY_SHARE = 0.1
# A physical line this long is not CSV; without a cap one such line would be read whole.
_MAX_LINE = 16 * 1024 * 1024

# The csv module refuses fields over 128 KB by default, which would fail a whole import over
# one long description; the line cap above still bounds memory.
csv.field_size_limit(max(csv.field_size_limit(), _MAX_LINE))


@contextmanager
def open_table(path: Path, *, max_xlsx_uncompressed: int = 200 * 1024 * 1024) -> Iterator[Table]:
    """Open an export for reading, deciding from its bytes whether it is XLSX or CSV.

    Raises FileFormatError, with a sentence for the user, when the file cannot be read.
    """
    with path.open("rb") as raw:
        sample = raw.read(_SAMPLE_BYTES)
        raw.seek(0)
        if sample.startswith(_ZIP_MAGIC):
            _check_expansion(raw, max_xlsx_uncompressed)
            workbook = _load_workbook(raw)
            try:
                yield _xlsx_table(workbook)
            finally:
                workbook.close()
        else:
            yield _csv_table(raw, sample)


# --- CSV ---------------------------------------------------------------------------------


def _csv_table(raw: BinaryIO, sample: bytes) -> Table:
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileFormatError(
            "The file is UTF-16 text; save it as CSV UTF-8 (or an .xlsx workbook) and upload "
            "it again."
        )
    if sample.startswith(_OLE2_MAGIC):
        raise FileFormatError(
            "The file is an old-style Excel workbook (.xls) or a password-protected one; save "
            "it as .xlsx or CSV, without a password, and upload it again."
        )
    encoding = _detect_encoding(sample, complete=len(sample) < _SAMPLE_BYTES)
    text = sample.decode(encoding, errors="replace")
    if not text.strip():
        raise FileFormatError("The file is empty.")
    head = text[:_HEAD_CHARS]
    if len(_BINARY.findall(head)) > _BINARY_SHARE * len(head):
        raise FileFormatError(
            "The file is neither CSV nor an Excel workbook: it holds binary data."
        )
    delimiter = _detect_delimiter(head.replace("\0", ""))

    # errors="replace": the encoding was decided from the first megabyte, and a stray byte
    # further on must cost one character, not the import.
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    records = _csv_records(csv.reader(_lines(stream), delimiter=delimiter))
    headers = _first_filled(records)
    if headers is None:
        raise FileFormatError("The file is empty.")
    return Table(
        kind="csv",
        headers=[header.strip() for header in headers],
        rows=_filled(records),
        encoding=encoding,
        delimiter=delimiter,
    )


def _detect_encoding(sample: bytes, *, complete: bool) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # Incremental, so that a character cut in two at the end of the sample is no error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page, which in the West is cp1252.
        return "cp1252"
    return "utf-8"


def _detect_delimiter(text: str) -> str:
    """The header line decides: it holds no free text, so the delimiter that splits it into
    most fields is the one. Only a tie (a one-column header, say) is left to csv.Sniffer,
    which weighs the rows too."""
    widths = {delimiter: _header_width(text, delimiter) for delimiter in _DELIMITERS}
    widest = max(widths.values())
    tied = [d for d in _DELIMITERS if widths[d] == widest and d in text]
    if not tied:
        return ","
    if len(tied) == 1:
        return tied[0]
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(tied)).delimiter
    except csv.Error:
        return tied[0]
    return sniffed if sniffed in tied else tied[0]


def _header_width(text: str, delimiter: str) -> int:
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if any(value.strip() for value in values):
                return len(values)
    except csv.Error:
        pass
    return 0


def _lines(stream: io.TextIOWrapper) -> Iterator[str]:
    while line := stream.readline(_MAX_LINE):
        if len(line) == _MAX_LINE and line[-1] not in "\r\n":
            raise FileFormatError(
                f"The file has a line longer than {_MAX_LINE:,} characters; it is not CSV."
            )
        # The csv module of older Pythons stops at NUL, and no export means one.
        yield line.replace("\0", "") if "\0" in line else line


def _csv_records(reader: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    # Records are counted, not lines: a quoted field over three lines is still one row.
    number = 0
    try:
        for number, values in enumerate(reader, start=1):
            yield number, values
    except csv.Error as exc:
        raise FileFormatError(f"Row {number + 1} cannot be read as CSV: {exc}.") from exc


# --- XLSX --------------------------------------------------------------------------------


def _check_expansion(raw: BinaryIO, limit: int) -> None:
    """Refuse a workbook whose members expand past ``limit`` bytes, before openpyxl reads it.

    The sizes declared in the zip directory are enough: Python's zipfile stops a member at
    its declared size, so a lying header cannot make it expand further.
    """
    try:
        with zipfile.ZipFile(raw) as archive:
            members = archive.infolist()
    except Exception as exc:  # zipfile reports damage with several exception types
        raise FileFormatError(
            "The file is a damaged zip archive; it cannot be read as an Excel workbook."
        ) from exc
    finally:
        raw.seek(0)
    if not any(member.filename == "[Content_Types].xml" for member in members):
        raise FileFormatError("The file is a zip archive, not an Excel workbook (.xlsx).")
    size = sum(member.file_size for member in members)
    if size > limit:
        raise FileFormatError(
            f"The workbook expands to {_megabytes(size)} MB, more than the limit of "
            f"{_megabytes(limit)} MB."
        )


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:,.0f}" if megabytes >= 10 else f"{megabytes:.2g}"


def _load_workbook(raw: BinaryIO) -> Workbook:
    try:
        # A file object, not the path: openpyxl would refuse a path without an .xlsx suffix,
        # and uploads are stored under other names. data_only gives a formula's last value.
        return openpyxl.load_workbook(raw, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl reports damaged parts with many exception types
        raise FileFormatError(
            "The workbook is damaged, or not an .xlsx workbook; it cannot be read."
        ) from exc


def _xlsx_table(workbook: Workbook) -> Table:
    sheets = [sheet for sheet in workbook.worksheets if isinstance(sheet, ReadOnlyWorksheet)]
    if not sheets:
        raise FileFormatError("The workbook has no worksheet.")
    sheet = sheets[0]
    # Some writers record wrong dimensions, and openpyxl would stop reading at them.
    sheet.reset_dimensions()
    records = _xlsx_records(sheet)
    headers = _first_filled(records)
    if headers is None:
        raise FileFormatError("The workbook's first sheet is empty.")
    headers = [header.strip() for header in headers]
    # Formatted but empty cells to the right of the header are not columns.
    while headers and not headers[-1]:
        headers.pop()
    return Table(
        kind="xlsx",
        headers=headers,
        rows=((number, _fit(values, len(headers))) for number, values in _filled(records)),
        encoding=None,
        delimiter=None,
    )


def _xlsx_records(sheet: ReadOnlyWorksheet) -> Iterator[tuple[int, list[str]]]:
    number = 0
    try:
        # ``values`` is iter_rows(values_only=True) (the stubs mistype the latter on read-only
        # sheets). It yields a row for each sheet row, empty ones included, so counting gives
        # the row number that Excel shows.
        for number, cells in enumerate(sheet.values, start=1):
            yield number, [_cell_text(value) for value in cells]
    except Exception as exc:  # a damaged part surfaces only when it is reached
        raise FileFormatError(
            f"The workbook is damaged after row {number}; it cannot be read further."
        ) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        # Excel keeps times as fractions of a day, so 10:30 can come back as 10:29:59.999999.
        if value.microsecond >= 500_000 and value.year < dt.MAXYEAR:
            value += dt.timedelta(seconds=1)
        return value.replace(microsecond=0).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fit(values: list[str], width: int) -> list[str]:
    """A spreadsheet row has no "short" form: absent cells at its end are empty ones, and
    empty cells past the header are formatting, not values."""
    if len(values) < width:
        values.extend([""] * (width - len(values)))
    else:
        end = len(values)
        while end > width and not values[end - 1].strip():
            end -= 1
        del values[end:]
    return values


# --- both --------------------------------------------------------------------------------


def _first_filled(records: Iterator[tuple[int, list[str]]]) -> list[str] | None:
    """The first non-blank row, which is the header; None when there is none."""
    for _, values in records:
        if any(value.strip() for value in values):
            return values
    return None


def _filled(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    # A blank row (a blank line, ",,,", an empty sheet row) is no incident, and no error.
    for number, values in records:
        if any(value.strip() for value in values):
            yield number, values
