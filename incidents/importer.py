"""The import engine: a file in, every row accounted for, incidents upserted.

Reading streams the file through the parsing layer and stages clean rows in a temporary
table (PostgreSQL: ``COPY``; other databases: batched inserts), so memory does not grow
with the file. Nothing becomes visible until one final transaction resolves departments to
business lines, upserts the incidents by (source, number) and stores the rejected rows and
the counts. A worker that dies before or during that transaction leaves no trace but a
stale heartbeat: the import is marked failed and can be run again to the same end state.

Counting rows: every row read is created, updated, unchanged or rejected. In an event log
(one incident on several rows) all the rows of an incident share its outcome, so the
counts still add up to the rows read; ``incidents`` counts the distinct incidents.
"""

from __future__ import annotations

import hashlib
import itertools
import operator
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from incidents import sqlclean
from incidents.lines import resolve_departments
from incidents.models import ImportBatch, ImportRejection, ImportStatus, Incident
from incidents.parsing import (
    DATE_FIELDS,
    FIELDS,
    CleanRow,
    DateOrder,
    RowCleaner,
    RowError,
    Table,
    detect_date_order,
    detect_format,
    mapping_from_names,
    open_table,
)

CHUNK = 20_000
# Columns of the staging table, in CleanRow's order, after the row number.
STAGE_COLUMNS = ("row_number", *FIELDS, "row_hash", "dept_key")


class ImportCancelled(Exception):
    pass


class ImportProblem(ValueError):
    """A whole-file problem the user must fix (the message says how)."""


@dataclass(frozen=True)
class Outcome:
    created: int
    updated: int
    unchanged: int
    incidents: int


# dataclasses.astuple deep-copies every value: forty times slower than reading the fields.
values_of = operator.attrgetter(*FIELDS)


def row_hash(values: tuple[Any, ...]) -> str:
    text = "\x1f".join("" if value is None else str(value) for value in values)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def department_key(row: CleanRow) -> str:
    """The text that maps an incident to a business line: department, else location."""
    return row.department or row.location


def plan(table: Table, batch: ImportBatch) -> tuple[dict[str, int], DateOrder, Iterator[Any], bool]:
    """The mapping and date order of a file, and its rows (the sampled ones put back)."""
    if batch.mapping:
        mapping = mapping_from_names(table.headers, batch.mapping)
        event_log = batch.event_log
    else:
        guess = detect_format(table.headers)
        mapping, event_log = guess.mapping, guess.event_log
    missing = [f for f in ("number", "opened_at") if f not in mapping]
    if missing:
        raise ImportProblem(
            f"No column is mapped to {', '.join(missing)}; map the columns before importing."
        )
    sample = list(itertools.islice(table.rows, 500))
    rows = itertools.chain(sample, table.rows)
    if batch.date_order:
        return mapping, DateOrder(batch.date_order), rows, event_log
    date_columns = [mapping[f] for f in DATE_FIELDS if f in mapping]
    values = [v[i] for _, v in sample for i in date_columns if i < len(v)]
    order = detect_date_order(values)
    if order is None:
        raise ImportProblem(
            "The dates could be day-first or month-first (e.g. 03/04/2016); choose the date "
            "order and run the import again."
        )
    return mapping, order, rows, event_log


class Stage:
    """Staging of clean rows and rejected rows in temporary tables, per database."""

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.rejects: list[tuple[int, str, list[str]]] = []
        self.postgres = connection.vendor == "postgresql"
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS itrm_stage")
            cur.execute("DROP TABLE IF EXISTS itrm_reject")
            ts = "timestamptz" if self.postgres else "text"
            columns = ", ".join(
                f"{name} {ts if name in DATE_FIELDS else 'text'}"
                if name
                not in ("row_number", "mod_count", "priority", "impact", "urgency", "reopen_count")
                else f"{name} integer"
                for name in STAGE_COLUMNS
            )
            if self.postgres:
                # ok/raw: rows the SQL fast path left to Python (incidents.sqlclean).
                columns += ", ok boolean NOT NULL DEFAULT true, raw text[]"
            cur.execute(f"CREATE TEMPORARY TABLE itrm_stage ({columns})")
            cur.execute(
                "CREATE TEMPORARY TABLE itrm_reject (row_number integer, reason text, vals text)"
            )

    def add(self, row_number: int, row: CleanRow) -> None:
        values = values_of(row)
        if self.postgres:
            # The digest is computed in SQL from the typed values (sqlclean.digest_sql), the
            # same for rows cleaned here and rows cleaned by the SQL fast path.
            self.rows.append((row_number, *values, None, department_key(row)))
            return
        digest = row_hash(values)
        values = tuple(
            v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for v in values
        )
        self.rows.append((row_number, *values, digest, department_key(row)))

    def reject(self, row_number: int, reason: str, values: list[str]) -> None:
        self.rejects.append((row_number, reason[:500], values))

    def flush(self) -> None:
        import json

        rejects = [(n, reason, json.dumps(vals)) for n, reason, vals in self.rejects]
        if self.postgres:
            raw = connection.connection
            assert raw is not None  # noqa: S101 - a cursor was opened in __init__
            with raw.cursor() as cur:
                with cur.copy(f"COPY itrm_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy:
                    for values in self.rows:
                        copy.write_row(values)
                with cur.copy("COPY itrm_reject (row_number, reason, vals) FROM STDIN") as copy:
                    for values in rejects:
                        copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            with connection.cursor() as cur:
                cur.executemany(f"INSERT INTO itrm_stage VALUES ({marks})", self.rows)  # noqa: S608
                cur.executemany("INSERT INTO itrm_reject VALUES (%s, %s, %s)", rejects)
        self.rows.clear()
        self.rejects.clear()

    def drop(self) -> None:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS itrm_stage")
            cur.execute("DROP TABLE IF EXISTS itrm_reject")
            cur.execute("DROP TABLE IF EXISTS itrm_raw")


# The latest row of each incident (event logs), with how many rows the incident had and
# its highest reopen count. Window functions work the same on PostgreSQL and SQLite.
LATEST = f"""
SELECT {", ".join(STAGE_COLUMNS)}, n_rows, max_reopen FROM (
  SELECT s.*,
    ROW_NUMBER() OVER (PARTITION BY number ORDER BY mod_count DESC NULLS LAST,
                       updated_at DESC NULLS LAST, row_number DESC) AS rn,
    COUNT(*) OVER (PARTITION BY number) AS n_rows,
    MAX(reopen_count) OVER (PARTITION BY number) AS max_reopen
  FROM itrm_stage s
) latest WHERE rn = 1
"""  # noqa: S608

# The incident columns an import writes: every parsed field but the key, under the model's
# names, and the digest.
_MODEL_NAME = {"updated_at": "source_updated_at"}
INCIDENT_COLUMNS = (*(_MODEL_NAME.get(f, f) for f in FIELDS if f != "number"), "row_hash")
_FROM_STAGE = {"source_updated_at": "updated_at", "reopen_count": "max_reopen"}


# Below this many new incidents, dropping and rebuilding indexes costs more than it saves.
REBUILD_INDEXES_FROM = 50_000


def _secondary_indexes(cur: Any) -> list[tuple[str, str]]:
    """Name and definition of the incident indexes that no constraint needs."""
    cur.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = 'incidents_incident'::regclass "
        "AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
    )
    return [(name, definition) for name, definition in cur.fetchall()]


def _upsert_postgres(batch: ImportBatch) -> Outcome:
    """Update changed incidents, insert new ones; all in SQL, in the caller's transaction.

    The digest of each latest row is compared in SQL, so unchanged rows are only read. When
    the incident table is empty (a first load), its secondary indexes are dropped and built
    again after the insert, in the same transaction: sorting once beats a million random
    index inserts, and nobody waits on an empty table.
    """
    with connection.cursor() as cur:
        cur.execute("SET LOCAL work_mem = '256MB'")
        cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cur.execute("SELECT count(*) FROM itrm_stage")
        (staged,) = cur.fetchone()
        cur.execute("SELECT count(*) FROM (SELECT number FROM itrm_stage GROUP BY number) g")
        (incidents,) = cur.fetchone()
        if incidents < staged:
            # An event log: the latest row of each incident, its row count and reopenings.
            cur.execute("DROP TABLE IF EXISTS itrm_latest")
            cur.execute(f"CREATE TEMPORARY TABLE itrm_latest ON COMMIT DROP AS {LATEST}")
            latest = "itrm_latest"
        else:
            latest = (
                f"(SELECT {', '.join(STAGE_COLUMNS)}, 1 AS n_rows, "  # noqa: S608
                "reopen_count AS max_reopen FROM itrm_stage)"
            )
        digest = sqlclean.digest_sql("l")
        values = ", ".join(f"l.{_FROM_STAGE.get(c, c)}" for c in INCIDENT_COLUMNS[:-1])
        params: dict[str, Any] = {"source": batch.source, "batch": batch.pk}

        cur.execute("SELECT EXISTS (SELECT 1 FROM incidents_incident)")
        (any_incident,) = cur.fetchone()
        rebuild: list[tuple[str, str]] = []
        if not any_incident and incidents >= REBUILD_INDEXES_FROM:
            rebuild = _secondary_indexes(cur)
            for name, _ in rebuild:
                cur.execute(f'DROP INDEX "{name}"')
            # DROP INDEX locked the table: nobody can have added incidents since.
            cur.execute("SELECT EXISTS (SELECT 1 FROM incidents_incident)")
            (any_incident,) = cur.fetchone()

        updated = 0
        if any_incident:
            sets = ", ".join(f"{c} = l.{_FROM_STAGE.get(c, c)}" for c in INCIDENT_COLUMNS[:-1])
            cur.execute(
                f"""
                WITH up AS (
                  UPDATE incidents_incident i
                  SET {sets}, row_hash = l.digest, line_id = m.line_id,
                      last_batch_id = %(batch)s
                  FROM (SELECT l.*, {digest} AS digest FROM {latest} l) l
                  LEFT JOIN itrm_dept_map m ON m.raw_value = l.dept_key
                  WHERE i.source = %(source)s AND i.number = l.number
                    AND i.row_hash IS DISTINCT FROM l.digest
                    AND (i.source_updated_at IS NULL OR l.updated_at IS NULL
                         OR l.updated_at >= i.source_updated_at)
                  RETURNING l.n_rows
                )
                SELECT COALESCE(SUM(n_rows), 0) FROM up
                """,  # noqa: S608
                params,
            )
            (updated,) = cur.fetchone()
        new_only = (
            "WHERE NOT EXISTS (SELECT 1 FROM incidents_incident i "
            "WHERE i.source = %(source)s AND i.number = l.number) "
            "ON CONFLICT (source, number) DO NOTHING"
            if any_incident
            else ""
        )
        insert = f"""
          INSERT INTO incidents_incident (source, number, line_id, last_batch_id, imported_at,
                                          {", ".join(INCIDENT_COLUMNS)})
          SELECT %(source)s, l.number, m.line_id, %(batch)s, now(), {values}, {digest}
          FROM {latest} l LEFT JOIN itrm_dept_map m ON m.raw_value = l.dept_key
          {new_only}
          RETURNING number
        """  # noqa: S608
        if latest == "itrm_latest":
            cur.execute(
                f"WITH ins AS ({insert}) SELECT COALESCE(SUM(l.n_rows), 0) "  # noqa: S608
                "FROM ins JOIN itrm_latest l USING (number)",
                params,
            )
            (created,) = cur.fetchone()
        else:
            # One row per incident: the row count is the count (no RETURNING of a million rows).
            cur.execute(insert.replace("RETURNING number", ""), params)
            created = cur.rowcount
        if rebuild:
            # An index cannot be built under pending (deferred) foreign-key checks.
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _, definition in rebuild:
                cur.execute(definition)
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
    return Outcome(
        int(created), int(updated), int(staged) - int(created) - int(updated), int(incidents)
    )


def _parse_stage_value(column: str, value: Any) -> Any:
    if column in DATE_FIELDS and value is not None:
        return datetime.fromisoformat(value)
    return value


def _upsert_portable(batch: ImportBatch, line_of: dict[str, int | None]) -> Outcome:
    """The same upsert in batches through the ORM, for SQLite and other databases."""
    created = updated = unchanged = incidents = 0
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(f"{LATEST} ORDER BY number")
        names = [*STAGE_COLUMNS, "n_rows", "max_reopen"]
        while chunk := cur.fetchmany(1000):
            rows = [dict(zip(names, r, strict=True)) for r in chunk]
            existing = {
                i.number: i
                for i in Incident.objects.filter(
                    source=batch.source, number__in=[r["number"] for r in rows]
                )
            }
            new, changed = [], []
            for r in rows:
                incidents += 1
                values = {
                    c: _parse_stage_value(_FROM_STAGE.get(c, c), r[_FROM_STAGE.get(c, c)])
                    for c in INCIDENT_COLUMNS
                }
                current = existing.get(r["number"])
                if current is None:
                    new.append(
                        Incident(
                            source=batch.source,
                            number=r["number"],
                            line_id=line_of.get(r["dept_key"]),
                            last_batch=batch,
                            imported_at=now,
                            **values,
                        )
                    )
                    created += r["n_rows"]
                elif current.row_hash != r["row_hash"] and (
                    current.source_updated_at is None
                    or values["source_updated_at"] is None
                    or values["source_updated_at"] >= current.source_updated_at
                ):
                    for column, value in values.items():
                        setattr(current, column, value)
                    current.line_id = line_of.get(r["dept_key"])
                    current.last_batch = batch
                    changed.append(current)
                    updated += r["n_rows"]
                else:
                    unchanged += r["n_rows"]
            Incident.objects.bulk_create(new)
            Incident.objects.bulk_update(changed, [*INCIDENT_COLUMNS, "line", "last_batch"])
    return Outcome(created, updated, unchanged, incidents)


def _store_rejections(batch: ImportBatch) -> int:
    import json

    count = 0
    with connection.cursor() as cur:
        cur.execute("SELECT row_number, reason, vals FROM itrm_reject ORDER BY row_number")
        while chunk := cur.fetchmany(5000):
            ImportRejection.objects.bulk_create(
                ImportRejection(batch=batch, row_number=n, reason=reason, values=json.loads(vals))
                for n, reason, vals in chunk
            )
            count += len(chunk)
    return count


def _distinct_keys() -> list[str]:
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT dept_key FROM itrm_stage WHERE dept_key <> ''")
        return [key for (key,) in cur.fetchall()]


def _finish(batch: ImportBatch, read: int) -> ImportBatch:
    with transaction.atomic():
        line_of = resolve_departments(_distinct_keys(), create_lines=batch.create_lines)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("DROP TABLE IF EXISTS itrm_dept_map")
                cur.execute(
                    "CREATE TEMPORARY TABLE itrm_dept_map (raw_value text, line_id bigint) "
                    "ON COMMIT DROP"
                )
                cur.executemany("INSERT INTO itrm_dept_map VALUES (%s, %s)", list(line_of.items()))
            outcome = _upsert_postgres(batch)
        else:
            outcome = _upsert_portable(batch, line_of)
        rejected = _store_rejections(batch)
        batch.read, batch.rejected = read, rejected
        batch.created, batch.updated = outcome.created, outcome.updated
        batch.unchanged, batch.incidents = outcome.unchanged, outcome.incidents
        batch.status, batch.finished_at, batch.rows_done = ImportStatus.DONE, timezone.now(), read
        batch.save()
    return batch


def run(batch: ImportBatch, *, on_progress: Callable[[int], None] | None = None) -> ImportBatch:
    """Read, stage and upsert one claimed batch. Raises ImportProblem / FileFormatError."""
    stage = Stage()
    read = 0
    try:
        limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_MB * 1024 * 1024
        with open_table(Path(batch.path), max_xlsx_uncompressed=limit) as table:
            mapping, order, rows, event_log = plan(table, batch)
            batch.kind, batch.encoding = table.kind, table.encoding or ""
            batch.delimiter, batch.date_order = table.delimiter or "", order.value
            batch.event_log = event_log
            batch.save(update_fields=["kind", "encoding", "delimiter", "date_order", "event_log"])
            cleaner = RowCleaner(mapping, date_order=order, tz=ZoneInfo(batch.time_zone))
            first = next(rows, None)
            fast = None
            if first is not None and _fast_path_fits(table, first[0]):
                fast = _stage_in_sql(batch, table, mapping, order, stage, cleaner, on_progress)
            if fast is not None:
                read = fast
            else:
                rows = itertools.chain([first] if first is not None else [], rows)
                for row_number, values in rows:
                    read += 1
                    try:
                        stage.add(row_number, cleaner.clean(values))
                    except RowError as exc:
                        stage.reject(row_number, str(exc), values)
                    if read % CHUNK == 0:
                        stage.flush()
                        _heartbeat(batch, read)
                        if on_progress:
                            on_progress(read)
                stage.flush()
        _heartbeat(batch, read)
        return _finish(batch, read)
    finally:
        stage.drop()


# The file is sent to COPY in pieces of about this size (whole records), with a heartbeat
# (progress and cancel) between them. Small pieces also keep each statement short: the
# server notices a dead worker (and frees its advisory lock) only between statements, or
# at the client_connection_check_interval set below.
COPY_PIECE = 2 * 1024 * 1024


def _fast_path_fits(table: Table, first_row_number: int) -> bool:
    """The SQL fast path reads UTF-8 CSV whose header is its first record."""
    return (
        connection.vendor == "postgresql"
        and table.kind == "csv"
        and table.encoding in ("utf-8", "utf-8-sig")
        and table.delimiter in (",", ";", "\t", "|")
        and len(table.headers) >= 2
        and first_row_number == 2
    )


def _stage_in_sql(
    batch: ImportBatch,
    table: Table,
    mapping: dict[str, int],
    order: DateOrder,
    stage: Stage,
    cleaner: RowCleaner,
    on_progress: Callable[[int], None] | None,
) -> int | None:
    """Stage the file through COPY and SQL cleaning; None when it must go the Python way."""
    import psycopg

    width = len(table.headers)
    assert table.delimiter is not None  # noqa: S101 - a CSV table has one
    with connection.cursor() as cur:
        # The cleaning statement runs for seconds; a killed worker's session should not.
        cur.execute("SET client_connection_check_interval = '1s'")
        cur.execute("DROP TABLE IF EXISTS itrm_raw")
        columns = ", ".join(f"c{i} text" for i in range(width))
        cur.execute(
            f"CREATE TEMPORARY TABLE itrm_raw (n bigint GENERATED ALWAYS AS IDENTITY, {columns})"
        )
        try:
            with transaction.atomic():
                cur.execute("SELECT now() AT TIME ZONE %s", [batch.time_zone])
        except DatabaseError:  # a zone PostgreSQL does not know: Python reads the file
            return _give_up()
    check = sqlclean.QuoteCheck(table.delimiter)
    copy_sql = (
        f"COPY itrm_raw ({', '.join(f'c{i}' for i in range(width))}) FROM STDIN "
        f"(FORMAT csv, DELIMITER {_literal(table.delimiter)}, ENCODING 'UTF8')"
    )
    records = 0
    try:
        with Path(batch.path).open("rb") as handle:
            rest = b""
            while True:
                block = handle.read(COPY_PIECE)
                if not block:
                    piece, rest = rest, b""
                else:
                    end = check.feed(block)
                    if not check.ok:
                        return _give_up()
                    if end:
                        piece, rest = rest + block[:end], block[end:]
                    else:
                        piece, rest = b"", rest + block
                    if len(rest) > 4 * COPY_PIECE:
                        return _give_up()  # a record this long is no CSV Python accepts
                if piece:
                    _copy_piece(copy_sql, piece)
                    records += piece.count(b"\n")
                    _heartbeat(batch, max(records - 1, 0))
                    if on_progress:
                        on_progress(max(records - 1, 0))
                if not block:
                    break
    except psycopg.DataError:
        # Ragged rows, NUL bytes, invalid UTF-8, an unclosed quote: Python knows what to do.
        return _give_up()
    with connection.cursor() as cur:
        cur.execute(sqlclean.clean_sql(mapping, order, batch.time_zone, width))
        cur.execute("DROP TABLE itrm_raw")
        cur.execute("SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM itrm_stage")
        read, left = cur.fetchone()
    if left:
        _clean_leftovers(stage, cleaner, batch, on_progress)
    return int(read)


def _literal(text: str) -> str:
    return "E'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t") + "'"


def _copy_piece(sql: str, piece: bytes) -> None:
    """One COPY of whole records (a savepoint inside a transaction, so a refusal is clean)."""
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None  # noqa: S101
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for start in range(0, len(piece), 1 << 20):
                copy.write(piece[start : start + (1 << 20)])


def _give_up() -> int | None:
    """Drop what the fast path staged; the caller reads the file the Python way."""
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS itrm_raw")
        cur.execute("TRUNCATE itrm_stage")
    return None


def _clean_leftovers(
    stage: Stage,
    cleaner: RowCleaner,
    batch: ImportBatch,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Rows with a value in no plain form: RowCleaner cleans them, or says why not."""
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMPORARY TABLE itrm_left AS SELECT row_number, raw FROM itrm_stage "
            "WHERE NOT ok"
        )
        cur.execute("DELETE FROM itrm_stage WHERE NOT ok")
        cur.execute("CREATE INDEX ON itrm_left (row_number)")
    after, done = 0, 0
    try:
        while True:
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT row_number, raw FROM itrm_left WHERE row_number > %s "
                    "ORDER BY row_number LIMIT %s",
                    [after, CHUNK],
                )
                chunk = cur.fetchall()
            if not chunk:
                break
            for row_number, values in chunk:
                try:
                    stage.add(row_number, cleaner.clean(values))
                except RowError as exc:
                    stage.reject(row_number, str(exc), values)
            after = chunk[-1][0]
            done += len(chunk)
            stage.flush()
            if len(chunk) == CHUNK:
                _heartbeat(batch, done)
                if on_progress:
                    on_progress(done)
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS itrm_left")


def _heartbeat(batch: ImportBatch, read: int) -> None:
    """Progress for the page, and the place where a cancel request is noticed."""
    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=read, heartbeat_at=timezone.now())
    if ImportBatch.objects.filter(pk=batch.pk, cancel_requested=True).exists():
        raise ImportCancelled
