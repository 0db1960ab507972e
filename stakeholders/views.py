from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from itrm.access import (
    can_edit_line,
    is_manager,
    it_staff_required,
    require_edit_line,
    require_manager,
)
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate
from meetings.services import attendance_rates
from stakeholders.charts import grid_html
from stakeholders.filters import LineFilter
from stakeholders.forms import LineForm, NeedForm, StakeholderForm
from stakeholders.models import BusinessLine, Stakeholder
from stakeholders.queries import get_line, get_stakeholder, health_of, lines_for_list
from stakeholders.touchpoints import search_line, touchpoints

# The event that tells a line page's people table and grid to reload themselves.
STAKEHOLDERS_CHANGED = "stakeholders-changed"


@require_GET
@it_staff_required
def line_list(request: HtmxHttpRequest) -> HttpResponse:
    line_filter = LineFilter(request.GET, queryset=lines_for_list(), request=request)
    page = paginate(request, line_filter.qs)
    rows = [(line, health_of(line)) for line in page]
    context = {"filter": line_filter, "page": page, "rows": rows}
    return render(request, template_for(request, "stakeholders/line_list.html", "results"), context)


def _line_context(line: BusinessLine, user: object) -> dict[str, object]:
    people = list(line.stakeholders.select_related("line").order_by("name"))
    return {
        "line": line,
        "health": health_of(line),
        "people": people,
        "grid": grid_html(people, div_id=f"grid-{line.slug}", show_line=False),
        "can_edit": can_edit_line(user, line),  # type: ignore[arg-type]
    }


@require_GET
@it_staff_required
def line_detail(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    context = _line_context(line, request.user)
    context.update(
        needs=line.needs.select_related("stakeholder"),
        children=line.children.all(),
        form=StakeholderForm(),
        need_form=NeedForm(line_id=line.pk),
        touchpoints=touchpoints(line.pk, limit=15),
        rates=attendance_rates(line_id=line.pk),
        series=line.meeting_series.order_by("title"),
    )
    fragment = request.GET.get("fragment")
    if request.htmx and fragment in {"people", "grid"}:
        return render(request, f"stakeholders/line_detail.html#{fragment}", context)
    return render(request, "stakeholders/line_detail.html", context)


@require_GET
@it_staff_required
def grid(request: HtmxHttpRequest) -> HttpResponse:
    lines = BusinessLine.objects.order_by("name")
    people = Stakeholder.objects.select_related("line")
    selected = lines.filter(slug=request.GET.get("line", "")).first()
    if selected:
        people = people.filter(line=selected)
    context = {
        "lines": lines,
        "selected": selected,
        "count": len(people),
        "grid": grid_html(people, div_id="grid-all", show_line=selected is None),
    }
    return render(request, template_for(request, "stakeholders/grid.html", "chart"), context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def stakeholder_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    require_edit_line(request.user, line)
    form = StakeholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save(commit=False)
        person.line = line
        person.save()
        if request.htmx:
            # A fresh form, and an event so the people table and the grid reload.
            fresh = {"line": line, "form": StakeholderForm(), "created": person}
            response = render(request, "stakeholders/_stakeholder_form.html", fresh)
            return trigger_client_event(response, STAKEHOLDERS_CHANGED)
        messages.success(request, f"{person.name} added to {line.name}.")
        return redirect(line)
    template = (
        "stakeholders/_stakeholder_form.html"
        if request.htmx
        else "stakeholders/stakeholder_form.html"
    )
    return render(request, template, {"line": line, "form": form})


@require_GET
@it_staff_required
def stakeholder_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_stakeholder(pk)
    context = {
        "person": person,
        "needs": person.needs.all(),
        "can_edit": can_edit_line(request.user, person.line),
    }
    return render(request, "stakeholders/stakeholder_detail.html", context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def stakeholder_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_stakeholder(pk)
    require_edit_line(request.user, person.line)
    form = StakeholderForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{person.name} saved.")
        if request.htmx:
            return HttpResponseClientRedirect(person.get_absolute_url())
        return redirect(person)
    template = (
        "stakeholders/_stakeholder_form.html"
        if request.htmx
        else "stakeholders/stakeholder_form.html"
    )
    return render(request, template, {"line": person.line, "form": form, "person": person})


@require_http_methods(["GET", "POST"])
@it_staff_required
def stakeholder_delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = get_stakeholder(pk)
    require_edit_line(request.user, person.line)
    if request.method == "GET":
        return render(request, "stakeholders/stakeholder_confirm_delete.html", {"person": person})
    line = person.line
    person.delete()
    if request.htmx:
        return trigger_client_event(HttpResponse(""), STAKEHOLDERS_CHANGED)
    messages.success(request, f"{person.name} removed from {line.name}.")
    return redirect(line)


@require_http_methods(["POST"])
@it_staff_required
def need_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    require_edit_line(request.user, line)
    form = NeedForm(request.POST, line_id=line.pk)
    if form.is_valid():
        need = form.save(commit=False)
        need.line = line
        need.save()
        if not request.htmx:
            messages.success(request, f"Need “{need.title}” added.")
            return redirect(line)
        form = NeedForm(line_id=line.pk)
    context = {
        "line": line,
        "need_form": form,
        "needs": line.needs.select_related("stakeholder"),
        "can_edit": True,
    }
    if request.htmx:
        return render(request, "stakeholders/line_detail.html#needs", context)
    return render(request, "stakeholders/need_form.html", context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def line_create(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = LineForm(request.POST or None, can_assign=True)
    if request.method == "POST" and form.is_valid():
        line = form.save()
        messages.success(request, f"{line.name} created.")
        return redirect(line)
    return render(request, "stakeholders/line_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@it_staff_required
def line_edit(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    require_edit_line(request.user, line)
    form = LineForm(request.POST or None, instance=line, can_assign=is_manager(request.user))
    if request.method == "POST" and form.is_valid():
        line = form.save()
        messages.success(request, f"{line.name} saved.")
        return redirect(line)
    return render(request, "stakeholders/line_form.html", {"form": form, "line": line})


@require_http_methods(["POST"])
@it_staff_required
def line_contact(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Record that IT was in touch with the line today (meetings will record it themselves)."""
    line = get_line(slug)
    require_edit_line(request.user, line)
    line.last_contact_on = timezone.localdate()
    line.save(update_fields=["last_contact_on", "updated_at"])
    if request.htmx:
        context = {"line": line, "health": health_of(line), "can_edit": True}
        return render(request, "stakeholders/line_detail.html#health", context)
    messages.success(request, f"Contact with {line.name} recorded for today.")
    return redirect(line)


@require_GET
@it_staff_required
def line_search(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    """Search the line's meeting notes and DILO observations."""
    line = get_line(slug)
    query = request.GET.get("q", "").strip()[:200]
    results = search_line(line.pk, query) if query else {"meetings": [], "observations": []}
    context = {"line": line, "query": query, **results}
    return render(request, template_for(request, "stakeholders/line_search.html", "hits"), context)
