"""The real UCI incident event log, end to end: every row read, cleaned or rejected with a reason.

Data: "Incident management process enriched event log", UCI Machine Learning Repository
(dataset 498), by Claudio Amaral, Marcelo Fantinato and Sarajane Peres, CC BY 4.0; see
/work/shared/data/README.md for how this re-shared copy differs from the original.
"""

from __future__ import annotations

import hashlib
import itertools
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from incidents.parsing import (
    CleanRow,
    DateOrder,
    RowCleaner,
    RowError,
    detect_date_order,
    detect_format,
    open_table,
)
from tests.incidents.parsing.helpers import DATE_FIELDS, UCI_MAPPING

ARCHIVE = Path("/work/shared/data/uci-incident-event-log/incident_event_log.zip")
SHA256 = "88af0d0e2b066fe5de9a396b5baa2dd87ff1ded3117a66c844a2e73b27ac053b"
LISBON = ZoneInfo("Europe/Lisbon")


@pytest.fixture
def event_log(tmp_path: Path) -> Path:
    if not ARCHIVE.exists():
        pytest.skip(f"the UCI event log is not at {ARCHIVE}")
    assert hashlib.sha256(ARCHIVE.read_bytes()).hexdigest() == SHA256, "not the documented copy"
    with zipfile.ZipFile(ARCHIVE) as archive:
        archive.extractall(tmp_path)
    return tmp_path / "incident_event_log" / "incident_event_log.csv"


def test_every_row_of_the_real_event_log_is_accounted_for(event_log: Path) -> None:
    read = 0
    clean: list[CleanRow] = []
    rejected: dict[int, str] = {}
    with open_table(event_log) as table:
        assert (table.kind, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
        guess = detect_format(table.headers)
        assert (guess.name, guess.event_log) == ("servicenow", True)
        assert guess.mapping == UCI_MAPPING

        # The engine samples the first rows for the date order, then cleans them with the rest.
        first = list(itertools.islice(table.rows, 1000))
        columns = [guess.mapping[field] for field in DATE_FIELDS]
        order = detect_date_order(values[c] for _, values in first for c in columns)
        assert order == DateOrder.DMY

        cleaner = RowCleaner(guess.mapping, date_order=order, tz=LISBON)
        for number, values in itertools.chain(first, table.rows):
            read += 1
            try:
                clean.append(cleaner.clean(values))
            except RowError as exc:
                rejected[number] = str(exc)

    print(f"UCI event log: {read} rows read, {len(clean)} clean, {len(rejected)} rejected")
    assert read == 141_712
    assert len(clean) + len(rejected) == read
    assert len(rejected) <= read // 1000
    assert all(reason.strip() for reason in rejected.values())

    assert clean[0] == CleanRow(
        number="0000045",
        opened_at=datetime(2016, 2, 29, 1, 16, tzinfo=LISBON),
        resolved_at=datetime(2016, 2, 29, 11, 29, tzinfo=LISBON),
        closed_at=datetime(2016, 3, 5, 12, 0, tzinfo=LISBON),
        updated_at=datetime(2016, 2, 29, 1, 23, tzinfo=LISBON),
        mod_count=0,
        state="New",
        priority=3,
        impact=2,
        urgency=2,
        category="55",
        subcategory="170",
        service="",
        configuration_item="",
        assignment_group="56",
        caller="2403",
        department="",
        location="143",
        short_description="",
        description="",
        resolution_notes="",
        reopen_count=0,
    )
    assert len({row.number for row in clean}) == 24_918
    # 3,141 rows of the file say "?" for resolved_at.
    assert sum(row.resolved_at is None for row in clean) == 3_141
