"""Stakeholder maps: business lines, the people in them, and what they need."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify


class BusinessLine(models.Model):
    """A business line (department) that IT serves. Lines nest: a line may have a parent."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    strategic_drivers = models.TextField(
        blank=True, help_text="What the line is trying to achieve this year, one per line."
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="liaison_lines",
        help_text="IT people who own the relationship with this line.",
    )
    contact_cadence_days = models.PositiveSmallIntegerField(
        default=30, help_text="Agreed rhythm of contact: IT meets the line at least this often."
    )
    last_contact_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last proactive contact recorded by hand; meetings and DILO sessions add theirs.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_cadence_days__gte=1), name="line_cadence_positive"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="line_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            self.slug = slugify(self.name)[:140]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:line_detail", args=[self.slug])

    def last_contact(self) -> date | None:
        """The last proactive contact: a contact recorded by hand, a meeting IT attended, or a
        DILO session, whichever is latest.

        Lines loaded through ``stakeholders.queries.lines_for_list()`` carry the meeting and
        DILO dates as annotations; others look them up.
        """
        if hasattr(self, "last_meeting_at"):
            meeting_at, dilo_on = self.last_meeting_at, getattr(self, "last_dilo_on", None)
        else:
            from dilo.queries import last_observation_on
            from meetings.queries import last_attended_meeting_at

            meeting_at, dilo_on = last_attended_meeting_at(self.pk), last_observation_on(self.pk)
        candidates = [
            self.last_contact_on,
            timezone.localdate(meeting_at) if meeting_at else None,
            dilo_on,
        ]
        known = [day for day in candidates if day is not None]
        return max(known) if known else None


class Stance(models.TextChoices):
    CHAMPION = "champion", "Champion"
    SUPPORTER = "supporter", "Supporter"
    NEUTRAL = "neutral", "Neutral"
    SCEPTIC = "sceptic", "Sceptic"
    BLOCKER = "blocker", "Blocker"


class Quadrant(models.TextChoices):
    """Mendelow's power/interest grid."""

    MANAGE_CLOSELY = "manage_closely", "Manage closely"
    KEEP_SATISFIED = "keep_satisfied", "Keep satisfied"
    KEEP_INFORMED = "keep_informed", "Keep informed"
    MONITOR = "monitor", "Monitor"


# On the 1-5 scales, 4 and 5 count as high; the grid draws its dividing lines at 3.5.
HIGH_SCORE = 4


def quadrant_for(*, influence: int, interest: int) -> Quadrant:
    high_influence = influence >= HIGH_SCORE
    high_interest = interest >= HIGH_SCORE
    if high_influence and high_interest:
        return Quadrant.MANAGE_CLOSELY
    if high_influence:
        return Quadrant.KEEP_SATISFIED
    if high_interest:
        return Quadrant.KEEP_INFORMED
    return Quadrant.MONITOR


class Stakeholder(models.Model):
    SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]

    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="stakeholders")
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stakeholder_profile",
        help_text="The person's portal account, if they log in to see shared recommendations.",
    )
    influence = models.PositiveSmallIntegerField(choices=SCORE_CHOICES, default=3)
    interest = models.PositiveSmallIntegerField(choices=SCORE_CHOICES, default=3)
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.NEUTRAL)
    contact_cadence_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How often this person prefers to hear from IT, in days."
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5), name="stakeholder_interest_1_5"
            ),
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="stakeholder_stance_valid"
            ),
        ]
        indexes = [
            # The line page lists a line's people by name: WHERE line_id = ? ORDER BY name.
            models.Index(fields=["line", "name"], name="stakeholder_line_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.title})" if self.title else self.name

    def get_absolute_url(self) -> str:
        return reverse("stakeholders:stakeholder_detail", args=[self.pk])

    @property
    def quadrant(self) -> Quadrant:
        return quadrant_for(influence=self.influence, interest=self.interest)


class NeedKind(models.TextChoices):
    NEED = "need", "Need"
    DRIVER = "driver", "Driver"


class NeedPriority(models.IntegerChoices):
    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class NeedStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    MET = "met", "Met"
    DROPPED = "dropped", "Dropped"


class Need(models.Model):
    """A need or a business driver of a line, optionally voiced by one stakeholder."""

    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="needs")
    stakeholder = models.ForeignKey(
        Stakeholder, null=True, blank=True, on_delete=models.SET_NULL, related_name="needs"
    )
    kind = models.CharField(max_length=8, choices=NeedKind.choices, default=NeedKind.NEED)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(
        choices=NeedPriority.choices, default=NeedPriority.MEDIUM
    )
    status = models.CharField(max_length=12, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(priority__in=[1, 2, 3]), name="need_priority_valid"),
            models.CheckConstraint(
                condition=Q(status__in=NeedStatus.values), name="need_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title
