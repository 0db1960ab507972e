"""Cleaning one row of an export into a typed record, or a reason why it cannot be."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from incidents.parsing.dates import DateOrder, _quote, parse_datetime
from incidents.parsing.formats import FIELDS

# Compared after strip().lower(). "?" is what the UCI event log writes for a missing value.
# The canonical fields that hold a date and time.
DATE_FIELDS = ("opened_at", "resolved_at", "closed_at", "updated_at")
MISSING: frozenset[str] = frozenset({"", "?", "null", "n/a", "na", "none", "-"})
_LONGEST_MARKER = max(len(marker) for marker in MISSING)

TEXT_LIMITS: dict[str, int] = {
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

# "2", "2 - Medium" (or with an en dash or a colon), "P2", "2.0": the leading whole number.
_LEVEL = re.compile(r"\s*[Pp]?(\d{1,3})(?:\.0*)?(?:\s*[-\u2013:].*|\s+\D.*)?\s*$", re.DOTALL)
# Level names without a number: Jira's priorities (current and older schemes) and ServiceNow's.
LEVEL_NAMES = {
    "highest": 1,
    "critical": 1,
    "blocker": 1,
    "high": 2,
    "medium": 3,
    "moderate": 3,
    "major": 3,
    "low": 4,
    "minor": 4,
    "lowest": 5,
    "planning": 5,
    "trivial": 5,
}
_COUNT = re.compile(r"\s*(\d{1,9})(?:\.0*)?\s*$")


def is_missing(value: str) -> bool:
    return value.strip().lower() in MISSING


class RowError(ValueError):
    """A row that cannot be imported; ``str(exc)`` names the column(s) and the reason."""


@dataclass(slots=True)
class CleanRow:
    """One row of an export, typed: datetimes aware, text trimmed and capped, "" when missing."""

    number: str
    opened_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime | None
    mod_count: int | None
    state: str
    priority: int | None
    impact: int | None
    urgency: int | None
    category: str
    subcategory: str
    service: str
    configuration_item: str
    assignment_group: str
    caller: str
    department: str
    location: str
    short_description: str
    description: str
    resolution_notes: str
    reopen_count: int


class RowCleaner:
    """Turns the values of one row into a CleanRow, following a confirmed column mapping.

    ``mapping`` is canonical field -> column index and must name ``number`` and
    ``opened_at`` (a ValueError otherwise: that is a mistake of the caller, not of a row).
    Naive datetimes are read as wall-clock time in ``tz``.
    """

    def __init__(self, mapping: dict[str, int], *, date_order: DateOrder, tz: tzinfo) -> None:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise ValueError(f"The mapping names unknown fields: {', '.join(unknown)}.")
        for field in ("number", "opened_at"):
            if field not in mapping:
                raise ValueError(f"The mapping needs a column for {field}.")
        if any(index < 0 for index in mapping.values()):
            raise ValueError("The mapping has a negative column index.")
        self._mapping = dict(mapping)
        self._width = max(mapping.values()) + 1
        self._order = date_order
        self._tz = tz

    def clean(self, values: list[str]) -> CleanRow:
        if len(values) < self._width:
            raise RowError(f"row has {len(values)} values, the header has {self._width}")
        # Every problem of the row is reported at once, so that one fix round is enough.
        errors: list[str] = []

        number = self._raw(values, "number").replace("\0", "").strip()
        if is_missing(number):
            errors.append("number: missing")
        elif len(number) > TEXT_LIMITS["number"]:
            # The number is the natural key of the upsert: cutting it could merge incidents.
            errors.append(f"number: longer than {TEXT_LIMITS['number']} characters")

        before = len(errors)
        opened_at = self._datetime(values, "opened_at", errors)
        if opened_at is None and len(errors) == before:
            errors.append("opened_at: missing")
        resolved_at = self._datetime(values, "resolved_at", errors)
        closed_at = self._datetime(values, "closed_at", errors)
        updated_at = self._datetime(values, "updated_at", errors)
        mod_count = self._count(values, "mod_count", errors)
        priority = self._level(values, "priority", errors)
        impact = self._level(values, "impact", errors)
        urgency = self._level(values, "urgency", errors)
        reopen_count = self._count(values, "reopen_count", errors)

        if errors or opened_at is None:
            raise RowError("; ".join(errors))
        return CleanRow(
            number=number,
            opened_at=opened_at,
            resolved_at=resolved_at,
            closed_at=closed_at,
            updated_at=updated_at,
            mod_count=mod_count,
            state=self._text(values, "state"),
            priority=priority,
            impact=impact,
            urgency=urgency,
            category=self._text(values, "category"),
            subcategory=self._text(values, "subcategory"),
            service=self._text(values, "service"),
            configuration_item=self._text(values, "configuration_item"),
            assignment_group=self._text(values, "assignment_group"),
            caller=self._text(values, "caller"),
            department=self._text(values, "department"),
            location=self._text(values, "location"),
            short_description=self._text(values, "short_description"),
            description=self._text(values, "description"),
            resolution_notes=self._text(values, "resolution_notes"),
            reopen_count=reopen_count or 0,
        )

    def _raw(self, values: list[str], field: str) -> str:
        index = self._mapping.get(field)
        return "" if index is None else values[index]

    def _text(self, values: list[str], field: str) -> str:
        value = self._raw(values, field)
        if "\0" in value:
            value = value.replace("\0", "")
        value = value.strip()
        # Markers are short; lower-casing every 20,000-character description would cost time.
        if len(value) <= _LONGEST_MARKER and value.lower() in MISSING:
            return ""
        return value[: TEXT_LIMITS[field]]

    def _datetime(self, values: list[str], field: str, errors: list[str]) -> datetime | None:
        value = self._raw(values, field)
        if is_missing(value):
            return None
        try:
            parsed = parse_datetime(value, self._order)
        except ValueError as exc:
            errors.append(f"{field}: {exc}")
            return None
        if parsed.tzinfo is not None:
            return parsed
        # replace() is right for zoneinfo zones (PEP 495); a time in a spring-forward gap
        # takes the offset from before the change, which is as good a guess as any.
        return parsed.replace(tzinfo=self._tz)

    def _level(self, values: list[str], field: str, errors: list[str]) -> int | None:
        value = self._raw(values, field)
        if is_missing(value):
            return None
        match = _LEVEL.match(value)
        if match is not None:
            level = int(match[1])
        else:
            named = LEVEL_NAMES.get(value.strip().lower())
            if named is None:
                errors.append(f"{field}: not a level from 1 to 5: {_quote(value)}")
                return None
            level = named
        if not 1 <= level <= 5:
            errors.append(f"{field}: not a level from 1 to 5: {_quote(value)}")
            return None
        return level

    def _count(self, values: list[str], field: str, errors: list[str]) -> int | None:
        value = self._raw(values, field)
        if is_missing(value):
            return None
        match = _COUNT.match(value)
        if match is None:
            errors.append(f"{field}: not a whole number: {_quote(value)}")
            return None
        return int(match[1])
