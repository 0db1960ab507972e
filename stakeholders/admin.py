from __future__ import annotations

from django.contrib import admin

from stakeholders.models import BusinessLine, Need, Stakeholder


class StakeholderInline(admin.TabularInline):
    model = Stakeholder
    extra = 0
    fields = ["name", "title", "influence", "interest", "stance"]
    show_change_link = True


@admin.register(BusinessLine)
class BusinessLineAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "contact_cadence_days", "last_contact_on"]
    list_filter = ["parent"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["liaisons"]
    autocomplete_fields = ["parent"]
    inlines = [StakeholderInline]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "line", "influence", "interest", "stance"]
    list_filter = ["stance", "line"]
    search_fields = ["name", "title", "email"]
    list_select_related = ["line"]
    autocomplete_fields = ["line", "user"]


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["title", "line", "kind", "priority", "status"]
    list_filter = ["kind", "status", "priority"]
    search_fields = ["title", "description"]
    list_select_related = ["line"]
    autocomplete_fields = ["line", "stakeholder"]
