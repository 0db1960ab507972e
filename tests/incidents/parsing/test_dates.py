from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from incidents.parsing import DateOrder, detect_date_order, parse_datetime

DMY, MDY, YMD = DateOrder.DMY, DateOrder.MDY, DateOrder.YMD


@pytest.mark.parametrize(
    ("samples", "order"),
    [
        # The UCI event log: a first part over 12 proves day-first.
        (["1/3/2016 09:52", "29/2/2016 01:16", "5/3/2016 12:00"], DMY),
        (["03.04.2024 10:00", "13.04.2024"], DMY),
        (["3-4-2024", "4-13-2024 08:00"], MDY),
        (["02/29/2016 08:53:11", "03/04/2016"], MDY),
        # Nothing over 12 and a 24-hour clock: the caller must ask.
        (["03/04/2024 10:00", "11/10/2024 17:45"], None),
        # Some values prove day-first, others month-first: the column is inconsistent.
        (["13/01/2024", "01/13/2024"], None),
        # A 12-hour clock is the US export form...
        (["03/04/2024 12:05:00 AM", "11/10/2024 05:45:30 PM"], MDY),
        # ...unless a value proves otherwise (en-AU writes day first with AM/PM).
        (["13/01/2024 10:00 AM", "03/04/2024 11:00 PM"], DMY),
        (["2016-02-29 08:53:11", "2016-03-01T10:00:00Z", "2016-03-02"], YMD),
        # ISO values say nothing about the order of the d/m/y values beside them.
        (["2016-02-29 08:53:11", "03/04/2016"], None),
        (["2016-02-29 08:53:11", "13/04/2016"], DMY),
        # Jira's month names.
        (["29/Feb/16 10:15 AM", "01/Mar/24 4:02 PM"], DMY),
        # Missing markers and garbage are skipped.
        (["?", "", "null", "n/a", "-", "soon", "29/2/2016 01:16"], DMY),
        (["?", "", "null"], None),
        ([], None),
        # A value that is no valid day and month in either order proves nothing.
        (["45/13/2016", "03/04/2016"], None),
    ],
)
def test_it_detects_the_date_order(samples: list[str], order: DateOrder | None) -> None:
    assert detect_date_order(samples) == order


def test_detection_reads_a_generator_once() -> None:
    assert detect_date_order(value for value in ["13/1/2024"] * 3) == DMY


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("29/2/2016 01:16", DMY, datetime(2016, 2, 29, 1, 16)),
        ("5/3/2016 12:00", DMY, datetime(2016, 3, 5, 12, 0)),
        ("2/29/2016 1:16", MDY, datetime(2016, 2, 29, 1, 16)),
        ("29.02.2016 23:59:59", DMY, datetime(2016, 2, 29, 23, 59, 59)),
        ("29-02-2016", DMY, datetime(2016, 2, 29)),
        # 12-hour clock: midnight, noon, and the hours around them.
        ("12/31/2016 12:00 AM", MDY, datetime(2016, 12, 31, 0, 0)),
        ("12/31/2016 12:30:15 am", MDY, datetime(2016, 12, 31, 0, 30, 15)),
        ("12/31/2016 12:00 PM", MDY, datetime(2016, 12, 31, 12, 0)),
        ("12/31/2016 1:05 p.m.", MDY, datetime(2016, 12, 31, 13, 5)),
        ("12/31/2016 11:59:59PM", MDY, datetime(2016, 12, 31, 23, 59, 59)),
        ("12/31/2016 1:00 AM", MDY, datetime(2016, 12, 31, 1, 0)),
        # ISO, with T or a space, fractions, and in any order (a year first is unambiguous).
        ("2016-02-29 08:53:11", YMD, datetime(2016, 2, 29, 8, 53, 11)),
        ("2016-02-29T08:53", YMD, datetime(2016, 2, 29, 8, 53)),
        ("2016-02-29 08:53:11.5", DMY, datetime(2016, 2, 29, 8, 53, 11, 500000)),
        ("2016-02-29T08:53:11.123456789", MDY, datetime(2016, 2, 29, 8, 53, 11, 123456)),
        ("2016-02-29", YMD, datetime(2016, 2, 29)),
        ("2016/2/9 8:05", YMD, datetime(2016, 2, 9, 8, 5)),
        ("  2016-02-29 08:53  ", YMD, datetime(2016, 2, 29, 8, 53)),
        # Jira: day, month name, two-digit year.
        ("29/Feb/16 10:15 AM", DMY, datetime(2016, 2, 29, 10, 15)),
        ("01/mar/2024 4:02 PM", MDY, datetime(2024, 3, 1, 16, 2)),
        ("1 Sept 2024 00:00", YMD, datetime(2024, 9, 1)),
    ],
)
def test_it_parses(text: str, order: DateOrder, expected: datetime) -> None:
    parsed = parse_datetime(text, order)

    assert parsed == expected
    assert parsed.tzinfo is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-02-29T08:53:11Z", datetime(2016, 2, 29, 8, 53, 11, tzinfo=UTC)),
        (
            "2016-02-29 08:53:11+05:30",
            datetime(2016, 2, 29, 8, 53, 11, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        (
            "2016-02-29T08:53-0800",
            datetime(2016, 2, 29, 8, 53, tzinfo=timezone(-timedelta(hours=8))),
        ),
        ("2016-02-29 08:53 +02", datetime(2016, 2, 29, 8, 53, tzinfo=timezone(timedelta(hours=2)))),
    ],
)
def test_an_offset_makes_an_aware_datetime(text: str, expected: datetime) -> None:
    parsed = parse_datetime(text, YMD)

    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "order", "reason"),
    [
        ("31/31/2020", DMY, "not a date: '31/31/2020'"),
        ("29/2/2015 10:00", DMY, "not a date: '29/2/2015 10:00'"),  # 2015 is no leap year
        ("29/2/2100", DMY, "not a date: '29/2/2100'"),  # nor is 2100
        ("2016-13-45", YMD, "not a date: '2016-13-45'"),
        ("2/29/2016", DMY, "not a date: '2/29/2016'"),  # valid only month first
        ("29/2/2016", MDY, "not a date: '29/2/2016'"),
        ("29/2/2016", YMD, "not a year-first date: '29/2/2016'"),
        ("1/1/2016 13:00 PM", MDY, "not a 12-hour time: '1/1/2016 13:00 PM'"),
        ("1/1/2016 0:30 AM", MDY, "not a 12-hour time: '1/1/2016 0:30 AM'"),
        ("1/1/2016 24:00", DMY, "not a date: '1/1/2016 24:00'"),
        ("1/1/2016 10:60", DMY, "not a date: '1/1/2016 10:60'"),
        ("1/1/2016 10:59:60", DMY, "not a date: '1/1/2016 10:59:60'"),
        ("2016-02-29 10:00+25:00", YMD, "not a date: '2016-02-29 10:00+25:00'"),
        ("0201-01-01", YMD, "year out of range 1900-2199: '0201-01-01'"),
        ("29/2-2016", DMY, "not a date: '29/2-2016'"),
        ("29/Foo/16", DMY, "not a date: '29/Foo/16'"),
        ("1/1/16", DMY, "not a date: '1/1/16'"),  # two-digit years only with month names
        ("2016-02-29 08", YMD, "not a date: '2016-02-29 08'"),
        ("yesterday", DMY, "not a date: 'yesterday'"),
        ("", DMY, "not a date: ''"),
        ("1" * 100, DMY, "not a date: '" + "1" * 40 + "…'"),
    ],
)
def test_it_refuses_with_a_short_reason(text: str, order: DateOrder, reason: str) -> None:
    with pytest.raises(ValueError, match=r".") as caught:
        parse_datetime(text, order)

    assert str(caught.value) == reason
