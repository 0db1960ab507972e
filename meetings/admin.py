from __future__ import annotations

from django.contrib import admin

from meetings.models import ActionItem, Attendance, CalendarFeed, Meeting, MeetingSeries


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    fields = ["title", "owner", "due_on", "status"]
    autocomplete_fields = ["owner"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "line", "kind", "rrule", "starts_on", "start_time", "until"]
    list_filter = ["kind", "line"]
    search_fields = ["title"]
    list_select_related = ["line"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "line", "kind", "starts_at", "cancelled"]
    list_filter = ["kind", "cancelled", "line"]
    search_fields = ["title", "notes"]
    date_hierarchy = "starts_at"
    list_select_related = ["line"]
    readonly_fields = ["notes_html", "notes_saved_at"]
    autocomplete_fields = ["line", "series"]
    filter_horizontal = ["stakeholders_present"]
    inlines = [AttendanceInline, ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "line", "owner", "due_on", "status"]
    list_filter = ["status", "line"]
    search_fields = ["title"]
    list_select_related = ["line", "owner"]
    autocomplete_fields = ["line", "owner", "meeting", "need"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "status"]
    list_filter = ["status"]
    list_select_related = ["meeting", "user"]
    autocomplete_fields = ["meeting", "user"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user"]
    readonly_fields = ["token"]
