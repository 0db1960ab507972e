from __future__ import annotations

import pytest

from incidents.parsing import FIELDS, detect_format, header_key, mapping_from_names, open_table
from tests.incidents.parsing.helpers import FILES, UCI_HEADERS, UCI_MAPPING


def headers_of(name: str) -> list[str]:
    with open_table(FILES / name) as table:
        return table.headers


def test_fields_are_the_canonical_ones() -> None:
    assert FIELDS == (
        "number",
        "opened_at",
        "resolved_at",
        "closed_at",
        "updated_at",
        "mod_count",
        "state",
        "priority",
        "impact",
        "urgency",
        "category",
        "subcategory",
        "service",
        "configuration_item",
        "assignment_group",
        "caller",
        "department",
        "location",
        "short_description",
        "description",
        "resolution_notes",
        "reopen_count",
    )


def test_it_recognises_the_uci_event_log() -> None:
    guess = detect_format(UCI_HEADERS)

    assert guess.name == "servicenow"
    assert guess.event_log
    assert guess.mapping == UCI_MAPPING
    assert guess.unmapped == [h for i, h in enumerate(UCI_HEADERS) if i not in UCI_MAPPING.values()]


def test_the_event_log_sample_has_the_uci_header() -> None:
    assert headers_of("event_log.csv") == UCI_HEADERS


def test_it_recognises_servicenow_field_names() -> None:
    guess = detect_format(headers_of("servicenow_fields.csv"))

    assert (guess.name, guess.event_log, guess.unmapped) == ("servicenow", False, [])
    assert guess.mapping == {
        "number": 0,
        "opened_at": 1,
        "resolved_at": 15,
        "closed_at": 16,
        "updated_at": 19,  # sys_updated_on: a plain export, not an event log
        "state": 12,
        "priority": 9,
        "impact": 10,
        "urgency": 11,
        "category": 5,
        "subcategory": 6,
        "service": 7,
        "configuration_item": 8,
        "assignment_group": 13,
        "caller": 3,
        "department": 4,
        "location": 14,
        "short_description": 2,
        "description": 20,
        "resolution_notes": 17,
        "reopen_count": 18,
    }


def test_it_recognises_servicenow_list_labels() -> None:
    guess = detect_format(headers_of("servicenow_labels.csv"))

    assert (guess.name, guess.event_log, guess.unmapped) == ("servicenow_labels", False, [])
    assert guess.mapping == {
        "number": 0,
        "opened_at": 1,
        "resolved_at": 16,
        "closed_at": 17,
        "updated_at": 20,
        "mod_count": 21,
        "state": 13,
        "priority": 10,
        "impact": 11,
        "urgency": 12,
        "category": 6,
        "subcategory": 7,
        "service": 8,
        "configuration_item": 9,
        "assignment_group": 14,
        "caller": 4,
        "department": 5,
        "location": 15,
        "short_description": 2,
        "description": 3,
        "resolution_notes": 18,
        "reopen_count": 19,
    }


def test_it_recognises_jira_and_takes_the_first_component() -> None:
    headers = headers_of("jira.csv")
    guess = detect_format(headers)

    assert guess.name == "jira"
    assert guess.mapping == {
        "number": 0,
        "opened_at": 8,
        "resolved_at": 10,
        "updated_at": 9,
        "state": 4,
        "priority": 5,
        "service": 11,
        "caller": 7,
        "department": 15,
        "short_description": 2,
        "description": 14,
    }
    assert guess.unmapped == ["Issue id", "Issue Type", "Assignee", "Component/s", "Labels"]


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("windows_1252.csv", "servicenow_labels"),
        ("tabs.tsv", "servicenow"),
        ("us_dates.csv", "servicenow_labels"),
        ("ambiguous_dates.csv", "servicenow"),
        ("servicenow.xlsx", "servicenow_labels"),
    ],
)
def test_it_names_the_format_of_each_sample(name: str, format_name: str) -> None:
    assert detect_format(headers_of(name)).name == format_name


def test_an_explicit_subcategory_wins_over_a_repeated_category() -> None:
    guess = detect_format(["number", "opened_at", "category", "category", "subcategory"])

    assert guess.mapping["category"] == 2
    assert guess.mapping["subcategory"] == 4
    assert guess.unmapped == ["category"]


def test_a_repeated_category_label_is_the_subcategory() -> None:
    guess = detect_format(["Number", "Opened", "Category", "Category"])

    assert guess.mapping == {"number": 0, "opened_at": 1, "category": 2, "subcategory": 3}


def test_incident_state_wins_over_state_wherever_it_stands() -> None:
    assert detect_format(["number", "opened_at", "state", "incident_state"]).mapping["state"] == 3
    assert detect_format(["number", "opened_at", "incident_state", "state"]).mapping["state"] == 2


def test_headers_match_ignoring_case_spacing_and_a_bom() -> None:
    guess = detect_format(["\ufeffNUMBER ", "  Opened", "Short   description", "ASSIGNMENT GROUP"])

    assert guess.name == "servicenow_labels"
    assert guess.mapping == {
        "number": 0,
        "opened_at": 1,
        "assignment_group": 3,
        "short_description": 2,
    }


def test_it_is_unknown_without_a_number_or_an_opening_time() -> None:
    no_opened = detect_format(["number", "short_description", "priority"])
    nothing = detect_format(["foo", "bar"])

    assert no_opened.name == "unknown"
    # What could be recognised is still offered, for the user to complete.
    assert no_opened.mapping == {"number": 0, "priority": 2, "short_description": 1}
    assert (nothing.name, nothing.mapping, nothing.unmapped) == ("unknown", {}, ["foo", "bar"])


def test_a_mixed_header_borrows_from_other_families() -> None:
    guess = detect_format(["number", "opened_at", "closed_at", "Short description", "Reporter"])

    assert guess.name == "servicenow"
    assert guess.mapping == {
        "number": 0,
        "opened_at": 1,
        "closed_at": 2,
        "caller": 4,
        "short_description": 3,
    }


@pytest.mark.parametrize(
    ("headers", "event_log"),
    [
        (["number", "opened_at", "sys_mod_count"], True),
        (["number", "opened_at", "sys_updated_at"], True),
        (["number", "opened_at", "sys_updated_on"], False),
        (["Number", "Opened", "Updated", "Updates"], False),
    ],
)
def test_an_event_log_has_servicenow_audit_columns(headers: list[str], event_log: bool) -> None:
    assert detect_format(headers).event_log is event_log


def test_header_key_numbers_repeated_names() -> None:
    headers = ["number", "category", "category", " category ", "opened_at"]

    assert [header_key(headers, index) for index in range(5)] == [
        "number",
        "category",
        "category#2",
        "category#3",
        "opened_at",
    ]


def test_a_saved_profile_maps_the_same_columns_again() -> None:
    guess = detect_format(UCI_HEADERS)
    profile = {field: header_key(UCI_HEADERS, index) for field, index in guess.mapping.items()}

    assert profile["subcategory"] == "category#2"
    assert mapping_from_names(UCI_HEADERS, profile) == guess.mapping


def test_a_profile_skips_unknown_names_and_tolerates_case() -> None:
    headers = ["Number", "Opened", "Category", "Category"]
    names = {
        "number": "NUMBER",
        "opened_at": "Opened",
        "subcategory": "category#2",
        "caller": "Caller",  # not in this file
        "not_a_field": "Number",
    }

    assert mapping_from_names(headers, names) == {"number": 0, "opened_at": 1, "subcategory": 3}
