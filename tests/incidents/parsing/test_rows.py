from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from incidents.parsing import (
    FIELDS,
    MISSING,
    TEXT_LIMITS,
    CleanRow,
    DateOrder,
    RowCleaner,
    RowError,
    is_missing,
)
from tests.incidents.parsing.helpers import FILES, import_file

LISBON = ZoneInfo("Europe/Lisbon")
MAPPING = {field: index for index, field in enumerate(FIELDS)}
DMY = DateOrder.DMY


def row(**values: str) -> list[str]:
    """A row in FIELDS order with the given values, every other one empty."""
    return [values.get(field, "") for field in FIELDS]


def clean(**values: str) -> CleanRow:
    return RowCleaner(MAPPING, date_order=DateOrder.DMY, tz=LISBON).clean(
        row(**({"number": "INC1", "opened_at": "29/2/2016 01:16"} | values))
    )


def reason(**values: str) -> str:
    with pytest.raises(RowError) as caught:
        clean(**values)
    return str(caught.value)


def test_it_cleans_a_full_row() -> None:
    result = clean(
        number=" INC0010001 ",
        opened_at="29/2/2016 01:16",
        resolved_at="1/3/2016 09:52",
        closed_at="6/3/2016 10:00",
        updated_at="2016-03-06 10:00:05Z",
        mod_count="12",
        state="Closed",
        priority="2 - High",
        impact="P1",
        urgency="3.0",
        category="Hardware",
        subcategory="Printer",
        service="Print services",
        configuration_item="PRN-3F-01",
        assignment_group="Service Desk",
        caller="Abel Tuter",
        department="Finance",
        location="Lisbon HQ",
        short_description="Printer offline",
        description="  Nobody on the floor\ncan print  ",
        resolution_notes="Restarted the spooler",
        reopen_count="1",
    )

    assert result == CleanRow(
        number="INC0010001",
        opened_at=datetime(2016, 2, 29, 1, 16, tzinfo=LISBON),
        resolved_at=datetime(2016, 3, 1, 9, 52, tzinfo=LISBON),
        closed_at=datetime(2016, 3, 6, 10, 0, tzinfo=LISBON),
        updated_at=datetime(2016, 3, 6, 10, 0, 5, tzinfo=UTC),
        mod_count=12,
        state="Closed",
        priority=2,
        impact=1,
        urgency=3,
        category="Hardware",
        subcategory="Printer",
        service="Print services",
        configuration_item="PRN-3F-01",
        assignment_group="Service Desk",
        caller="Abel Tuter",
        department="Finance",
        location="Lisbon HQ",
        short_description="Printer offline",
        description="Nobody on the floor\ncan print",
        resolution_notes="Restarted the spooler",
        reopen_count=1,
    )


def test_a_minimal_mapping_gives_defaults() -> None:
    cleaner = RowCleaner({"number": 1, "opened_at": 0}, date_order=DateOrder.YMD, tz=UTC)

    result = cleaner.clean(["2024-01-01 10:00", "INC9"])

    assert result.number == "INC9"
    assert result.opened_at == datetime(2024, 1, 1, 10, 0, tzinfo=UTC)
    assert (result.resolved_at, result.mod_count, result.priority) == (None, None, None)
    assert (result.state, result.description, result.reopen_count) == ("", "", 0)


def test_naive_times_are_wall_clock_time_in_the_import_zone() -> None:
    result = clean(opened_at="1/7/2016 12:00", resolved_at="1/7/2016 12:00 +00:00")

    assert result.opened_at.utcoffset() == timedelta(hours=1)  # Lisbon in summer
    assert result.resolved_at == datetime(2016, 7, 1, 12, 0, tzinfo=UTC)
    # So the "same" wall-clock time with an explicit UTC offset is an hour later.
    assert result.resolved_at - result.opened_at == timedelta(hours=1)


def test_resolved_before_opened_is_kept() -> None:
    result = clean(opened_at="5/3/2016 12:00", resolved_at="1/3/2016 12:00")

    assert result.resolved_at is not None
    assert result.resolved_at < result.opened_at


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"number": ""}, "number: missing"),
        ({"number": " ? "}, "number: missing"),
        ({"number": "X" * 65}, "number: longer than 64 characters"),
        ({"opened_at": ""}, "opened_at: missing"),
        ({"opened_at": "NULL"}, "opened_at: missing"),
        ({"opened_at": "2016-13-45"}, "opened_at: not a date: '2016-13-45'"),
        ({"closed_at": "31/31/2020"}, "closed_at: not a date: '31/31/2020'"),
        ({"priority": "6"}, "priority: not a level from 1 to 5: '6'"),
        ({"impact": "0 - None"}, "impact: not a level from 1 to 5: '0 - None'"),
        ({"urgency": "2.5"}, "urgency: not a level from 1 to 5: '2.5'"),
        ({"priority": "urgent"}, "priority: not a level from 1 to 5: 'urgent'"),
        ({"mod_count": "-1"}, "mod_count: not a whole number: '-1'"),
        ({"reopen_count": "twice"}, "reopen_count: not a whole number: 'twice'"),
        (
            {"number": "", "opened_at": "soon", "priority": "9"},
            "number: missing; opened_at: not a date: 'soon'; "
            "priority: not a level from 1 to 5: '9'",
        ),
    ],
)
def test_it_names_the_column_and_the_reason(values: dict[str, str], expected: str) -> None:
    assert reason(**values) == expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("1", 1),
        ("2 - Medium", 2),
        ("3 – Moderate", 3),  # noqa: RUF001 (an en dash, as some exports write it)
        ("4: Low", 4),
        ("P2", 2),
        ("p5", 5),
        ("2.0", 2),
        ("5 Planning", 5),
        ("Highest", 1),
        ("critical", 1),
        ("High", 2),
        ("Medium", 3),
        ("Low", 4),
        ("LOWEST", 5),
        ("", None),
        ("?", None),
        ("n/a", None),
    ],
)
def test_it_reads_levels(text: str, level: int | None) -> None:
    result = clean(priority=text, impact=text, urgency=text)

    assert (result.priority, result.impact, result.urgency) == (level, level, level)


@pytest.mark.parametrize(("text", "count"), [("0", 0), ("3", 3), ("3.0", 3), (" 12 ", 12)])
def test_it_reads_counts(text: str, count: int) -> None:
    result = clean(mod_count=text, reopen_count=text)

    assert (result.mod_count, result.reopen_count) == (count, count)


def test_missing_counts_are_none_and_zero_reopens() -> None:
    result = clean(mod_count="?", reopen_count="")

    assert (result.mod_count, result.reopen_count) == (None, 0)


def test_a_short_row_is_refused() -> None:
    cleaner = RowCleaner({"number": 0, "opened_at": 1, "state": 9}, date_order=DMY, tz=UTC)

    with pytest.raises(RowError) as caught:
        cleaner.clean(["INC1", "29/2/2016 01:16", "New"])

    assert str(caught.value) == "row has 3 values, the header has 10"


def test_a_row_longer_than_the_mapping_needs_is_fine() -> None:
    cleaner = RowCleaner({"number": 0, "opened_at": 1}, date_order=DMY, tz=UTC)

    assert cleaner.clean(["INC1", "29/2/2016 01:16", "extra", "more"]).number == "INC1"


def test_text_is_trimmed_freed_of_nul_and_capped() -> None:
    result = clean(
        short_description="\0  Disk\0 full \t",
        description="x" * 25_000,
        category="  ?  ",
        caller="None",
        state=" In  Progress ",
    )

    assert result.short_description == "Disk full"
    assert result.description == "x" * TEXT_LIMITS["description"]
    assert (result.category, result.caller) == ("", "")
    assert result.state == "In  Progress"  # inner spaces are the source's business


def test_text_limits_are_the_documented_ones() -> None:
    assert TEXT_LIMITS == {
        "number": 64,
        "state": 64,
        "category": 120,
        "subcategory": 120,
        "service": 200,
        "configuration_item": 200,
        "assignment_group": 200,
        "caller": 200,
        "department": 200,
        "location": 200,
        "short_description": 500,
        "description": 20000,
        "resolution_notes": 20000,
    }


@pytest.mark.parametrize("value", ["", " ", "?", "NULL", "N/A", "na", "None", " - "])
def test_missing_markers(value: str) -> None:
    assert is_missing(value)


@pytest.mark.parametrize("value", ["0", "--", "unknown", "nan?"])
def test_values_that_are_not_missing(value: str) -> None:
    assert not is_missing(value)
    assert value.strip().lower() not in MISSING


def test_a_mapping_without_the_required_columns_is_a_caller_mistake() -> None:
    with pytest.raises(ValueError, match="needs a column for opened_at"):
        RowCleaner({"number": 0}, date_order=DMY, tz=UTC)
    with pytest.raises(ValueError, match="unknown fields: colour"):
        RowCleaner({"number": 0, "opened_at": 1, "colour": 2}, date_order=DMY, tz=UTC)


def test_clean_rows_use_slots() -> None:
    assert not hasattr(clean(), "__dict__")


def test_servicenow_field_names_file() -> None:
    result = import_file(FILES / "servicenow_fields.csv", tz=LISBON)

    assert result.order == DateOrder.YMD
    assert result.errors == {
        4: "opened_at: not a date: '2024-13-45 10:00:00'",
        5: "number: missing",
    }
    first = result.clean[2]
    assert first.short_description == "Printer offline, 3rd floor"
    assert (first.priority, first.impact, first.urgency) == (2, 2, 1)
    assert first.opened_at == datetime(2024, 3, 4, 9, 15, 2, tzinfo=LISBON)
    assert first.updated_at == datetime(2024, 3, 7, 11, 5, tzinfo=LISBON)
    second = result.clean[3]
    assert (second.resolved_at, second.configuration_item, second.description) == (None, "", "")
    assert (second.priority, second.reopen_count) == (3, 1)


def test_servicenow_labels_file() -> None:
    result = import_file(FILES / "servicenow_labels.csv", tz=UTC)

    assert (result.order, result.errors, sorted(result.clean)) == (DMY, {}, [2, 3, 5])
    assert result.clean[2].short_description == "Écran noir au démarrage"
    assert result.clean[2].priority == 1
    assert result.clean[3].description.startswith("Outlook crashes when opening")
    assert result.clean[3].mod_count == 7
    assert result.clean[5].closed_at == datetime(2024, 4, 5, 18, 0, tzinfo=UTC)


def test_windows_1252_file() -> None:
    result = import_file(FILES / "windows_1252.csv")

    assert (result.order, result.errors) == (DMY, {})
    assert result.clean[2].short_description == "Coût de la licence: 1 200 €"
    assert result.clean[2].department == "Comptabilité"
    assert result.clean[2].opened_at == datetime(2024, 1, 25, 8, 30, tzinfo=UTC)


def test_tab_separated_file() -> None:
    result = import_file(FILES / "tabs.tsv", tz=LISBON)

    assert (result.order, result.errors) == (DateOrder.YMD, {})
    assert result.clean[2].opened_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert result.clean[2].resolved_at == datetime(
        2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))
    )
    assert result.clean[3].opened_at == datetime(2024, 5, 2, 10, 15, tzinfo=LISBON)
    assert result.clean[3].priority == 3


def test_event_log_file() -> None:
    result = import_file(FILES / "event_log.csv", tz=LISBON)

    assert result.guess.event_log
    assert (result.order, result.errors) == (DMY, {})
    assert [(r.number, r.mod_count, r.state) for r in result.clean.values()] == [
        ("0000045", 0, "New"),
        ("0000045", 2, "Resolved"),
        ("0000045", 3, "Resolved"),
        ("0000045", 4, "Closed"),
        ("0000060", 0, "New"),
        ("0000060", 1, "Active"),
        ("0000060", 2, "Resolved"),
        ("0000060", 3, "Closed"),
        ("0000062", 0, "New"),
    ]
    first = result.clean[2]
    assert (first.category, first.subcategory, first.caller, first.location) == (
        "55",
        "170",
        "2403",
        "143",
    )
    assert first.configuration_item == ""  # "?" in the file
    assert first.opened_at == datetime(2016, 2, 29, 1, 16, tzinfo=LISBON)
    assert first.closed_at == datetime(2016, 3, 5, 12, 0, tzinfo=LISBON)
    assert (result.clean[10].resolved_at, result.clean[10].closed_at) == (None, None)


def test_jira_file() -> None:
    result = import_file(FILES / "jira.csv", tz=UTC)

    assert (result.order, result.errors) == (DMY, {})
    first, second = result.clean[2], result.clean[3]
    assert (first.number, first.priority, first.service, first.department) == (
        "ITSM-101",
        2,
        "Hardware",
        "Finance",
    )
    assert first.opened_at == datetime(2024, 2, 29, 10, 15, tzinfo=UTC)
    assert first.resolved_at == datetime(2024, 3, 1, 16, 0, tzinfo=UTC)
    assert (second.priority, second.caller, second.resolved_at) == (1, "Carol Coughlin", None)
    assert second.opened_at == datetime(2024, 3, 4, 0, 5, tzinfo=UTC)  # 12:05 AM


def test_us_dates_file() -> None:
    result = import_file(FILES / "us_dates.csv", tz=UTC)

    assert (result.order, result.errors) == (DateOrder.MDY, {})
    assert result.clean[2].opened_at == datetime(2024, 3, 4, 0, 5, tzinfo=UTC)
    assert result.clean[2].resolved_at == datetime(2024, 3, 4, 12, 30, tzinfo=UTC)
    assert result.clean[3].resolved_at == datetime(2024, 11, 10, 17, 45, 30, tzinfo=UTC)


def test_ambiguous_dates_file_needs_the_user() -> None:
    asked = import_file(FILES / "ambiguous_dates.csv")
    as_mdy = import_file(FILES / "ambiguous_dates.csv", order=DateOrder.MDY)

    assert asked.order is None
    assert as_mdy.clean[2].opened_at == datetime(2024, 3, 4, 10, 0, tzinfo=UTC)


def test_xlsx_file() -> None:
    result = import_file(FILES / "servicenow.xlsx", tz=LISBON)

    assert (result.kind, result.order, result.errors) == ("xlsx", DateOrder.YMD, {})
    first, second = result.clean[3], result.clean[5]
    assert first.opened_at == datetime(2024, 3, 4, 9, 15, 2, tzinfo=LISBON)
    assert (first.priority, first.impact, first.urgency, first.reopen_count) == (2, 2, 1, 0)
    assert first.configuration_item == "2.5"
    assert second.opened_at == datetime(2024, 3, 5, tzinfo=LISBON)
    assert (second.priority, second.resolved_at) == (3, None)
