from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from itrm.access import (
    can_edit_line,
    is_it_staff,
    it_staff_required,
    require_edit_line,
    signed_in,
)
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate
from meetings import calendar, services
from meetings.forms import (
    ActionItemForm,
    ActionStatusForm,
    AttendanceForm,
    IcsImportForm,
    MeetingLogForm,
    NotesForm,
    SeriesForm,
)
from meetings.models import ActionItem, CalendarFeed, Meeting, MeetingSeries
from meetings.queries import (
    actions_for_user,
    get_meeting,
    meeting_workspace,
    meetings_for_list,
    overdue_q,
)
from recommendations.queries import agenda_cards
from stakeholders.models import BusinessLine, Stakeholder
from stakeholders.queries import editable_lines, get_line

TEMPLATE = "meetings/meeting_detail.html"


@require_GET
@it_staff_required
def meeting_list(request: HtmxHttpRequest) -> HttpResponse:
    meetings = meetings_for_list().filter(starts_at__lte=timezone.now(), cancelled=False)
    line = BusinessLine.objects.filter(slug=request.GET.get("line", "")).first()
    if line:
        meetings = meetings.filter(line=line)
    elif request.GET.get("mine", "1") == "1":
        meetings = meetings.filter(line__in=editable_lines(request.user))
    page = paginate(request, meetings)
    context = {"page": page, "line": line, "lines": BusinessLine.objects.order_by("name")}
    return render(request, template_for(request, "meetings/meeting_list.html", "results"), context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def meeting_log(request: HtmxHttpRequest) -> HttpResponse:
    lines = editable_lines(request.user)
    own = lines.filter(slug=request.GET.get("line", "")).first() or lines.first()
    initial = {"line": own, "date": timezone.localdate(), "attendees": [request.user]}
    form = MeetingLogForm(request.POST or None, initial=initial, lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = services.meeting_log(
            line=data["line"],
            kind=data["kind"],
            title=data["title"],
            starts_at=services.local_start(data["date"], data["time"]),
            duration_minutes=data["duration_minutes"],
            attendees=list(data["attendees"]),
            created_by=signed_in(request),
        )
        return redirect(f"{meeting.get_absolute_url()}?new=1")
    recent = meetings_for_list().filter(
        line__in=lines,
        cancelled=False,
        starts_at__range=(timezone.now() - timedelta(days=7), timezone.now() + timedelta(hours=2)),
    )[:8]
    return render(
        request,
        "meetings/meeting_log.html",
        {"form": form, "recent": recent, "no_lines": not lines.exists()},
    )


def _workspace(request: HtmxHttpRequest, meeting: Meeting, **extra: object) -> dict[str, object]:
    return {
        "meeting": meeting,
        "can_edit": can_edit_line(request.user, meeting.line),
        "action_form": ActionItemForm(initial={"owner": request.user}),
        "attendance_form": AttendanceForm(),
        **meeting_workspace(meeting),
        **extra,
    }


@require_GET
@it_staff_required
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    # An upcoming department meeting suggests the line's new and shared cards as agenda items.
    upcoming = meeting.kind == "department" and meeting.starts_at >= timezone.now()
    agenda = agenda_cards(meeting.line) if upcoming else None
    context = _workspace(request, meeting, new=request.GET.get("new"), agenda_cards=agenda)
    return render(request, TEMPLATE, context)


@require_POST
@it_staff_required
def meeting_notes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_edit_line(request.user, meeting.line)
    form = NotesForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors["notes"].as_text(), status=422)
    services.meeting_save_notes(meeting=meeting, text=form.cleaned_data["notes"])
    if request.htmx:
        return render(request, f"{TEMPLATE}#notes-status", {"meeting": meeting})
    messages.success(request, "Notes saved.")
    return redirect(meeting)


@require_GET
@it_staff_required
def stakeholder_search(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    query = request.GET.get("q", "").strip()
    people = Stakeholder.objects.filter(line=meeting.line).exclude(meetings=meeting)
    if query:
        people = people.filter(Q(name__icontains=query) | Q(title__icontains=query))
    context = {"meeting": meeting, "matches": people.order_by("name")[:10], "query": query}
    return render(request, f"{TEMPLATE}#stakeholder-results", context)


@require_POST
@it_staff_required
def stakeholder_present(request: HtmxHttpRequest, pk: int, stakeholder_pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_edit_line(request.user, meeting.line)
    person = get_object_or_404(Stakeholder, pk=stakeholder_pk, line=meeting.line)
    if request.POST.get("remove"):
        meeting.stakeholders_present.remove(person)
    else:
        meeting.stakeholders_present.add(person)
    if request.htmx:
        return render(request, f"{TEMPLATE}#present", _workspace(request, meeting))
    return redirect(meeting)


@require_POST
@it_staff_required
def meeting_attendance(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_edit_line(request.user, meeting.line)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        services.attendance_set(
            meeting=meeting, user=form.cleaned_data["user"], status=form.cleaned_data["status"]
        )
    context = _workspace(
        request, meeting, attendance_form=form if form.errors else AttendanceForm()
    )
    if request.htmx:
        return render(request, f"{TEMPLATE}#attendance", context)
    return redirect(meeting)


@require_POST
@it_staff_required
def action_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting(pk)
    require_edit_line(request.user, meeting.line)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        services.action_item_create(
            line=meeting.line,
            meeting=meeting,
            title=form.cleaned_data["title"],
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
            created_by=signed_in(request),
        )
        form = ActionItemForm(initial={"owner": form.cleaned_data["owner"]})
        if not request.htmx:
            return redirect(meeting)
    context = _workspace(request, meeting, action_form=form)
    return render(request, f"{TEMPLATE}#actions" if request.htmx else TEMPLATE, context)


@require_POST
@it_staff_required
def action_status(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ActionItem.objects.select_related("line", "owner", "meeting"), pk=pk)
    if item.owner_id != request.user.pk:
        require_edit_line(request.user, item.line)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(item=item, status=form.cleaned_data["status"])
    if request.htmx:
        return render(request, "meetings/_action_row.html", {"item": item, "can_edit": True})
    return redirect(request.POST.get("next") or "meetings:my_actions")


@require_GET
@it_staff_required
def my_actions(request: HtmxHttpRequest) -> HttpResponse:
    show_all = request.GET.get("show") == "all"
    items = actions_for_user(signed_in(request).pk)
    if not show_all:
        items = items.filter(status__in=services.open_action_statuses())
    overdue = overdue_q(timezone.localdate())
    items = items.annotate(
        overdue_first=Case(
            When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_first", "due_on", "pk")
    context = {
        "page": paginate(request, items),
        "show_all": show_all,
        "overdue": actions_for_user(signed_in(request).pk).filter(overdue).count(),
    }
    return render(request, "meetings/my_actions.html", context)


@require_http_methods(["GET", "POST"])
@it_staff_required
def series_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    require_edit_line(request.user, line)
    form = SeriesForm(
        request.POST or None,
        initial={"starts_on": timezone.localdate(), "title": f"{line.name} monthly meeting"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        series = MeetingSeries.objects.create(
            line=line,
            title=data["title"],
            kind=data["kind"],
            rrule=data["rrule"],
            starts_on=data["starts_on"],
            start_time=data["start_time"],
            duration_minutes=data["duration_minutes"],
            time_zone=data["time_zone"],
            until=data["until"],
            location=data["location"],
            created_by=signed_in(request),
        )
        created = services.series_generate(series=series)
        messages.success(request, f"{series.title}: {created} meetings scheduled.")
        return redirect(line)
    return render(request, "meetings/series_form.html", {"form": form, "line": line})


@require_http_methods(["GET", "POST"])
@it_staff_required
def series_import(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    line = get_line(slug)
    require_edit_line(request.user, line)
    form = IcsImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = calendar.import_ics(
                line=line, data=form.cleaned_data["file"].read(), created_by=signed_in(request)
            )
        except calendar.CalendarFileError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(
                request,
                f"Imported {len(result.series)} series and {len(result.single)} single meetings.",
            )
            for reason in result.skipped:
                messages.warning(request, f"Skipped {reason}")
            return redirect(line)
    return render(request, "meetings/series_import.html", {"form": form, "line": line})


@require_http_methods(["GET", "POST"])
@it_staff_required
def calendar_settings(request: HtmxHttpRequest) -> HttpResponse:
    feed, _ = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        feed.rotate()
        messages.success(request, "A new calendar address is ready; the old one no longer works.")
        return redirect("meetings:calendar_settings")
    url = request.build_absolute_uri(f"/calendar/{feed.token}.ics")
    return render(request, "meetings/calendar.html", {"feed_url": url})


@require_GET
@login_not_required
def calendar_feed(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """The private .ics feed: the token is the only credential, so it is long and rotatable."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active or not is_it_staff(feed.user):
        raise Http404("No such calendar")
    response = HttpResponse(
        calendar.feed_for(feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="itrm-meetings.ics"'
    return response
