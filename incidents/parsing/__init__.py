"""The pure parsing layer of incident imports: files in, typed rows or row errors out.

No database and no Django here; the import engine builds on these names.
"""

from __future__ import annotations

from incidents.parsing.dates import DateOrder, detect_date_order, parse_datetime
from incidents.parsing.formats import (
    FIELDS,
    FormatGuess,
    detect_format,
    header_key,
    mapping_from_names,
)
from incidents.parsing.readers import FileFormatError, Table, open_table
from incidents.parsing.rows import (
    DATE_FIELDS,
    MISSING,
    TEXT_LIMITS,
    CleanRow,
    RowCleaner,
    RowError,
    is_missing,
)

__all__ = [
    "DATE_FIELDS",
    "FIELDS",
    "MISSING",
    "TEXT_LIMITS",
    "CleanRow",
    "DateOrder",
    "FileFormatError",
    "FormatGuess",
    "RowCleaner",
    "RowError",
    "Table",
    "detect_date_order",
    "detect_format",
    "header_key",
    "is_missing",
    "mapping_from_names",
    "open_table",
    "parse_datetime",
]
