"""Pages of incident imports, the incident list, department mappings and line merges.

Imports, department mappings and merges are for managers; the incident pages for IT staff.
"""

from __future__ import annotations

import csv
import itertools
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, available_timezones

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HTMX_STOP_POLLING

from incidents import services
from incidents.filters import IncidentFilter
from incidents.forms import (
    DATE_ORDER_CHOICES,
    DepartmentAssignForm,
    DepartmentFilterForm,
    LineMergeForm,
    MappingForm,
    UploadForm,
)
from incidents.lines import department_map, lines_merge
from incidents.models import DepartmentMapping, ImportBatch, ImportStatus, Incident
from incidents.parsing import FIELDS, FileFormatError, mapping_from_names
from incidents.queries import (
    ACTIVE,
    FINISHED,
    MAPPABLE,
    Cursor,
    batches_for_list,
    departments_for_list,
    duration_text,
    field_label,
    format_label,
    get_batch,
    get_incident,
    head_of,
    incidents_for_list,
    keyset_page,
    preview_of,
    progress_of,
    rejected_rows,
)
from itrm.access import it_staff_required, require_manager, signed_in
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate
from stakeholders.models import BusinessLine

if TYPE_CHECKING:
    pass

MAPPING = "incidents/import_mapping.html"
DETAIL = "incidents/import_detail.html"
DEPARTMENTS = "incidents/department_list.html"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- imports -----------------------------------------------------------------------------


@require_GET
def import_list(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    context = {"page": paginate(request, batches_for_list())}
    return render(request, template_for(request, "incidents/import_list.html", "results"), context)


@require_http_methods(["GET", "POST"])
def import_new(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.import_create(
                upload=data["file"],
                source=data["source"],
                time_zone=data["time_zone"],
                create_lines=data["create_lines"],
                profile=data["profile"],
                created_by=signed_in(request),
            )
        except FileFormatError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("incidents:import_mapping", batch.pk)
    context = {"form": form, "time_zones": _time_zones()}
    return render(request, "incidents/import_new.html", context)


@cache
def _time_zones() -> list[str]:
    return sorted(available_timezones())


@require_http_methods(["GET", "POST"])
def import_mapping(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    batch = get_batch(pk)
    if batch.status not in MAPPABLE:
        messages.info(request, "This import has started; its mapping can no longer change.")
        return redirect(batch)
    try:
        head = head_of(batch)
    except FileFormatError as exc:
        return render(request, MAPPING, {"batch": batch, "file_error": str(exc)})
    # The preview's refreshes send the form by GET; any other query string is no form.
    data = request.POST if request.method == "POST" else None
    if request.method == "GET" and "number" in request.GET:
        data = request.GET
    mapping = mapping_from_names(head.headers, batch.mapping)
    form = MappingForm(data, head=head, mapping=mapping, date_order=batch.date_order)
    # "preview" is the no-JavaScript refresh of the preview: it checks, and runs nothing.
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        started = services.import_configure(
            batch=batch,
            mapping=form.mapping_names(),
            date_order=form.date_order_value(),
            save_as=form.cleaned_data["save_as"].strip(),
            user=signed_in(request),
        )
        if not started:
            messages.info(request, "This import has started already.")
        return redirect(batch)
    context = {
        "batch": batch,
        "form": form,
        "format_label": format_label(batch.detected_format),
        "preview": preview_of(
            head, form.chosen_mapping(), form.preview_orders(), ZoneInfo(batch.time_zone)
        ),
    }
    return render(request, template_for(request, MAPPING, "preview"), context)


@require_GET
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    batch = get_batch(pk)
    if batch.status == ImportStatus.RUNNING and services.import_mark_stalled():
        batch = get_batch(pk)
    response = render(request, template_for(request, DETAIL, "import-status"), _detail(batch))
    if request.htmx and batch.status in FINISHED:
        # 286 tells htmx to stop polling (the fragment has no trigger any more either).
        response.status_code = HTMX_STOP_POLLING
    return response


def _detail(batch: ImportBatch) -> dict[str, Any]:
    active = batch.status in ACTIVE
    done = batch.status == ImportStatus.DONE
    return {
        "batch": batch,
        "active": active,
        "done": done,
        "mappable": batch.status in MAPPABLE,
        "progress": progress_of(batch, timezone.now()) if active else None,
        "rejections": list(batch.rejections.all()[:50]) if done and batch.rejected else [],
        "mapping_rows": [
            (field_label(name), batch.mapping[name]) for name in FIELDS if name in batch.mapping
        ],
        "format_label": format_label(batch.detected_format),
        "date_order_label": dict(DATE_ORDER_CHOICES).get(batch.date_order, "not decided yet"),
        "took": duration_text(batch.started_at, batch.finished_at),
    }


@require_POST
def import_cancel(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    batch = get_batch(pk)
    outcome = services.import_cancel(batch_id=batch.pk)
    messages.info(
        request,
        {
            "cancelled": "Import cancelled.",
            "cancelling": "Cancelling: the import stops at its next progress report.",
        }.get(outcome, "This import has ended already."),
    )
    return redirect(batch)


@require_POST
def import_rerun(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    batch = get_batch(pk)
    queued = services.import_rerun(batch_id=batch.pk)
    if not queued:
        messages.info(request, "Only a failed or cancelled import can run again.")
    return redirect(batch)


class _Echo:
    """The file-like object csv.writer needs, handing each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(value: str) -> str:
    """A cell that a spreadsheet would run as a formula, made text by a leading quote."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@require_GET
def import_rejected(request: HtmxHttpRequest, pk: int) -> StreamingHttpResponse:
    require_manager(request.user)
    batch = get_batch(pk)
    writer = csv.writer(_Echo())
    lines = (writer.writerow([spreadsheet_safe(v) for v in row]) for row in rejected_rows(batch))
    # The byte-order mark makes Excel read the file as UTF-8.
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-rejected.csv"'
    return response


# --- incidents ---------------------------------------------------------------------------


def _cursor(text: str) -> tuple[Cursor | None, bool]:
    """The page cursor of a request, and whether a given one was unreadable."""
    if not text:
        return None, False
    try:
        return Cursor.decode(text), False
    except ValueError:
        return None, True


@require_GET
@it_staff_required
def incident_list(request: HtmxHttpRequest) -> HttpResponse:
    incident_filter = IncidentFilter(request.GET, queryset=incidents_for_list())
    after, bad_cursor = _cursor(request.GET.get("after", ""))
    rows, next_cursor = keyset_page(
        incident_filter.qs, after=after, oldest_first=incident_filter.oldest_first
    )
    first = request.GET.copy()
    first.pop("after", None)
    following = first.copy()
    if next_cursor:
        following["after"] = next_cursor.encode()
    context = {
        "filter": incident_filter,
        "rows": rows,
        "after": after,
        "bad_cursor": bad_cursor,
        "first_query": first.urlencode(),
        "next_query": following.urlencode() if next_cursor else "",
    }
    return render(
        request, template_for(request, "incidents/incident_list.html", "results"), context
    )


@require_GET
@it_staff_required
def incident_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    incident = get_incident(pk)
    return render(request, "incidents/incident_detail.html", {"incident": incident})


# --- departments and lines ---------------------------------------------------------------


def _line_choices() -> list[BusinessLine]:
    return list(BusinessLine.objects.order_by("name").only("pk", "name"))


@require_GET
def department_list(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = DepartmentFilterForm(request.GET)
    form.is_valid()  # an invalid choice falls back to the default, shown with its error
    show = form.cleaned_data.get("show") or "unmapped"
    mappings = departments_for_list(
        unmapped_only=show == "unmapped", search=(form.cleaned_data.get("q") or "").strip()
    )
    context = {"form": form, "show": show, "page": paginate(request, mappings)}
    context.update(lines=_line_choices(), back=request.get_full_path())
    return render(request, template_for(request, DEPARTMENTS, "results"), context)


def _moved(count: int, line: BusinessLine | None) -> str:
    noun = "incident" if count == 1 else "incidents"
    return f"{count} {noun} moved to {line.name}." if line else f"{count} {noun} left unmapped."


@require_POST
def department_assign(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    mapping = get_object_or_404(DepartmentMapping, pk=pk)
    form = DepartmentAssignForm(request.POST)
    note = "Choose a business line from the list."
    if form.is_valid():
        line = form.cleaned_data["line"]
        note = _moved(department_map(mapping=mapping, line=line), line)
    if request.htmx:
        row = departments_for_list(unmapped_only=False).get(pk=mapping.pk)
        context = {"mapping": row, "lines": _line_choices(), "note": note, "ok": form.is_valid()}
        context["back"] = request.POST.get("next", "")
        return render(request, "incidents/_department_row.html", context)
    (messages.success if form.is_valid() else messages.error)(
        request, f"{mapping.raw_value}: {note}"
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("incidents:department_list")


@require_http_methods(["GET", "POST"])
def line_merge(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = LineMergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source, target = form.cleaned_data["source"], form.cleaned_data["target"]
        if request.POST.get("confirm") != "yes":
            context = {
                "form": form,
                "source": source,
                "target": target,
                "incident_count": Incident.objects.filter(line=source).count(),
                "people_count": source.stakeholders.count(),
                "department_count": source.departments.count(),
            }
            return render(request, "incidents/line_merge.html", context)
        name = source.name
        moved = lines_merge(source=source, target=target)
        noun = "incident" if moved == 1 else "incidents"
        messages.success(request, f"{name} merged into {target.name}: {moved} {noun} moved.")
        return redirect(target)
    return render(request, "incidents/line_merge.html", {"form": form})
