"""Department meetings: series, occurrences, who from IT attended, notes and action items."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from itrm.lib.markdown import render_markdown
from stakeholders.models import BusinessLine, Need, Stakeholder


class MeetingKind(models.TextChoices):
    DEPARTMENT = "department", "Department meeting"
    STEERING = "steering", "Steering"
    ONE_TO_ONE = "one_to_one", "One-to-one"
    REVIEW = "review", "Review"


class MeetingSeries(models.Model):
    """A recurring meeting of a line, as an RFC 5545 recurrence rule in local wall time."""

    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="meeting_series")
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=12, choices=MeetingKind.choices, default=MeetingKind.DEPARTMENT
    )
    rrule = models.CharField(
        max_length=300, help_text="RFC 5545 rule, e.g. FREQ=MONTHLY;BYDAY=1TU (first Tuesday)."
    )
    starts_on = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE)
    until = models.DateField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line__name", "title"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="series_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.line})"


class Meeting(models.Model):
    """One meeting: an occurrence of a series, or a single meeting."""

    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="meetings")
    series = models.ForeignKey(
        MeetingSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )
    kind = models.CharField(
        max_length=12, choices=MeetingKind.choices, default=MeetingKind.DEPARTMENT
    )
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    cancelled = models.BooleanField(default=False)
    stakeholders_present = models.ManyToManyField(Stakeholder, blank=True, related_name="meetings")
    notes = models.TextField(blank=True, help_text="Markdown.")
    notes_html = models.TextField(blank=True, editable=False)
    notes_saved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            # A series generates each occurrence once, however often generation runs.
            models.UniqueConstraint(
                fields=["series", "starts_at"], name="meeting_once_per_series_start"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="meeting_duration_positive"
            ),
        ]
        indexes = [
            # Line page and attendance rates: WHERE line_id = ? AND starts_at BETWEEN ...
            models.Index(fields=["line", "starts_at"], name="meeting_line_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {timezone.localtime(self.starts_at):%d %b %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def set_notes(self, text: str) -> None:
        """Keep the Markdown and its sanitised HTML together, rendered once on save."""
        self.notes = text
        self.notes_html = render_markdown(text)
        self.notes_saved_at = timezone.now()


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    MISSED = "missed", "Missed"
    APOLOGIES = "apologies", "Sent apologies"


class Attendance(models.Model):
    """Whether one IT person attended one meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        max_length=10, choices=AttendanceStatus.choices, default=AttendanceStatus.ATTENDED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once_per_person"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_status_display().lower()} {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionItem(models.Model):
    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items"
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="done", done_at__isnull=False) | ~Q(status="done"),
                name="action_done_has_date",
            ),
        ]
        indexes = [
            # "My action items": WHERE owner_id = ? AND status IN (...) ORDER BY due_on
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_choices(self) -> list[tuple[str, str]]:
        return list(ActionStatus.choices)

    @property
    def is_overdue(self) -> bool:
        return bool(
            self.due_on
            and self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            and self.due_on < timezone.localdate()
        )

    def set_status(self, status: str) -> None:
        self.status = status
        self.done_at = timezone.now() if status == ActionStatus.DONE else None


class CalendarFeed(models.Model):
    """A private token URL serving one person's meetings as an .ics feed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def rotate(self) -> None:
        self.token = secrets.token_urlsafe()
        self.save(update_fields=["token"])
