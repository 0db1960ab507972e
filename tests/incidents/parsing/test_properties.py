"""Property-based tests: whatever a user uploads, the parsing layer answers with rows, a
FileFormatError for the file, or a RowError for a row, and never loses or repeats a row."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents.parsing import (
    FIELDS,
    TEXT_LIMITS,
    DateOrder,
    FileFormatError,
    RowCleaner,
    RowError,
    detect_date_order,
    detect_format,
    header_key,
    mapping_from_names,
    open_table,
    parse_datetime,
)
from tests.incidents.parsing.helpers import DATE_FIELDS, FILES

# Bounded, so that the module runs in seconds; no example database is written to the tree.
BOUNDED = settings(max_examples=100, deadline=None, database=None)

KNOWN_HEADERS = [
    "number",
    "opened_at",
    "Number",
    "Opened",
    "Issue key",
    "Created",
    "priority",
    "Priority",
    "category",
    "ident_state",
    "sys_mod_count",
    "Short description",
    "Component/s",
    "resolved_at",
    "Reopen count",
]
# Values that take the cleaner down each of its paths, good and bad.
TELLING_VALUES = [
    "",
    "?",
    "null",
    "29/2/2016 01:16",
    "2/29/2016 1:16 PM",
    "2016-02-29T08:53:11Z",
    "31/31/2020",
    "1/1/2016 0:30 AM",
    "2016-02-29 10:00+25:00",
    "2 - High",
    "P2",
    "Highest",
    "3.0",
    "-1",
    "0000045",
    "9" * 50,
]
# Quotes, every delimiter, line breaks, and characters that differ between the encodings;
# all of them exist in cp1252, so a file can be written in each encoding.
ALPHABET = "abcXYZ019 ,;\t|\"'\r\n-/:?.éèàçüöß€–“”’É"  # noqa: RUF001
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]

header_names = st.one_of(
    st.sampled_from(KNOWN_HEADERS),
    st.from_regex(r"[A-Za-z][A-Za-z_ ]{0,10}[A-Za-z]", fullmatch=True),
)
cells = st.one_of(st.sampled_from(TELLING_VALUES), st.text(alphabet=ALPHABET, max_size=15))

with (FILES / "servicenow.xlsx").open("rb") as sample:
    WORKBOOK = sample.read()


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str, str, bytes]:
    headers = draw(st.lists(header_names, min_size=2, max_size=8))
    rows = draw(st.lists(st.lists(cells, max_size=10), max_size=20))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    encoding = draw(st.sampled_from(ENCODINGS))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return headers, rows, delimiter, encoding, buffer.getvalue().encode(encoding)


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    data = bytearray(WORKBOOK)
    for _ in range(draw(st.integers(1, 5))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        del data[draw(st.integers(4, len(data))) :]
    return bytes(data)


any_bytes = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        lambda text, encoding: text.encode(encoding, errors="replace"),
        st.text(max_size=400),
        st.sampled_from([*ENCODINGS, "latin-1", "utf-16", "utf-32"]),
    ),
    st.builds(
        lambda head, body: head + body,
        st.sampled_from([b"PK\x03\x04", b"\xef\xbb\xbf", b"number,opened_at\n", b""]),
        st.binary(max_size=500),
    ),
    damaged_workbooks(),
)


@pytest.fixture(scope="module")
def upload(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One path that each example overwrites (hypothesis runs examples one after another)."""
    return tmp_path_factory.mktemp("properties") / "upload"


def read_and_clean(path: Path) -> int:
    """Do what the import engine does with a file; return the number of rows read."""
    read = 0
    reasons: list[str] = []
    with open_table(path) as table:
        guess = detect_format(table.headers)
        # Saved profiles must round-trip whatever the headers are.
        keys = {field: header_key(table.headers, index) for field, index in guess.mapping.items()}
        assert mapping_from_names(table.headers, keys) == guess.mapping
        mapping = guess.mapping if guess.name != "unknown" else {"number": 0, "opened_at": 1}
        rows = list(table.rows)
        columns = [mapping[field] for field in DATE_FIELDS if field in mapping]
        order = detect_date_order(v[c] for _, v in rows for c in columns if c < len(v))
        cleaner = RowCleaner(mapping, date_order=order or DateOrder.DMY, tz=UTC)
        for _, values in rows:
            read += 1
            try:
                clean = cleaner.clean(values)
            except RowError as exc:
                reasons.append(str(exc))
            else:
                assert clean.opened_at.tzinfo is not None
                assert all(len(getattr(clean, f)) <= n for f, n in TEXT_LIMITS.items())
    assert all(reasons)
    return read


@BOUNDED
@given(case=csv_files())
def test_every_written_row_is_read_exactly_once(
    upload: Path, case: tuple[list[str], list[list[str]], str, str, bytes]
) -> None:
    headers, rows, delimiter, encoding, data = case
    upload.write_bytes(data)
    # The reader must decide as a careful reader of the bytes would: BOM, else valid UTF-8
    # (cp1252 text can happen to be valid UTF-8), else cp1252.
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        expected_encoding = "cp1252"
    else:
        expected_encoding = "utf-8-sig" if encoding == "utf-8-sig" else "utf-8"
    decoding = "cp1252" if expected_encoding == "cp1252" else "utf-8"
    written = "cp1252" if encoding == "cp1252" else "utf-8"
    expected = [
        (number, [value.encode(written).decode(decoding) for value in values])
        for number, values in enumerate(rows, start=2)
        if any(value.strip() for value in values)  # blank rows are skipped, still counted
    ]

    with open_table(upload) as table:
        assert (table.kind, table.encoding, table.delimiter) == (
            "csv",
            expected_encoding,
            delimiter,
        )
        assert table.headers == headers
        assert list(table.rows) == expected
    assert read_and_clean(upload) == len(expected)


@BOUNDED
@given(data=any_bytes)
def test_any_upload_gives_rows_or_a_file_error(upload: Path, data: bytes) -> None:
    upload.write_bytes(data)
    sentence = "."
    try:
        read_and_clean(upload)
    except FileFormatError as exc:
        sentence = str(exc)

    assert sentence.endswith(".")  # a sentence for the user, nothing raw


@BOUNDED
@given(values=st.lists(st.one_of(cells, st.text(max_size=30)), max_size=len(FIELDS) + 2))
def test_any_row_gives_a_clean_row_or_a_row_error(values: list[str]) -> None:
    cleaner = RowCleaner(
        {field: index for index, field in enumerate(FIELDS)}, date_order=DateOrder.MDY, tz=UTC
    )
    reason = "clean"
    try:
        cleaner.clean(values)
    except RowError as exc:
        reason = str(exc)

    assert reason


@BOUNDED
@given(text=st.one_of(st.text(max_size=40), st.sampled_from(TELLING_VALUES)))
def test_parsing_any_text_raises_nothing_but_value_error(text: str) -> None:
    reasons = []
    for order in DateOrder:
        try:
            parse_datetime(text, order)
        except ValueError as exc:
            reasons.append(str(exc))
    detect_date_order([text, text[::-1]])

    assert all(reasons)


@BOUNDED
@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31)),
    separator=st.sampled_from("/-."),
)
def test_each_layout_parses_back_to_the_same_moment(moment: datetime, separator: str) -> None:
    moment = moment.replace(microsecond=0)
    d, m, y = moment.day, moment.month, moment.year
    hour12 = moment.hour % 12 or 12
    meridiem = "AM" if moment.hour < 12 else "PM"
    time24 = f"{moment.hour}:{moment.minute:02d}:{moment.second:02d}"
    time12 = f"{hour12}:{moment.minute:02d}:{moment.second:02d} {meridiem}"

    assert parse_datetime(f"{d}{separator}{m}{separator}{y} {time24}", DateOrder.DMY) == moment
    assert parse_datetime(f"{m:02d}{separator}{d:02d}{separator}{y} {time12}", DateOrder.MDY) == (
        moment
    )
    assert parse_datetime(moment.isoformat(), DateOrder.YMD) == moment
    assert parse_datetime(moment.isoformat() + "Z", DateOrder.DMY) == moment.replace(tzinfo=UTC)
