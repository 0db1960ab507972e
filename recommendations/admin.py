from __future__ import annotations

from django.contrib import admin

from recommendations.models import Card, CardEvent, CardIncident, CardShare, Response


class CardEventInline(admin.TabularInline):
    model = CardEvent
    extra = 0
    raw_id_fields = ("actor",)


class CardShareInline(admin.TabularInline):
    model = CardShare
    extra = 0
    raw_id_fields = ("stakeholder", "shared_by")


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ("title", "line", "status", "source", "score", "window_count", "updated_at")
    list_filter = ("status", "source", "line")
    list_select_related = ("line",)
    search_fields = ("title", "signature")
    raw_id_fields = ("pain_point", "action_item", "last_run", "created_by")
    inlines = [CardShareInline, CardEventInline]


@admin.register(CardIncident)
class CardIncidentAdmin(admin.ModelAdmin):
    list_display = ("card", "incident", "added_at")
    raw_id_fields = ("card", "incident")
    list_select_related = ("card", "incident")


@admin.register(CardEvent)
class CardEventAdmin(admin.ModelAdmin):
    list_display = ("card", "kind", "from_status", "to_status", "actor", "at")
    list_filter = ("kind",)
    raw_id_fields = ("card", "actor")


@admin.register(CardShare)
class CardShareAdmin(admin.ModelAdmin):
    list_display = ("card", "stakeholder", "shared_at", "withdrawn_at")
    raw_id_fields = ("card", "stakeholder", "shared_by")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("card", "stakeholder", "kind", "at")
    list_filter = ("kind",)
    raw_id_fields = ("card", "stakeholder", "author")
