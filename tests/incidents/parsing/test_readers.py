from __future__ import annotations

import csv
import io
import re
import runpy
import shutil
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from incidents.parsing import FileFormatError, open_table
from tests.incidents.parsing.helpers import FILES


def read(path: Path) -> tuple[str, str | None, str | None, list[str], list[tuple[int, list[str]]]]:
    with open_table(path) as table:
        return table.kind, table.encoding, table.delimiter, table.headers, list(table.rows)


def write(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "kind", "encoding", "delimiter", "numbers"),
    [
        ("servicenow_fields.csv", "csv", "utf-8", ",", [2, 3, 4, 5]),
        ("servicenow_labels.csv", "csv", "utf-8-sig", ";", [2, 3, 5]),
        ("windows_1252.csv", "csv", "cp1252", ";", [2, 3]),
        ("tabs.tsv", "csv", "utf-8", "\t", [2, 3]),
        ("event_log.csv", "csv", "utf-8", ",", [2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ("jira.csv", "csv", "utf-8", ",", [2, 3]),
        ("us_dates.csv", "csv", "utf-8", ",", [2, 3]),
        ("ambiguous_dates.csv", "csv", "utf-8", ",", [2, 3]),
        ("servicenow.xlsx", "xlsx", None, None, [3, 5]),
    ],
)
def test_it_reads_each_sample_file(
    name: str, kind: str, encoding: str | None, delimiter: str | None, numbers: list[int]
) -> None:
    got_kind, got_encoding, got_delimiter, headers, rows = read(FILES / name)

    assert (got_kind, got_encoding, got_delimiter) == (kind, encoding, delimiter)
    assert [number for number, _ in rows] == numbers
    assert all(header == header.strip() and header for header in headers)


def test_a_multi_line_field_is_one_row_and_keeps_later_row_numbers() -> None:
    _, _, _, headers, rows = read(FILES / "servicenow_labels.csv")

    assert headers[0] == "Number"  # the BOM went with the decoding
    by_number = dict(rows)
    assert by_number[3][3] == (
        'Outlook crashes when opening a shared calendar.\r\nSteps: open Outlook; click "Team".'
        "\r\nHappens since Monday."
    )
    # Row 4 is a blank line; the row after it is row 5, as a spreadsheet shows it.
    assert by_number[5][0] == "INC0020003"
    assert all(len(values) == len(headers) for values in by_number.values())


def test_it_decodes_windows_1252() -> None:
    _, _, _, _, rows = read(FILES / "windows_1252.csv")

    assert rows[0][1][2] == "Coût de la licence: 1 200 €"
    assert rows[0][1][3] == "Comptabilité"
    assert rows[1][1][2] == "Accès refusé à l'intranet"


def test_it_reads_workbook_cells_as_strings() -> None:
    _, _, _, headers, rows = read(FILES / "servicenow.xlsx")

    assert headers == [
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
    assert rows == [
        (
            3,
            [
                "INC0070001",
                "2024-03-04 09:15:02",
                "2024-03-04 11:02:45",  # rounded from 11:02:44.999999
                "Printer offline",
                "2",
                "2",  # the float 2.0
                "1 - High",
                "0",
                "2.5",
                "true",
                "Hardware",
            ],
        ),
        # Cells never written at the end of row 5 are empty values, not a short row.
        (
            5,
            ["INC0070002", "2024-03-05 00:00:00", "", "VPN drops", "3 - Moderate", "3", "3"]
            + [""] * 4,
        ),
    ]


def test_the_committed_workbook_is_what_make_xlsx_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    runpy.run_path(str(FILES / "make_xlsx.py"))["write_sample"](fresh)

    assert read(fresh) == read(FILES / "servicenow.xlsx")


def test_it_tells_xlsx_from_csv_by_content_not_name(tmp_path: Path) -> None:
    workbook = shutil.copy(FILES / "servicenow.xlsx", tmp_path / "export.csv")
    text = shutil.copy(FILES / "servicenow_fields.csv", tmp_path / "export.xlsx")

    assert read(Path(workbook))[0] == "xlsx"
    assert read(Path(text))[0] == "csv"


def test_it_reads_a_date_cell_and_a_time_cell(tmp_path: Path) -> None:
    import datetime as dt

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["number", "opened_at", "time"])
    sheet.append(["INC1", dt.date(2024, 2, 29), dt.time(13, 5, 7)])
    workbook.save(tmp_path / "w.xlsx")

    # openpyxl returns date cells as datetimes at midnight; a time stays a time.
    assert read(tmp_path / "w.xlsx")[4] == [(2, ["INC1", "2024-02-29 00:00:00", "13:05:07"])]


def test_it_refuses_a_workbook_that_expands_past_the_limit() -> None:
    with (
        pytest.raises(
            FileFormatError,
            match=r"^The workbook expands to [\d.,]+ MB, more than the limit of [\d.,]+ MB\.$",
        ),
        open_table(FILES / "servicenow.xlsx", max_xlsx_uncompressed=1000),
    ):
        pass


def test_the_expansion_limit_counts_declared_sizes_before_opening(tmp_path: Path) -> None:
    # 11 MB of zeros compress to a few KB: the kind of member a zip bomb is made of.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (11 * 1024 * 1024))
    path = write(tmp_path, buffer.getvalue())
    assert path.stat().st_size < 100_000

    with pytest.raises(FileFormatError) as caught, open_table(path, max_xlsx_uncompressed=10 << 20):
        pass

    assert str(caught.value) == "The workbook expands to 11 MB, more than the limit of 10 MB."


def test_it_reads_past_wrong_dimensions(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["number", "opened_at"])
    for index in range(5):
        sheet.append([f"INC{index}", "2024-01-01"])
    workbook.save(tmp_path / "right.xlsx")
    # Rewrite the sheet's recorded dimension as if it ended at row 2.
    with (
        zipfile.ZipFile(tmp_path / "right.xlsx") as source,
        zipfile.ZipFile(tmp_path / "wrong.xlsx", "w") as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', data)
            target.writestr(member, data)

    assert len(read(tmp_path / "wrong.xlsx")[4]) == 5


def test_it_refuses_a_damaged_workbook(tmp_path: Path) -> None:
    data = (FILES / "servicenow.xlsx").read_bytes()
    path = write(tmp_path, data[: len(data) // 2])

    with pytest.raises(FileFormatError, match="damaged"), open_table(path) as table:
        list(table.rows)


def test_it_refuses_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export.csv", "number,opened_at\n")
    path = write(tmp_path, buffer.getvalue())

    with pytest.raises(FileFormatError) as caught, open_table(path):
        pass

    assert str(caught.value) == "The file is a zip archive, not an Excel workbook (.xlsx)."


def test_it_refuses_a_workbook_with_an_empty_first_sheet(tmp_path: Path) -> None:
    Workbook().save(tmp_path / "empty.xlsx")

    with pytest.raises(FileFormatError, match="first sheet is empty"):
        read(tmp_path / "empty.xlsx")


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf", b" ,  ,\n,,\n"])
def test_it_refuses_an_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(FileFormatError) as caught:
        read(write(tmp_path, data))

    assert str(caught.value) == "The file is empty."


def test_a_header_without_rows_is_a_table_of_no_rows(tmp_path: Path) -> None:
    kind, _, _, headers, rows = read(write(tmp_path, b"number,opened_at\r\n"))

    assert (kind, headers, rows) == ("csv", ["number", "opened_at"], [])


@pytest.mark.parametrize(
    ("data", "sentence"),
    [
        (
            bytes(range(256)) * 40,
            "The file is neither CSV nor an Excel workbook: it holds binary data.",
        ),
        (b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" * 50, "it holds binary data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "old-style Excel workbook (.xls)"),
        ("number,opened_at\r\n".encode("utf-16"), "The file is UTF-16 text"),
    ],
)
def test_it_refuses_what_is_not_csv(tmp_path: Path, data: bytes, sentence: str) -> None:
    with pytest.raises(FileFormatError, match=re.escape(sentence)):
        read(write(tmp_path, data))


def test_it_strips_nul_characters(tmp_path: Path) -> None:
    path = write(tmp_path, b"number,opened_at\nINC\x0000\x001,2024-01-01\n\x00\n")

    assert read(path)[4] == [(2, ["INC001", "2024-01-01"])]


def test_an_invalid_byte_after_the_sample_is_replaced_not_fatal(tmp_path: Path) -> None:
    line = b"INC0000001,2024-01-01 10:00:00,plain ascii text to fill the first megabyte\n"
    count = (1024 * 1024) // len(line) + 10
    path = write(tmp_path, b"number,opened_at,text\n" + line * count + b"INC2,2024-01-01,caf\xe9\n")

    _, encoding, _, _, rows = read(path)

    assert encoding == "utf-8"
    assert len(rows) == count + 1
    assert rows[-1] == (count + 2, ["INC2", "2024-01-01", "caf\ufffd"])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_detects_each_delimiter(tmp_path: Path, delimiter: str) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["number", "opened_at", "short_description"])
    writer.writerow(["INC1", "2024-01-01", "words, with; other|marks\tand a tab"])
    text = buffer.getvalue()

    _, _, found, headers, rows = read(write(tmp_path, text.encode()))

    assert found == delimiter
    assert len(headers) == 3
    assert rows == [(2, ["INC1", "2024-01-01", "words, with; other|marks\tand a tab"])]


def test_the_header_outvotes_commas_in_free_text(tmp_path: Path) -> None:
    text = "number;short_description;opened_at\n" + "INC1;a, b, c, d, e, f;2024-01-01\n" * 200

    assert read(write(tmp_path, text.encode()))[2] == ";"


def test_a_one_column_file_reads(tmp_path: Path) -> None:
    _, _, delimiter, headers, rows = read(write(tmp_path, b"number\nINC1\nINC2\n"))

    assert (delimiter, headers, rows) == (",", ["number"], [(2, ["INC1"]), (3, ["INC2"])])


def test_rows_shorter_or_longer_than_the_header_pass_through(tmp_path: Path) -> None:
    path = write(tmp_path, b"a,b,c\n1\n1,2,3,4\n")

    assert read(path)[4] == [(2, ["1"]), (3, ["1", "2", "3", "4"])]


def test_a_field_over_the_csv_modules_default_limit_reads(tmp_path: Path) -> None:
    long = "x" * 200_000
    path = write(tmp_path, f'number,description\nINC1,"{long}"\n'.encode())

    assert read(path)[4] == [(2, ["INC1", long])]


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    line = b"INC0000001,29/2/2016 01:16,Printer offline on the third floor,Finance,2 - High\n"
    path = tmp_path / "big.csv"
    with path.open("wb") as file:
        file.write(b"number,opened_at,short_description,department,priority\n")
        for _ in range(8):
            file.write(line * 15_000)
    assert path.stat().st_size > 8 * 1024 * 1024

    tracemalloc.start()
    try:
        with open_table(path) as table:
            count = sum(1 for _ in table.rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 120_000
    # The first megabyte is sampled as bytes and as text; past that, nothing accumulates.
    assert peak < 4 * 1024 * 1024
