from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from incidents.models import (
    AnalysisLineResult,
    AnalysisRun,
    DepartmentMapping,
    ImportBatch,
    ImportRejection,
    Incident,
    MappingProfile,
)

# An import can reject a million rows; the admin page shows the first ones (the import's
# page offers them all as a CSV download).
REJECTIONS_SHOWN = 100


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Read-mostly: incidents come from imports, and the next import would undo an edit."""

    list_display = ("number", "source", "opened_at", "line", "priority", "state", "category")
    list_filter = ("source", "priority", "line")
    list_select_related = ("line",)
    search_fields = ("=number", "short_description")
    raw_id_fields = ("last_batch",)
    # COUNT(*) over a million rows on every page is what the admin does by default.
    show_full_result_count = False
    ordering = ("-opened_at", "-id")
    readonly_fields = tuple(
        f.name for f in Incident._meta.concrete_fields if f.name not in ("id", "line")
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class RejectionFormSet(BaseInlineFormSet):
    def get_queryset(self) -> QuerySet[ImportRejection]:
        return super().get_queryset()[:REJECTIONS_SHOWN]


class RejectionInline(admin.TabularInline):
    model = ImportRejection
    formset = RejectionFormSet
    fields = ("row_number", "reason", "values")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = f"rejected rows (the first {REJECTIONS_SHOWN})"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "status",
        "source",
        "read",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "source")
    list_select_related = ("created_by",)
    search_fields = ("original_name",)
    inlines = [RejectionInline]
    readonly_fields = (
        "size",
        "kind",
        "encoding",
        "delimiter",
        "detected_format",
        "status",
        "read",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "incidents",
        "rows_done",
        "error",
        "created_by",
        "created_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
    )


@admin.register(DepartmentMapping)
class DepartmentMappingAdmin(admin.ModelAdmin):
    list_display = ("raw_value", "line")
    list_filter = (("line", admin.EmptyFieldListFilter),)
    list_select_related = ("line",)
    search_fields = ("raw_value",)


@admin.register(MappingProfile)
class MappingProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "date_order", "created_by", "created_at")
    search_fields = ("name",)
    readonly_fields = ("created_by", "created_at")


@admin.register(ImportRejection)
class ImportRejectionAdmin(admin.ModelAdmin):
    """Rejected rows are the record of an import; they are read, never written, by hand."""

    list_display = ("batch", "row_number", "reason")
    list_select_related = ("batch",)
    search_fields = ("reason",)
    raw_id_fields = ("batch",)
    readonly_fields = ("batch", "row_number", "reason", "values")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class AnalysisLineResultInline(admin.TabularInline):
    model = AnalysisLineResult
    extra = 0
    can_delete = False
    readonly_fields = (
        "line",
        "incidents",
        "candidates",
        "created",
        "updated",
        "unchanged",
        "reopened",
        "timings",
    )


@admin.register(AnalysisRun)
class AnalysisRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "as_of", "trigger", "status", "lines_done", "created", "updated")
    list_filter = ("status", "trigger")
    raw_id_fields = ("requested_by", "line")
    inlines = [AnalysisLineResultInline]


@admin.register(AnalysisLineResult)
class AnalysisLineResultAdmin(admin.ModelAdmin):
    list_display = ("run", "line", "incidents", "candidates", "created", "updated")
    list_select_related = ("run", "line")
    raw_id_fields = ("run", "line")
