"""The SQL fast path of imports on PostgreSQL reads every file as the Python path does."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents import importer
from incidents.models import ImportBatch, Incident
from incidents.sqlclean import QuoteCheck

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL fast path is PostgreSQL's"
)

HEADER = [
    "number",
    "opened_at",
    "resolved_at",
    "sys_updated_at",
    "sys_mod_count",
    "priority",
    "impact",
    "reopen_count",
    "short_description",
    "caller_id.department",
    "location",
    "state",
]
MISSING = ["", "?", "NULL", "n/a", " ? ", "-", "None"]
TEXTS = ["VPN drops", "  padded  ", "\u00a0nbsp\u00a0", "Zoë ünïcode", "a,b", 'say "hi"', "x" * 600]
DATES = [
    "2016-02-29 10:15:00",
    "2016-02-30 10:15:00",
    "2015-02-29 00:00",
    "2024-03-31 01:30:00",  # in the spring-forward gap in London
    "2024-10-27 01:30:00",  # in the repeated hour in London
    "2024-10-27 00:59:59",
    "2024-10-27 02:00:00",
    "1899-12-31 23:59:59",
    "2199-12-31 23:59:59",
    "2024-1-2 3:04",
    "2024-01-02T03:04:05",
    "2024-01-02 24:00",
    "2024-01-02 10:60",
    "2024-01-02",
    " 2024-01-02 10:00",
    "2024-01-02 10:00:00Z",
    "2024-01-02 10:00:00.5",
    "not a date",
]
YEAR_LAST = [
    "29/2/2016 01:16",
    "31/4/2016 01:16",
    "1/13/2016 10:00",
    "12/12/2016 12:00 AM",
    "12/12/2016 12:00 PM",
    "1/1/2016 0:00 PM",
    "1/1/2016 13:00 PM",
    "1/1/2016 1:00pm",
    "27/10/2024 01:30",
    "5/6/2016",
    "5-6-2016 10:00",
]
LEVELS = [
    "1",
    "5",
    "0",
    "6",
    "2 - High",
    "3 \u2013 Moderate",
    "P2",
    "2.0",
    "High",
    "critical",
    "9 - x",
]
COUNTS = ["0", "3", "12", "1.0", "-1", "x", " 4 ", "1234567890"]


# Values the SQL cleaner takes as they are. A row goes to SQL only when every one of its
# values is plain, so the files draw mostly plain values: otherwise nearly every row would go
# to the Python cleaner and the two paths would hardly be compared.
PLAIN = {
    "iso": [
        "2016-02-29 10:15:00",
        "2024-03-31 01:30:00",
        "2024-10-27 01:30:00",
        "2024-10-27 00:59:59",
        "2024-01-02 03:04:05",
    ],
    "year_last": ["29/2/2016 01:16", "27/10/2024 01:30", "5/6/2016 10:00", "12/12/2016 12:00"],
    "level": ["1", "5", "2 - High", "High", "critical"],
    "count": ["0", "3", "12"],
    "text": ["VPN drops", "Zoë ünïcode", "a,b", 'say "hi"', ""],
    "number": ["INC1", "INC2", "INC3"],
}


def value(plain: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Nine times in ten a plain value, else anything of `odd` or a missing marker."""
    return st.one_of(*[st.sampled_from(plain)] * 9, st.sampled_from(odd + MISSING))


def rows(dates: list[str], plain_dates: list[str]) -> st.SearchStrategy[list[list[str]]]:
    row = st.tuples(
        value(PLAIN["number"], [" INC4 ", "x" * 70, ""]),
        value(plain_dates, dates),
        value(plain_dates, dates),
        value(plain_dates, dates),
        value(PLAIN["count"], COUNTS),
        value(PLAIN["level"], LEVELS),
        value(PLAIN["level"], LEVELS),
        value(PLAIN["count"], COUNTS),
        value(PLAIN["text"], TEXTS),
        value(PLAIN["text"], TEXTS),
        value(PLAIN["text"], TEXTS),
        value(PLAIN["text"], [""]) | st.text(max_size=8),
    ).map(list)
    return st.lists(row, min_size=1, max_size=12)


def write(path: Path, data: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    out = csv.writer(buffer)
    out.writerow(HEADER)
    out.writerows(data)
    path.write_bytes(buffer.getvalue().replace("\0", "").encode("utf-8", "replace"))
    return path


def imported(path: Path, source: str, *args: str) -> tuple[list[tuple[object, ...]], list[object]]:
    call_command(
        "import_incidents",
        str(path),
        "--source",
        source,
        *args,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    batch = ImportBatch.objects.latest("pk")
    fields = [f.name for f in Incident._meta.fields if f.name not in ("id", "source", "last_batch")]
    fields.remove("imported_at")
    incidents = list(Incident.objects.filter(source=source).order_by("number").values_list(*fields))
    return incidents, [
        batch.summary,
        batch.incidents,
        list(batch.rejections.values_list("row_number", "reason", "values")),
    ]


def leftovers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts, per import that left any, the rows the SQL cleaner left to the Python one."""
    counts: list[int] = []
    original = importer._clean_leftovers

    def spy(*args: object) -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM itrm_stage WHERE NOT ok")
            counts.append(cur.fetchone()[0])
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "_clean_leftovers", spy)
    return counts


@pytest.mark.parametrize(("kind", "order"), [("iso", "ymd"), ("year_last", "dmy")])
def test_rows_of_plain_values_are_cleaned_in_sql_alone(db, tmp_path, monkeypatch, kind, order):
    dates = PLAIN[kind]
    data = [
        [
            PLAIN["number"][n % 3] + str(n),
            dates[n % len(dates)],
            dates[(n + 1) % len(dates)],
            dates[(n + 2) % len(dates)],
            PLAIN["count"][n % 3],
            PLAIN["level"][n % 5],
            PLAIN["level"][(n + 1) % 5],
            PLAIN["count"][(n + 1) % 3],
            *(PLAIN["text"][(n + k) % 5] for k in range(3)),
            "New",
        ]
        for n in range(20)
    ]
    left = leftovers(monkeypatch)
    both_ways(write(tmp_path / "plain.csv", data), monkeypatch, "--date-order", order)
    assert left == []  # no row was left to the Python cleaner: SQL cleaned them all


def both_ways(path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> None:
    used: list[bool] = []
    fits = importer._fast_path_fits

    def spy(*a: object) -> bool:
        used.append(fits(*a))  # type: ignore[arg-type]
        return used[-1]

    monkeypatch.setattr(importer, "_fast_path_fits", spy)
    fast = imported(path, "fast", *args)
    monkeypatch.setattr(importer, "_fast_path_fits", lambda *a: False)
    slow = imported(path, "slow", *args)
    assert used == [True]
    assert fast == slow
    # Both digests agree, so a second import through the other path changes nothing.
    monkeypatch.setattr(importer, "_fast_path_fits", spy)
    again = imported(path, "slow", *args)
    assert ", created 0, updated 0, " in str(again[1][0])


SETTINGS = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=rows(DATES, PLAIN["iso"]))
def test_iso_files_read_the_same_in_sql_and_in_python(db, tmp_path, monkeypatch, data):
    Incident.objects.all().delete()
    both_ways(write(tmp_path / "iso.csv", data), monkeypatch, "--date-order", "ymd")


@SETTINGS
@given(data=rows(YEAR_LAST, PLAIN["year_last"]), order=st.sampled_from(["dmy", "mdy"]))
def test_day_first_and_month_first_files_read_the_same(db, tmp_path, monkeypatch, data, order):
    Incident.objects.all().delete()
    both_ways(write(tmp_path / "dmy.csv", data), monkeypatch, "--date-order", order)


def test_the_repeated_hour_is_its_first_instant_as_in_python(db, tmp_path, monkeypatch):
    path = write(tmp_path / "dst.csv", [["INC1", "2024-10-27 01:30:00"] + [""] * 10])
    both_ways(path, monkeypatch)
    opened = Incident.objects.get(source="fast").opened_at
    assert opened.isoformat() == "2024-10-27T00:30:00+00:00"  # 01:30 BST, not 01:30 GMT


@pytest.mark.parametrize(
    "text",
    [
        'INC1,2024-01-02 10:00,5" monitor,x\n',  # a quote inside an unquoted field
        'INC1,2024-01-02 10:00,ab"",x\n',
        'INC1,2024-01-02 10:00,"ab"c,x\n',  # text after a closing quote
        "INC1,2024-01-02 10:00,a,x\n\\.\nINC2,2024-01-02 10:00,b,y\n",  # COPY's end marker
        "INC1,2024-01-02 10:00,a\n",  # a short row
        "INC1,2024-01-02 10:00,a,b,c\n",  # a long row
        "INC1,2024-01-02 10:00,a\0b,x\n",
        "INC1,2024-01-02 10:00,\xff,x\n",
    ],
)
def test_files_postgres_would_read_differently_go_the_python_way(db, tmp_path, monkeypatch, text):
    path = tmp_path / "odd.csv"
    path.write_bytes(
        ("number,opened_at,short_description,location\n" + text).encode("utf-8", "surrogateescape")
        if "\xff" not in text
        else ("number,opened_at,short_description,location\n" + text).encode("latin-1")
    )
    monkeypatch.setattr(importer, "_fast_path_fits", importer._fast_path_fits)
    fast = imported(path, "fast")
    monkeypatch.setattr(importer, "_fast_path_fits", lambda *a: False)
    assert imported(path, "slow") == fast


def test_quote_check_in_pieces_finds_the_record_ends():
    data = b'a,"b\n""c""",d\ne,f,g\n"h",i,j\n'
    record_ends = {14, 20, 28}
    for cut in range(1, len(data)):
        check = QuoteCheck(",")
        first = check.feed(data[:cut])
        second = check.feed(data[cut:])
        assert check.ok
        assert first == max((e for e in record_ends if e <= cut), default=0)
        assert second == 0 or cut + second == 28
    for bad in (b'a,b"c,d\n', b'a,"b"c,d\n', b'a," b",c\n\\.\n'):
        check = QuoteCheck(",")
        check.feed(bad)
        assert not check.ok


def test_a_first_load_rebuilds_the_same_indexes_it_dropped(db, tmp_path, monkeypatch):
    def indexes() -> list[tuple[str, str]]:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname, indexdef FROM pg_indexes "
                "WHERE tablename = 'incidents_incident' ORDER BY indexname"
            )
            return cur.fetchall()

    before = indexes()
    rebuilt: list[bool] = []
    original = importer._secondary_indexes

    def spy(*args: object) -> object:
        rebuilt.append(True)
        return original(*args)

    monkeypatch.setattr(importer, "REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr(importer, "_secondary_indexes", spy)
    data = [
        [f"INC{n}", "2024-01-02 03:04:05", "", "", "0", "1", "1", "0", "x", "", "", ""]
        for n in range(5)
    ]
    incidents, _ = imported(write(tmp_path / "first.csv", data), "first")

    assert rebuilt  # the empty table's first load took the drop-and-rebuild way
    assert len(incidents) == 5
    assert indexes() == before
