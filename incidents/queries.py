"""Read-side helpers of the incident pages: scoped loaders, list querysets, keyset pages,
and what the pages read from an uploaded file (its head, a preview, a row estimate)."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404

from incidents.models import DepartmentMapping, ImportBatch, ImportStatus, Incident
from incidents.parsing import (
    DATE_FIELDS,
    FIELDS,
    DateOrder,
    FileFormatError,
    RowCleaner,
    RowError,
    detect_date_order,
    header_key,
    open_table,
)

# Rows of an incident list page. Keyset pages cost the same at row 50 and at row 950,000.
PAGE_SIZE = 50
# Rows read from a file to decide the date order (the engine samples as many).
SAMPLE_ROWS = 500
PREVIEW_ROWS = 20
# How much of a CSV file the row estimate of the progress bar reads.
ESTIMATE_BYTES = 200 * 1024

ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)
FINISHED = (ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.CANCELLED)
# A batch whose mapping may still change: not started, or ended without a result.
MAPPABLE = (ImportStatus.QUEUED, ImportStatus.FAILED, ImportStatus.CANCELLED)

FORMAT_LABELS = {
    "servicenow": "ServiceNow export (field names)",
    "servicenow_labels": "ServiceNow list export (column labels)",
    "jira": "Jira Service Management export",
    "unknown": "Not recognised: choose the columns below",
}


FIELD_LABELS = {
    "number": "Number",
    "opened_at": "Opened",
    "resolved_at": "Resolved",
    "closed_at": "Closed",
    "updated_at": "Last updated",
    "mod_count": "Update count",
    "configuration_item": "Configuration item",
    "short_description": "Short description",
    "resolution_notes": "Resolution notes",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " ").capitalize())


def duration_text(start: datetime | None, end: datetime | None) -> str:
    """How long an import took, as a person would say it."""
    if start is None or end is None:
        return ""
    seconds = max((end - start).total_seconds(), 0.0)
    if seconds < 10:
        return f"{seconds:.1f} seconds"
    if seconds < 120:
        return f"{seconds:.0f} seconds"
    minutes, rest = divmod(round(seconds), 60)
    if minutes < 120:
        return f"{minutes} min {rest} s"
    return f"{minutes / 60:.1f} hours"


def format_label(name: str) -> str:
    return FORMAT_LABELS.get(name, name or "not detected yet")


# --- imports -----------------------------------------------------------------------------


def get_batch(pk: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)


def batches_for_list() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class Head:
    """The start of an export: what the mapping page and the upload check need."""

    kind: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]

    @property
    def keys(self) -> list[str]:
        """Each column's name as a saved mapping names it ("category#2" for a repeat)."""
        return [header_key(self.headers, index) for index in range(len(self.headers))]


def read_head(path: Path, *, rows: int = SAMPLE_ROWS) -> Head:
    """The header and first ``rows`` data rows of a file. Raises FileFormatError."""
    limit = settings.IMPORT_MAX_XLSX_UNCOMPRESSED_MB * 1024 * 1024
    try:
        with open_table(path, max_xlsx_uncompressed=limit) as table:
            return Head(
                kind=table.kind,
                encoding=table.encoding or "",
                delimiter=table.delimiter or "",
                headers=table.headers,
                rows=list(itertools.islice(table.rows, rows)),
            )
    except FileNotFoundError:
        raise FileFormatError(
            "The uploaded file is no longer on the server; upload it again."
        ) from None


def head_of(batch: ImportBatch, *, rows: int = SAMPLE_ROWS) -> Head:
    if not batch.source_path and not batch.file:
        raise FileFormatError("This import has no file; upload it again.")
    return read_head(Path(batch.path), rows=rows)


def detect_order(head: Head, mapping: dict[str, int]) -> DateOrder | None:
    """The date order of the sampled rows under ``mapping``, as the engine would decide it."""
    columns = [mapping[name] for name in DATE_FIELDS if name in mapping]
    return detect_date_order(
        values[index] for _, values in head.rows for index in columns if index < len(values)
    )


@dataclass(frozen=True)
class Cell:
    value: str
    problem: str = ""


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[Cell]
    problems: list[str]


@dataclass(frozen=True)
class Preview:
    columns: list[tuple[str, str, str]]  # (canonical field, its label, the file's header)
    rows: list[PreviewRow] = field(default_factory=list)
    notice: str = ""

    @property
    def bad_rows(self) -> int:
        return sum(1 for row in self.rows if row.problems)


def problems_of(message: str) -> list[tuple[str | None, str]]:
    """A RowError message ("field: reason; field: reason") as (field, "field: reason") pairs.

    A part that names no field either continues the previous one (a quoted value with "; "
    in it) or is a problem of the whole row (field None).
    """
    parts: list[tuple[str | None, str]] = []
    for part in message.split("; "):
        name, separator, _ = part.partition(": ")
        if separator and name in FIELDS:
            parts.append((name, part))
        elif parts and parts[-1][0] is not None:
            parts[-1] = (parts[-1][0], f"{parts[-1][1]}; {part}")
        else:
            parts.append((None, part))
    return parts


def _check(values: list[str], cleaners: list[RowCleaner]) -> list[tuple[str | None, str]]:
    """The problems a row has under every candidate date order (so under an undecided
    order a date counts as bad only if it is bad both day-first and month-first)."""
    found: list[list[tuple[str | None, str]]] = []
    for cleaner in cleaners:
        try:
            cleaner.clean(values)
        except RowError as exc:
            found.append(problems_of(str(exc)))
        else:
            return []
    return [problem for problem in found[0] if all(problem in other for other in found[1:])]


def preview_of(head: Head, mapping: dict[str, int], orders: list[DateOrder], tz: tzinfo) -> Preview:
    """The first rows as the mapping reads them, each cell with the problem of its field."""
    columns = [
        (name, field_label(name), head.headers[mapping[name]]) for name in FIELDS if name in mapping
    ]
    notice = ""
    cleaners: list[RowCleaner] = []
    if "number" in mapping and "opened_at" in mapping:
        cleaners = [RowCleaner(mapping, date_order=order, tz=tz) for order in orders]
    else:
        notice = "Choose the columns of number and opened_at to check the rows."
    rows = []
    for number, values in head.rows[:PREVIEW_ROWS]:
        problems = _check(values, cleaners) if cleaners else []
        by_field: dict[str, str] = {}
        for name, text in problems:
            if name is not None:
                by_field[name] = f"{by_field[name]}; {text}" if name in by_field else text
        cells = [
            Cell(
                values[mapping[name]] if mapping[name] < len(values) else "", by_field.get(name, "")
            )
            for name, _, _ in columns
        ]
        rows.append(PreviewRow(number, cells, [text for _, text in problems]))
    return Preview(columns=columns, rows=rows, notice=notice)


@dataclass(frozen=True)
class Progress:
    rows_done: int
    rate: float | None  # rows a second since the run started
    total: int | None  # estimated rows in the file
    percent: int | None
    seconds_left: int | None

    @property
    def time_left(self) -> str:
        if self.seconds_left is None:
            return ""
        if self.seconds_left < 60:
            return "less than a minute"
        minutes = round(self.seconds_left / 60)
        if minutes < 90:
            return f"about {minutes} minute{'s' if minutes != 1 else ''}"
        return f"about {self.seconds_left / 3600:.1f} hours"


def progress_of(batch: ImportBatch, now: datetime) -> Progress:
    total = estimate_rows(batch)
    done = batch.rows_done
    elapsed = (now - batch.started_at).total_seconds() if batch.started_at else 0.0
    rate = done / elapsed if done and elapsed > 0 else None
    percent = seconds_left = None
    if total:
        # Rows are counted in chunks, and the last step (saving) takes time too: never 100%.
        percent = min(99, int(100 * done / total))
        if rate and total > done:
            seconds_left = int((total - done) / rate)
    return Progress(done, rate, total, percent, seconds_left)


def estimate_rows(batch: ImportBatch) -> int | None:
    """About how many data rows the file holds, from its size and its first rows.

    Read once per file and kept in the cache: a progress bar polls every second.
    """
    if not batch.size or not (batch.source_path or batch.file):
        return None
    key = f"incidents:rows-estimate:{batch.pk}:{batch.size}:{batch.path}"
    cached = cache.get(key)
    if cached is None:
        try:
            cached = _estimate(Path(batch.path), batch.size, batch.delimiter) or 0
        except (OSError, zipfile.BadZipFile, csv.Error):
            cached = 0
        cache.set(key, cached, 24 * 3600)
    return cached or None


_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def _estimate(path: Path, size: int, delimiter: str) -> int | None:
    with path.open("rb") as raw:
        head = raw.read(ESTIMATE_BYTES)
    if head.startswith(b"PK"):
        return _xlsx_rows(path)
    complete = len(head) >= size
    if not complete:
        # A cut at the last line break; a quoted field cut there costs one row, no more.
        head = head[: head.rfind(b"\n") + 1]
    if not head:
        return None
    # Every byte decodes in latin-1, and quotes, delimiters and line breaks are ASCII.
    text = head.decode("latin-1")
    if not delimiter:
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t|", key=first.count)
    records = sum(
        1 for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if values
    )
    if records < 2:
        return None
    if complete:
        return records - 1
    return max(records - 1, round(size * records / len(head)) - 1)


def _xlsx_rows(path: Path) -> int | None:
    """The row count a workbook's first sheet declares (the zip is compressed: its size
    says nothing); None when the sheet does not declare it."""
    with zipfile.ZipFile(path) as archive:
        sheets = sorted(
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )
        if not sheets:
            return None
        with archive.open(sheets[0]) as sheet:
            match = _DIMENSION.search(sheet.read(4096))
    if match is None or match[1] is None:
        return None
    return max(int(match[1]) - 1, 0)


def rejected_rows(batch: ImportBatch) -> Iterator[list[str]]:
    """The rejected rows of a batch for the CSV download: row, reason, then the values,
    read in chunks so that memory does not grow with the rejections."""
    try:
        headers = head_of(batch, rows=0).headers
    except FileFormatError:
        headers = []
    yield ["row", "reason", *headers]
    rejections = (
        batch.rejections.order_by("row_number")
        .values_list("row_number", "reason", "values")
        .iterator(chunk_size=2000)
    )
    for number, reason, values in rejections:
        yield [str(number), reason, *(str(value) for value in values)]


# --- incidents ---------------------------------------------------------------------------


def incidents_for_list() -> QuerySet[Incident]:
    """The columns of the list only: descriptions can be long, and a page needs none."""
    return Incident.objects.select_related("line").only(
        "number",
        "opened_at",
        "line__name",
        "line__slug",
        "service",
        "configuration_item",
        "category",
        "priority",
        "state",
        "short_description",
    )


def get_incident(pk: int) -> Incident:
    return get_object_or_404(Incident.objects.select_related("line", "last_batch"), pk=pk)


@dataclass(frozen=True)
class Cursor:
    """Where a keyset page starts: after the row with this opened_at and id."""

    opened_at: datetime
    pk: int

    def encode(self) -> str:
        # UTC with "Z": no "+" to be mangled into a space by a hand-edited address.
        return f"{self.opened_at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}_{self.pk}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Raises ValueError for anything that is not a cursor this page wrote."""
        stamp, separator, pk = text.partition("_")
        if not separator or len(text) > 64 or not pk.isdigit() or not stamp:
            raise ValueError("not a cursor")
        opened_at = datetime.fromisoformat(stamp)
        if opened_at.tzinfo is None:
            raise ValueError("a cursor's time has a zone")
        return cls(opened_at, int(pk))


def keyset_page(
    incidents: QuerySet[Incident], *, after: Cursor | None, oldest_first: bool
) -> tuple[list[Incident], Cursor | None]:
    """One page in (opened_at, id) order and the cursor of the next page, if any.

    The redundant ``opened_at <=`` bound lets the database range-scan the
    (opened_at, id) index instead of filtering an OR on every row.
    """
    if oldest_first:
        incidents = incidents.order_by("opened_at", "pk")
        if after:
            incidents = incidents.filter(opened_at__gte=after.opened_at).filter(
                Q(opened_at__gt=after.opened_at) | Q(pk__gt=after.pk)
            )
    else:
        incidents = incidents.order_by("-opened_at", "-pk")
        if after:
            incidents = incidents.filter(opened_at__lte=after.opened_at).filter(
                Q(opened_at__lt=after.opened_at) | Q(pk__lt=after.pk)
            )
    rows = list(incidents[: PAGE_SIZE + 1])
    if len(rows) <= PAGE_SIZE:
        return rows, None
    last = rows[PAGE_SIZE - 1]
    return rows[:PAGE_SIZE], Cursor(last.opened_at, last.pk)


# --- departments -------------------------------------------------------------------------


def departments_for_list(*, unmapped_only: bool, search: str = "") -> QuerySet[DepartmentMapping]:
    """Department mappings, unmapped first, each with how many incidents it maps.

    An incident is mapped by its department, else by its location (as the engine does),
    so the count is a correlated subquery over the two indexed columns.
    """
    raw = OuterRef("raw_value")
    count = (
        Incident.objects.filter(Q(department=raw) | Q(department="", location=raw))
        .order_by()
        .values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    )
    mappings = DepartmentMapping.objects.select_related("line").annotate(
        incident_count=Subquery(count, output_field=IntegerField()),
        mapped=ExpressionWrapper(Q(line__isnull=False), output_field=BooleanField()),
    )
    if unmapped_only:
        mappings = mappings.filter(line__isnull=True)
    if search:
        mappings = mappings.filter(raw_value__icontains=search)
    return mappings.order_by("mapped", "raw_value")


def zone(name: str) -> tzinfo:
    return ZoneInfo(name)
