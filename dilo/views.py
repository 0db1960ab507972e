from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from dilo.filters import ObservationFilter, PainPointFilter
from dilo.forms import ObservationForm, PainPointForm, TimelineEntryForm
from dilo.models import Observation
from dilo.queries import (
    entries_of,
    get_observation,
    hours_lost_of,
    observations_for_list,
    pain_points_for_list,
    pain_points_of,
)
from dilo.services import painpoint_create as create_pain_point
from itrm.access import can_edit_line, it_staff_required, require_edit_line
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate
from stakeholders.models import BusinessLine
from stakeholders.queries import editable_lines

DETAIL = "dilo/observation_detail.html"


def _observation_to_edit(request: HtmxHttpRequest, pk: int) -> Observation:
    """Load an observation for a write: 404 if unknown, 403 unless the user edits its line."""
    observation = get_observation(pk)
    require_edit_line(request.user, observation.line)
    return observation


def _require_posted_line_editable(request: HtmxHttpRequest) -> None:
    """Posting into a line one may not write for is refused (403), not shown as a typo.

    The form only offers editable lines, so only a crafted request gets here.
    """
    value = request.POST.get("line", "")
    if value.isdigit():
        line = BusinessLine.objects.prefetch_related("liaisons").filter(pk=value).first()
        if line is not None:
            require_edit_line(request.user, line)


def _timeline_context(
    observation: Observation, can_edit: bool, entry_form: TimelineEntryForm | None = None
) -> dict[str, Any]:
    return {
        "observation": observation,
        "can_edit": can_edit,
        "entries": entries_of(observation),
        "entry_form": entry_form or TimelineEntryForm(),
    }


def _initial_line(request: HtmxHttpRequest, lines: QuerySet[BusinessLine]) -> BusinessLine | None:
    """``?line=<slug>`` comes from a line's page; a liaison serving one line needs no choice."""
    chosen = lines.filter(slug=request.GET.get("line", "")).first()
    if chosen is None:
        first_two = list(lines[:2])
        chosen = first_two[0] if len(first_two) == 1 else None
    return chosen


def _pain_point_context(
    observation: Observation, can_edit: bool, pain_form: PainPointForm | None = None
) -> dict[str, Any]:
    pain_points = list(pain_points_of(observation))
    return {
        "observation": observation,
        "can_edit": can_edit,
        "pain_points": pain_points,
        # Summed from the rows already loaded: the table shows every one of them.
        "total_hours": sum(p.hours_lost_per_month for p in pain_points),
        "pain_form": pain_form or PainPointForm(),
    }


def _detail_context(
    observation: Observation,
    can_edit: bool,
    *,
    entry_form: TimelineEntryForm | None = None,
    pain_form: PainPointForm | None = None,
) -> dict[str, Any]:
    """Everything the whole page shows; an htmx fragment needs only its own half."""
    return {
        **_timeline_context(observation, can_edit, entry_form),
        **_pain_point_context(observation, can_edit, pain_form),
    }


@require_GET
@it_staff_required
def observation_list(request: HtmxHttpRequest) -> HttpResponse:
    observation_filter = ObservationFilter(request.GET, queryset=observations_for_list())
    context = {
        "filter": observation_filter,
        "page": paginate(request, observation_filter.qs),
        "can_create": editable_lines(request.user).exists(),
    }
    return render(request, template_for(request, "dilo/observation_list.html", "results"), context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def observation_create(request: HtmxHttpRequest) -> HttpResponse:
    lines = editable_lines(request.user)
    if request.method == "POST":
        _require_posted_line_editable(request)
    initial = {
        "observer": request.user.pk,
        "observed_on": timezone.localdate(),
        "line": _initial_line(request, lines),
    }
    form = ObservationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        observation = form.save()
        messages.success(request, "Observation recorded. Now add the timeline and pain points.")
        return redirect(observation)
    context = {"form": form, "has_lines": lines.exists()}
    return render(request, "dilo/observation_form.html", context)


@require_GET
@it_staff_required
def observation_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    observation = get_observation(pk)
    context = _detail_context(observation, can_edit_line(request.user, observation.line))
    fragment = request.GET.get("fragment")
    if request.htmx and fragment in {"timeline", "pain-points"}:
        return render(request, f"{DETAIL}#{fragment}", context)
    return render(request, DETAIL, context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def observation_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    observation = _observation_to_edit(request, pk)
    if request.method == "POST":
        _require_posted_line_editable(request)
    form = ObservationForm(request.POST or None, instance=observation, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Observation saved.")
        return redirect(observation)
    context = {"form": form, "observation": observation, "has_lines": True}
    return render(request, "dilo/observation_form.html", context)


@require_http_methods(["POST"])
@it_staff_required
def entry_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Add a timeline row; htmx gets the timeline back with a fresh, focused empty row."""
    observation = _observation_to_edit(request, pk)
    form = TimelineEntryForm(request.POST)
    if form.is_valid():
        entry = form.save(commit=False)
        entry.observation = observation
        entry.save()
        if not request.htmx:
            return redirect(f"{observation.get_absolute_url()}#timeline")
        form = TimelineEntryForm()
    # Typed values stay in a bound form on error; the cursor goes to the first bad field.
    form.focus()
    if request.htmx:
        return render(request, f"{DETAIL}#timeline", _timeline_context(observation, True, form))
    return render(request, DETAIL, _detail_context(observation, True, entry_form=form))


@require_http_methods(["POST"])
@it_staff_required
def entry_delete(request: HtmxHttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    observation = _observation_to_edit(request, pk)
    entry = get_object_or_404(observation.entries, pk=entry_pk)
    entry.delete()
    if request.htmx:
        # The row swaps itself out; the add row below keeps whatever is being typed.
        return HttpResponse("")
    messages.success(request, f"Entry “{entry}” deleted.")
    return redirect(f"{observation.get_absolute_url()}#timeline")


@require_http_methods(["POST"])
@it_staff_required
def painpoint_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    observation = _observation_to_edit(request, pk)
    form = PainPointForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        create_pain_point(
            observation=observation,
            description=data["description"],
            system=data["system"],
            frequency=data["frequency"],
            frequency_unit=data["frequency_unit"],
            minutes_lost=data["minutes_lost"],
            severity=data["severity"],
            tag_names=data["tags"],
        )
        if not request.htmx:
            return redirect(f"{observation.get_absolute_url()}#pain-points")
        form = PainPointForm()
    form.focus()
    if request.htmx:
        context = _pain_point_context(observation, True, form)
        return render(request, f"{DETAIL}#pain-points", context)
    return render(request, DETAIL, _detail_context(observation, True, pain_form=form))


@require_http_methods(["POST"])
@it_staff_required
def painpoint_delete(request: HtmxHttpRequest, pk: int, painpoint_pk: int) -> HttpResponse:
    observation = _observation_to_edit(request, pk)
    get_object_or_404(observation.pain_points, pk=painpoint_pk).delete()
    if request.htmx:
        # Only the table (and its total) is swapped, not the add form being typed into.
        context = _pain_point_context(observation, True)
        return render(request, f"{DETAIL}#painpoint-table", context)
    messages.success(request, "Pain point deleted.")
    return redirect(f"{observation.get_absolute_url()}#pain-points")


@require_GET
@it_staff_required
def painpoint_list(request: HtmxHttpRequest) -> HttpResponse:
    """Pain points of every line, filtered and sorted, with the filtered set's total hours."""
    pain_filter = PainPointFilter(request.GET, queryset=pain_points_for_list())
    context = {
        "filter": pain_filter,
        "page": paginate(request, pain_filter.qs),
        "total_hours": hours_lost_of(pain_filter.qs),
        "sort": pain_filter.form.cleaned_data.get("sort") or "hours",
    }
    return render(request, template_for(request, "dilo/painpoint_list.html", "results"), context)
