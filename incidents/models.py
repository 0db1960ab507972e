"""Incidents imported from ITSM exports, and the record of each import."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from stakeholders.models import BusinessLine


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class MappingProfile(models.Model):
    """A named column mapping, saved from the mapping screen and reused next time."""

    name = models.CharField(max_length=100, unique=True)
    mapping = models.JSONField(help_text="Canonical field → header name in the file.")
    date_order = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One import of one file: what was detected, what was decided, what happened."""

    source = models.CharField(max_length=64, default="servicenow")
    original_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    # A file imported from the shell is read where it lies, not copied into MEDIA_ROOT.
    source_path = models.CharField(max_length=1000, blank=True)
    size = models.BigIntegerField(default=0)
    kind = models.CharField(max_length=8, blank=True)
    encoding = models.CharField(max_length=16, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    detected_format = models.CharField(max_length=32, blank=True)
    event_log = models.BooleanField(default=False)
    mapping = models.JSONField(default=dict, blank=True)
    date_order = models.CharField(max_length=3, blank=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    create_lines = models.BooleanField(default=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    incidents = models.PositiveIntegerField(default=0, help_text="Distinct incidents in the file.")
    rows_done = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        constraints = [
            # Every row is accounted for once an import is done.
            models.CheckConstraint(
                condition=~Q(status="done")
                | Q(
                    read=models.F("created")
                    + models.F("updated")
                    + models.F("unchanged")
                    + models.F("rejected")
                ),
                name="import_rows_accounted_for",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:import_detail", args=[self.pk])

    @property
    def path(self) -> str:
        return self.source_path or self.file.path

    @property
    def summary(self) -> str:
        return (
            f"read {self.read}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, rejected {self.rejected}"
        )


class ImportRejection(models.Model):
    """A row an import could not take, with its spreadsheet row number and the reason."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejections")
    row_number = models.PositiveIntegerField()
    reason = models.CharField(max_length=500)
    values = models.JSONField(default=list)

    class Meta:
        ordering = ["batch", "row_number"]
        indexes = [
            # The rejected-rows download: WHERE batch_id = ? ORDER BY row_number
            models.Index(fields=["batch", "row_number"], name="rejection_batch_row"),
        ]

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


class DepartmentMapping(models.Model):
    """A caller department or location as the ITSM writes it → the business line it is."""

    raw_value = models.CharField(max_length=200, unique=True)
    line = models.ForeignKey(
        BusinessLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="departments"
    )

    class Meta:
        ordering = ["raw_value"]

    def __str__(self) -> str:
        return f"{self.raw_value} → {self.line or 'unmapped'}"


class Incident(models.Model):
    source = models.CharField(max_length=64)
    number = models.CharField(max_length=64)
    # No index of its own: the (line, opened_at) index below serves every lookup by line, and
    # each index costs time on every imported row.
    line = models.ForeignKey(
        BusinessLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
        db_index=False,
    )
    opened_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    mod_count = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(max_length=64, blank=True)
    priority = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(null=True, blank=True)
    category = models.CharField(max_length=120, blank=True)
    subcategory = models.CharField(max_length=120, blank=True)
    service = models.CharField(max_length=200, blank=True)
    configuration_item = models.CharField(max_length=200, blank=True)
    assignment_group = models.CharField(max_length=200, blank=True)
    caller = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    short_description = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    resolution_notes = models.TextField(blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # A digest of the imported values: an import updates an incident only when it changed.
    row_hash = models.CharField(max_length=32)
    # Unindexed on purpose: only deleting an import record looks incidents up by it.
    last_batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="incident_source_number"),
        ]
        indexes = [
            # Keyset pages of the list, newest first: ORDER BY opened_at DESC, id DESC
            models.Index(fields=["-opened_at", "-id"], name="incident_opened_keyset"),
            # A line's incidents over time (analysis): WHERE line_id = ? AND opened_at ...
            models.Index(fields=["line", "opened_at"], name="incident_line_opened"),
            # Re-assigning incidents when a department is mapped: WHERE department = ?
            models.Index(fields=["department"], name="incident_department"),
            models.Index(fields=["location"], name="incident_location"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.short_description}" if self.short_description else self.number

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class RunTrigger(models.TextChoices):
    NIGHTLY = "nightly", "Nightly schedule"
    MANUAL = "manual", "Run now"
    SHELL = "shell", "Shell command"


class AnalysisRun(models.Model):
    """One run of the trend analysis over every (or one) business line."""

    as_of = models.DateField()
    window_days = models.PositiveSmallIntegerField(default=30)
    baseline_days = models.PositiveSmallIntegerField(default=150)
    line = models.ForeignKey(
        BusinessLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Blank: every line.",
    )
    params = models.JSONField(default=dict, blank=True)
    trigger = models.CharField(max_length=8, choices=RunTrigger.choices)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lines_total = models.PositiveIntegerField(default=0)
    lines_done = models.PositiveIntegerField(default=0)
    incidents = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=RunStatus.values), name="run_status"),
            # The lock against two runs at once: at most one run is queued or running.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_analysis_run",
            ),
        ]

    def __str__(self) -> str:
        return f"Analysis as of {self.as_of} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:analysis_run", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class AnalysisLineResult(models.Model):
    """What one run found for one line, and how long each stage took."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="results")
    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="+")
    incidents = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    timings = models.JSONField(default=dict, help_text="Stage name → seconds.")
    finished_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["line__name"]
        constraints = [
            # A re-delivered line task replaces its result instead of adding a second one.
            models.UniqueConstraint(fields=["run", "line"], name="analysis_result_run_line"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.line_id}"
