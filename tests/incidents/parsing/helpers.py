"""Shared by the parsing tests: where the sample files are, and reading one end to end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, tzinfo
from pathlib import Path

from incidents.parsing import (
    CleanRow,
    DateOrder,
    FormatGuess,
    RowCleaner,
    RowError,
    detect_date_order,
    detect_format,
    open_table,
)

FILES = Path(__file__).resolve().parent.parent / "files"
DATE_FIELDS = ("opened_at", "resolved_at", "closed_at", "updated_at")

# The header of the UCI event log, and the mapping it must get.
UCI_HEADERS = [
    "number",
    "ident_state",
    "active",
    "reassignment_count",
    "reopen_count",
    "sys_mod_count",
    "made_sla",
    "caller_id",
    "opened_by",
    "opened_at",
    "sys_created_by",
    "sys_created_at",
    "sys_updated_by",
    "sys_updated_at",
    "contact_type",
    "location",
    "category",
    "category",
    "u_symptom",
    "cmdb_ci",
    "impact",
    "urgency",
    "priority",
    "assignment_group",
    "assigned_to",
    "knowledge",
    "u_priority_confirmation",
    "notify",
    "problem_id",
    "rfc",
    "vendor",
    "caused_by",
    "closed_code",
    "resolved_by",
    "resolved_at",
    "closed_at",
]

UCI_MAPPING = {
    "number": 0,
    "opened_at": 9,
    "resolved_at": 34,
    "closed_at": 35,
    "updated_at": 13,
    "mod_count": 5,
    "state": 1,  # "ident_state"
    "priority": 22,
    "impact": 20,
    "urgency": 21,
    "category": 16,
    "subcategory": 17,  # the second "category"
    "configuration_item": 19,
    "assignment_group": 23,
    "caller": 7,
    "location": 15,
    "reopen_count": 4,
}


@dataclass
class Import:
    """What the import engine would see of a file: the guess, and each row cleaned."""

    kind: str
    encoding: str | None
    delimiter: str | None
    headers: list[str]
    guess: FormatGuess
    order: DateOrder | None
    clean: dict[int, CleanRow]
    errors: dict[int, str]


def import_file(path: Path, *, order: DateOrder | None = None, tz: tzinfo = UTC) -> Import:
    with open_table(path) as table:
        guess = detect_format(table.headers)
        rows = list(table.rows)
        columns = [guess.mapping[field] for field in DATE_FIELDS if field in guess.mapping]
        detected = detect_date_order(
            values[column] for _, values in rows for column in columns if column < len(values)
        )
        cleaner = RowCleaner(guess.mapping, date_order=order or detected or DateOrder.DMY, tz=tz)
        clean: dict[int, CleanRow] = {}
        errors: dict[int, str] = {}
        for number, values in rows:
            try:
                clean[number] = cleaner.clean(values)
            except RowError as exc:
                errors[number] = str(exc)
        return Import(
            kind=table.kind,
            encoding=table.encoding,
            delimiter=table.delimiter,
            headers=table.headers,
            guess=guess,
            order=detected,
            clean=clean,
            errors=errors,
        )
