"""Writes servicenow.xlsx, the small workbook the parsing tests read.

Run from the repository root after changing it: .venv/bin/python tests/incidents/files/make_xlsx.py
The workbook is committed so that the tests read a file as openpyxl wrote it, with real cell
types: datetimes, a date, ints, floats, a boolean, empty cells and an empty row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

HEADERS = [
    "Number",
    "Opened",
    "Resolved",
    "Short description",
    "Priority",
    "Impact",
    "Urgency",
    "Reopen count",
    "Configuration item",
    "Active",
    "Category",
]

# Row 1 stays empty: the first non-empty row is the header, here row 2.
ROWS: dict[int, list[str | int | float | bool | dt.date | None]] = {
    3: [
        "INC0070001",
        dt.datetime(2024, 3, 4, 9, 15, 2),
        # As Excel's day fractions come back: 11:02:45 less a microsecond.
        dt.datetime(2024, 3, 4, 11, 2, 44, 999999),
        "Printer offline",
        2,
        2.0,
        "1 - High",
        0.0,
        2.5,
        True,
        "Hardware",
    ],
    # Row 4 is empty, and row 5 ends early: its last cells were never written.
    5: ["INC0070002", dt.date(2024, 3, 5), None, "VPN drops", "3 - Moderate", 3, 3],
}


def write_sample(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Page 1"
    for column, header in enumerate(HEADERS, start=1):
        sheet.cell(row=2, column=column, value=header)
    for row, values in ROWS.items():
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=row, column=column, value=value)
    # A second sheet that must not be read: the first one holds the export.
    workbook.create_sheet("Notes").cell(row=1, column=1, value="not the data")
    workbook.save(path)


if __name__ == "__main__":
    write_sample(Path(__file__).with_name("servicenow.xlsx"))
