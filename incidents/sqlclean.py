"""The fast path of an import on PostgreSQL: the server parses and cleans the CSV.

Python's csv module alone needs longer to read a million rows than PostgreSQL needs to
``COPY`` them, so for a UTF-8 CSV the importer sends the file's bytes as they are to a
``COPY ... (FORMAT csv)`` into a temporary table of text columns, and one ``INSERT ...
SELECT`` cleans them into the staging table. Two guards keep the result identical to the
Python path (``incidents.parsing``):

- ``QuoteCheck`` scans the bytes (numpy, no Python loop per row) for what PostgreSQL's CSV
  reader and Python's would read differently: a quote inside an unquoted field, text after
  a closing quote, and a ``\\.`` line (PostgreSQL's end-of-data marker). Any such file, and
  any file PostgreSQL refuses (ragged rows, NUL bytes, invalid UTF-8), goes the Python way.
- The SQL accepts only the plain forms of each value (``2016-02-29 10:15:00``,
  ``29/2/2016 10:15``, ``2 - High``, ``3``, text); a row with any other value keeps its raw
  values and is cleaned by ``RowCleaner`` in Python, which also writes every rejection
  reason. ``tests/incidents/test_import_sqlclean.py`` checks SQL == Python on random rows.
"""

from __future__ import annotations

import sys

import numpy as np

from incidents.parsing import DATE_FIELDS, FIELDS, MISSING, TEXT_LIMITS, DateOrder
from incidents.parsing.rows import LEVEL_NAMES

# str.strip() removes exactly these: btrim(value, PY_WHITESPACE) is the same in SQL.
PY_WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
_MARKERS = sorted(MISSING)
LEVEL_FIELDS = ("priority", "impact", "urgency")

# Plain forms only; anything else is left to Python. [0-9], not \d: Python's \d takes any
# Unicode digit, and the SQL must accept nothing that Python reads differently.
_ISO = (
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
    r"(?:[ T]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?()$"
)
_YEAR_LAST = (
    r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})"
    r"(?: ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?: ?([AaPp])[Mm])?)?$"
)
_COUNT = r"^[0-9]{1,9}$"
# The usual ISO value with a day up to the 28th and every part in range: PostgreSQL's own
# timestamp input reads it exactly as Python does, and cannot fail on it.
_SAFE_ISO = (
    r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    r"([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?)?$"
)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_WS = _lit(PY_WHITESPACE)
_MARKER_LIST = ", ".join(_lit(m) for m in _MARKERS)


def _fast_missing(raw: str) -> str:
    # A padded marker (" ? ") is no plain value either: Python reads that row.
    return f"(octet_length({raw}) <= 4 AND lower({raw}) IN ({_MARKER_LIST}))"


def _date_pieces(raw: str, order: DateOrder, name: str) -> list[str]:
    """Level-1 columns of a date: the value when it is a safe ISO one, else whether it is
    in a plain form at all (the general reading follows at level 2, for those rows only)."""
    if order is DateOrder.YMD:
        fast = f"CASE WHEN {raw} ~ {_lit(_SAFE_ISO)} THEN {raw}::timestamp END"
    else:
        fast = "NULL::timestamp"
    return [
        f"{fast} AS fx_{name}",
        f"{raw} AS rw_{name}",
    ]


def _general_parts(raw: str, order: DateOrder) -> tuple[str, str, str, str]:
    """(shape check, date part, time part, AM/PM) of a date in any plain form."""
    if order is DateOrder.YMD:
        text = f"translate({raw}, 'T', ' ')"
        return (
            f"({raw} ~ {_lit(_ISO)})",
            f"split_part({text}, ' ', 1)",
            f"split_part({text}, ' ', 2)",
            "NULL::text",
        )
    ampm = f"(CASE upper(right({raw}, 2)) WHEN 'AM' THEN 'A' WHEN 'PM' THEN 'P' END)"
    core = f"(CASE WHEN {ampm} IS NULL THEN {raw} ELSE rtrim(left({raw}, -2)) END)"
    return (
        f"({raw} ~ {_lit(_YEAR_LAST)})",
        f"split_part({core}, ' ', 1)",
        f"split_part({core}, ' ', 2)",
        ampm,
    )


def _local_value(name: str, order: DateOrder) -> str:
    """The wall-clock timestamp of a date in plain form, NULL when it is no valid date."""
    shape, dp, tp, ampm = _general_parts(f"rw_{name}", order)
    sep = "'-'" if order is DateOrder.YMD else "'/'"
    parts = [f"split_part({dp}, {sep}, {i})::int" for i in (1, 2, 3)]
    if order is DateOrder.YMD:
        y, mo, d = parts
    elif order is DateOrder.DMY:
        d, mo, y = parts
    else:
        mo, d, y = parts
    hour = f"coalesce(nullif(split_part({tp}, ':', 1), ''), '0')::int"
    minute = f"coalesce(nullif(split_part({tp}, ':', 2), ''), '0')::int"
    second = f"coalesce(nullif(split_part({tp}, ':', 3), ''), '0')::int"
    last_day = (
        f"(CASE WHEN {mo} = 2 THEN CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 "
        f"THEN 29 ELSE 28 END WHEN {mo} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    )
    hour_ok = f"(CASE WHEN {ampm} IS NULL THEN {hour} <= 23 ELSE {hour} BETWEEN 1 AND 12 END)"
    valid = (
        f"({y} BETWEEN 1900 AND 2199 AND {mo} BETWEEN 1 AND 12 "
        f"AND {d} BETWEEN 1 AND {last_day} AND {hour_ok} AND {minute} <= 59 "
        f"AND {second} <= 59)"
    )
    hour24 = (
        f"(CASE WHEN {ampm} IS NULL THEN {hour} "
        f"ELSE {hour} % 12 + CASE WHEN {ampm} = 'P' THEN 12 ELSE 0 END END)"
    )
    general = (
        f"CASE WHEN {shape} AND {valid} "
        f"THEN make_timestamp({y}, {mo}, {d}, {hour24}, {minute}, {second}::float8) END"
    )
    return f"coalesce(fx_{name}, CASE WHEN m_{name} THEN NULL ELSE {general} END)"


def zone_pieces(local: str, tz: str, name: str) -> list[str]:
    """Level-3 columns: the wall time read by PostgreSQL, and read with the offset of a day
    before (they differ only near a change of offset)."""
    z = _lit(tz)
    return [
        f"({local} AT TIME ZONE {z}) AS pg_{name}",
        f"((({local}) - interval '1 day') AT TIME ZONE {z} + interval '1 day') AS bf_{name}",
    ]


def zone_sql(local: str, tz: str, name: str) -> str:
    """A wall-clock time in ``tz`` as Python reads it (zoneinfo, fold=0): in a repeated hour
    the earlier instant, where PostgreSQL takes the later one."""
    pg, before = f"pg_{name}", f"bf_{name}"
    return (
        f"(CASE WHEN {before} = {pg} THEN {pg} "
        f"WHEN {before} < {pg} AND ({before} AT TIME ZONE {_lit(tz)}) = {local} "
        f"THEN {before} ELSE {pg} END)"
    )


def clean_sql(mapping: dict[str, int], order: DateOrder, tz: str, width: int) -> str:
    """INSERT ... SELECT from itrm_raw (n, c0 .. c{width-1}) into itrm_stage.

    Every non-blank row past the header is staged; ``ok`` is false, and ``raw`` holds the
    row's values, when one of its values is not in a plain form (Python cleans those).
    Four levels, each computed once (OFFSET 0 keeps the planner from inlining them):
    matches, wall-clock values, typed values, the insert.
    """

    def col(field: str) -> str | None:
        index = mapping.get(field)
        return None if index is None else f"coalesce(r.c{index}, '')"

    columns = [f"c{i}" for i in range(width)]
    level1: list[str] = ["r.n", *(f"r.{c}" for c in columns)]
    level2: list[str] = ["n", *columns]
    typed: dict[str, str] = {}
    checks: list[str] = []
    zones: list[str] = []
    names = " ".join(f"WHEN {_lit(k)} THEN {v}" for k, v in LEVEL_NAMES.items())
    for field in FIELDS:
        raw = col(field)
        if raw is None:
            if field in TEXT_LIMITS:
                typed[field] = "''"
            elif field == "reopen_count":
                typed[field] = "0"
            elif field in DATE_FIELDS:
                typed[field] = "NULL::timestamptz"
            else:
                typed[field] = "NULL::int"
            continue
        if field == "number":
            level1.append(f"btrim({raw}, {_WS}) AS v_number")
            level2.append("v_number")
            typed[field] = "v_number"
            checks.append(
                f"(lower(v_number) NOT IN ({_MARKER_LIST}) "
                f"AND char_length(v_number) <= {TEXT_LIMITS['number']})"
            )
        elif field in TEXT_LIMITS:
            level1.append(f"btrim({raw}, {_WS}) AS t_{field}")
            level2.append(
                f"CASE WHEN char_length(t_{field}) <= 4 AND lower(t_{field}) IN ({_MARKER_LIST}) "
                f"THEN '' ELSE left(t_{field}, {TEXT_LIMITS[field]}) END AS v_{field}"
            )
            typed[field] = f"v_{field}"
        elif field in DATE_FIELDS:
            level1.append(f"{_fast_missing(raw)} AS m_{field}")
            level1.extend(_date_pieces(raw, order, field))
            level2.append(f"m_{field}")
            level2.append(f"{_local_value(field, order)} AS lt_{field}")
            zones.extend(zone_pieces(f"lt_{field}", tz, field))
            typed[field] = (
                f"CASE WHEN m_{field} THEN NULL ELSE {zone_sql(f'lt_{field}', tz, field)} END"
            )
            if field == "opened_at":
                checks.append(f"(NOT m_{field} AND lt_{field} IS NOT NULL)")
            else:
                checks.append(f"(m_{field} OR lt_{field} IS NOT NULL)")
        elif field in LEVEL_FIELDS:
            level1.append(f"{_fast_missing(raw)} AS m_{field}")
            # "3", "2 - High" and level names; anything else ("P2", "2.0") Python reads.
            level1.append(
                f"CASE WHEN {raw} IN ('1', '2', '3', '4', '5') THEN {raw}::int "
                f"WHEN {raw} LIKE '_ - %' AND left({raw}, 1) IN ('1', '2', '3', '4', '5') "
                f"THEN left({raw}, 1)::int ELSE CASE lower({raw}) {names} END END AS l_{field}"
            )
            level2.extend((f"m_{field}", f"l_{field}"))
            typed[field] = f"CASE WHEN m_{field} THEN NULL ELSE l_{field} END"
            checks.append(f"(m_{field} OR l_{field} IS NOT NULL)")
        else:  # counts
            level1.append(f"{_fast_missing(raw)} AS m_{field}")
            level1.append(f"CASE WHEN {raw} ~ {_lit(_COUNT)} THEN {raw}::int END AS k_{field}")
            level2.extend((f"m_{field}", f"k_{field}"))
            value = f"CASE WHEN m_{field} THEN NULL ELSE k_{field} END"
            typed[field] = f"coalesce({value}, 0)" if field == "reopen_count" else value
            checks.append(f"(m_{field} OR k_{field} IS NOT NULL)")

    everything = f"btrim(concat({', '.join(f'r.{c}' for c in columns)}), {_WS}) = ''"
    number = col("number")
    # A row with a number is not blank; only the others need every value looked at.
    blank = f"(btrim({number}, {_WS}) = '' AND {everything})" if number else everything
    ok = "coalesce(" + (" AND ".join(checks) or "true") + ", false)"
    level3 = ", ".join(f"{typed[f]} AS {f}" for f in FIELDS)
    raw_array = "ARRAY[" + ", ".join(f"coalesce({c}, '')" for c in columns) + "]"
    dept = "CASE WHEN department <> '' THEN department ELSE location END"
    return f"""
    INSERT INTO itrm_stage (row_number, {", ".join(FIELDS)}, dept_key, ok, raw)
    SELECT n, {", ".join(FIELDS)}, {dept}, ok, CASE WHEN ok THEN NULL ELSE {raw_array} END
    FROM (
      SELECT n, {level3}, {ok} AS ok, {", ".join(columns)}
      FROM (
        SELECT l2.*{"".join(", " + z for z in zones)}
        FROM (
          SELECT {", ".join(level2)}
          FROM (
            SELECT {", ".join(level1)}
            FROM itrm_raw r
            WHERE r.n > 1 AND NOT {blank}
            OFFSET 0
          ) l1
          OFFSET 0
        ) l2
        OFFSET 0
      ) l3
      OFFSET 0
    ) l4
    """  # noqa: S608 - every name and literal above is ours


class QuoteCheck:
    """Whether PostgreSQL's CSV reader reads a file exactly as Python's csv module does.

    With the quotes counted from the start, an even one opens a quoted field and must stand
    at the start of the field (after a delimiter, a line break, the file's start, or the
    quote before it when that one is doubled); an odd one closes it and must be followed by
    a quote, a delimiter, a line break or the end. Python and PostgreSQL differ on nothing
    else that PostgreSQL accepts, except ``\\.`` alone on a line, its end-of-data marker.
    ``feed`` returns where the last complete record of the data so far ends (a line break
    outside quotes), so that a file can be sent in pieces of whole records.
    """

    def __init__(self, delimiter: str) -> None:
        self.delim = ord(delimiter)
        self.odd = 0  # quotes seen so far, mod 2
        self.prev = 10  # the byte before the data: a line break at the start of the file
        self.pending_odd_at_end = False  # an odd quote was the previous block's last byte
        self.ok = True

    def feed(self, data: bytes) -> int:
        """Check a block; returns the offset just past its last record end (0: none)."""
        if not self.ok or not data:
            return 0
        a = np.frombuffer(data, dtype=np.uint8)
        if self.pending_odd_at_end and a[0] not in (34, self.delim, 10, 13):
            self.ok = False
            return 0
        self.pending_odd_at_end = False
        if b"\\." in data and self._has_end_marker(data):
            self.ok = False
            return 0
        q = np.flatnonzero(a == 34)
        if len(q):
            parity = (np.arange(len(q)) + self.odd) & 1
            before = np.where(q > 0, a[np.maximum(q - 1, 0)], self.prev)
            opening_before = before[parity == 0]
            good_open = (
                (opening_before == self.delim)
                | (opening_before == 10)
                | (opening_before == 13)
                | (opening_before == 34)
            )
            if not good_open.all():
                self.ok = False
                return 0
            closing = q[parity == 1]
            inside = closing[closing < len(a) - 1]
            after = a[inside + 1]
            good_close = (after == 34) | (after == self.delim) | (after == 10) | (after == 13)
            if not good_close.all():
                self.ok = False
                return 0
            if len(closing) and closing[-1] == len(a) - 1:
                self.pending_odd_at_end = True
        # Record ends: line breaks with an even number of quotes before them.
        newlines = np.flatnonzero(a == 10)
        end = 0
        if len(newlines):
            before_count = np.searchsorted(q, newlines) + self.odd
            outside = newlines[(before_count & 1) == 0]
            if len(outside):
                end = int(outside[-1]) + 1
        self.odd = (self.odd + len(q)) & 1
        self.prev = int(a[-1])
        return end

    def _has_end_marker(self, data: bytes) -> bool:
        start = data.find(b"\\.")
        while start != -1:
            before = self.prev if start == 0 else data[start - 1]
            if before in (10, 13):
                return True
            start = data.find(b"\\.", start + 1)
        return False


def digest_sql(alias: str) -> str:
    """md5 of a staged row's typed values: the same whichever path cleaned the row."""
    parts = []
    for field in FIELDS:
        value = f"{alias}.{field}"
        if field in DATE_FIELDS:
            parts.append(
                f"coalesce(to_char({value} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US'), '')"
            )
        elif field in TEXT_LIMITS:
            parts.append(value)
        else:
            parts.append(f"coalesce({value}::text, '')")
    return f"md5(concat_ws(E'\\x1f', {', '.join(parts)}))"
