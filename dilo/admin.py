from __future__ import annotations

from django.contrib import admin

from dilo.models import Observation, PainPoint, Tag, TimelineEntry


class TimelineEntryInline(admin.TabularInline):
    model = TimelineEntry
    extra = 0
    fields = ["at", "activity", "systems"]


class PainPointInline(admin.TabularInline):
    model = PainPoint
    extra = 0
    fields = [
        "description",
        "system",
        "frequency",
        "frequency_unit",
        "minutes_lost",
        "severity",
        "hours_lost_per_month",
    ]
    readonly_fields = ["hours_lost_per_month"]
    show_change_link = True  # tags are edited on the pain point's own page


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["observed_on", "line", "observed_role", "observed_stakeholder", "observer"]
    list_filter = ["line"]
    date_hierarchy = "observed_on"
    search_fields = ["goal", "summary", "observed_role", "observed_stakeholder__name"]
    list_select_related = ["line", "observed_stakeholder", "observer"]
    autocomplete_fields = ["line", "observed_stakeholder", "observer"]
    inlines = [TimelineEntryInline, PainPointInline]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "activity", "systems", "observation"]
    search_fields = ["activity", "systems"]
    list_select_related = ["observation__line", "observation__observed_stakeholder"]
    autocomplete_fields = ["observation"]


@admin.register(PainPoint)
class PainPointAdmin(admin.ModelAdmin):
    list_display = ["system", "description", "severity", "hours_lost_per_month", "observation"]
    list_filter = ["severity", "frequency_unit", "tags"]
    search_fields = ["description", "system"]
    list_select_related = ["observation__line", "observation__observed_stakeholder"]
    autocomplete_fields = ["observation"]
    filter_horizontal = ["tags"]
    readonly_fields = ["hours_lost_per_month"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
