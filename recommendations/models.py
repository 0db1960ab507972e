"""Recommendation cards: what IT proposes to a business line, why, and what the line answered.

The nightly analysis (`incidents.analysis.pipeline`) writes trend cards and refreshes their
evidence; liaisons also make cards by hand, from a DILO pain point or a meeting's action item.
A card goes through review, sharing with chosen stakeholders of its line, and their answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from incidents.models import Incident

from stakeholders.models import BusinessLine, Stakeholder


class CardStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWED = "reviewed", "Reviewed"
    SHARED = "shared", "Shared"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DISMISSED = "dismissed", "Dismissed"


# The workflow: which status may follow which. Anything not listed is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    CardStatus.NEW: frozenset({CardStatus.REVIEWED, CardStatus.DISMISSED}),
    CardStatus.REVIEWED: frozenset({CardStatus.SHARED, CardStatus.DISMISSED, CardStatus.NEW}),
    CardStatus.SHARED: frozenset(
        {CardStatus.ACCEPTED, CardStatus.DECLINED, CardStatus.REVIEWED, CardStatus.DISMISSED}
    ),
    CardStatus.ACCEPTED: frozenset({CardStatus.IN_PROGRESS, CardStatus.DONE}),
    CardStatus.DECLINED: frozenset({CardStatus.DISMISSED, CardStatus.REVIEWED}),
    CardStatus.IN_PROGRESS: frozenset({CardStatus.DONE}),
    CardStatus.DONE: frozenset(),
    # A dismissed card comes back as new only when the analysis sees its signal double.
    CardStatus.DISMISSED: frozenset({CardStatus.NEW}),
}

# A card may be shared once reviewed, and shared with more people while it waits for answers.
SHAREABLE_STATUSES = (CardStatus.REVIEWED, CardStatus.SHARED)

# Title, summary and suggested action may be edited until the card is shared.
EDITABLE_STATUSES = (CardStatus.NEW, CardStatus.REVIEWED)

# Statuses a liaison sets by hand; accepted and declined come only from the business's answers,
# and shared only from sharing the card with stakeholders.
MANUAL_MOVES = frozenset(
    {
        CardStatus.NEW,
        CardStatus.REVIEWED,
        CardStatus.IN_PROGRESS,
        CardStatus.DONE,
        CardStatus.DISMISSED,
    }
)

# Cards a liaison still works on; the analysis refreshes their evidence every night.
OPEN_STATUSES = (
    CardStatus.NEW,
    CardStatus.REVIEWED,
    CardStatus.SHARED,
    CardStatus.ACCEPTED,
    CardStatus.IN_PROGRESS,
)


class CardSource(models.TextChoices):
    TREND = "trend", "Incident trend"
    PAIN_POINT = "pain_point", "DILO pain point"
    MEETING = "meeting", "Meeting action item"
    MANUAL = "manual", "Written by hand"


class TrendKind(models.TextChoices):
    RISE = "rise", "Rising"
    CHRONIC = "chronic", "Chronic"


class Card(models.Model):
    line = models.ForeignKey(BusinessLine, on_delete=models.CASCADE, related_name="cards")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    suggested_action = models.TextField(blank=True)
    # The catalogue rule that suggested the action (README: "Suggested actions").
    action_rule = models.CharField(max_length=32, blank=True)
    source = models.CharField(max_length=12, choices=CardSource.choices, default=CardSource.MANUAL)
    # Trend cards: a stable key of the problem, so that a re-run refreshes, never duplicates.
    signature = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=CardStatus.choices, default=CardStatus.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(default=0.0)

    # The numbers of the latest analysis run that saw the problem (trend cards).
    kind = models.CharField(max_length=8, choices=TrendKind.choices, blank=True)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)
    previous_count = models.PositiveIntegerField(
        default=0, help_text="Incidents of the group in the baseline before the window."
    )
    rate_ratio = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    p_value = models.FloatField(null=True, blank=True)
    hours_lost = models.FloatField(default=0.0)
    people_affected = models.PositiveIntegerField(default=0)
    # Weekly counts, sample incidents, top terms, related notes: a `recommendations.evidence`
    # payload written by the analysis and never edited by people.
    evidence = models.JSONField(default=dict, blank=True)
    last_run = models.ForeignKey(
        "incidents.AnalysisRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The window count when the card was dismissed: it comes back once the signal doubles.
    dismissed_signal = models.PositiveIntegerField(null=True, blank=True)
    dismiss_reason = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    pain_point = models.ForeignKey(
        "dilo.PainPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="cards"
    )
    action_item = models.ForeignKey(
        "meetings.ActionItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cards",
    )
    incidents: models.ManyToManyField[Incident, CardIncident] = models.ManyToManyField(
        "incidents.Incident", through="CardIncident", related_name="cards", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CardStatus.values), name="card_status"),
            models.CheckConstraint(condition=Q(source__in=CardSource.values), name="card_source"),
            models.CheckConstraint(
                condition=~Q(source="trend") | Q(signature__isnull=False),
                name="card_trend_has_signature",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False), name="card_done_has_date"
            ),
            # "Make a card" twice from the same pain point or action item opens the first card.
            models.UniqueConstraint(
                fields=["pain_point"],
                condition=Q(pain_point__isnull=False),
                name="card_one_per_pain_point",
            ),
            models.UniqueConstraint(
                fields=["action_item"],
                condition=Q(action_item__isnull=False),
                name="card_one_per_action_item",
            ),
        ]
        indexes = [
            # A line's open cards, best first: WHERE line_id = ? AND status IN (...) ORDER BY score
            models.Index(fields=["line", "status", "-score"], name="card_line_status_score"),
            # The review queue and the funnel: WHERE status = ? ORDER BY score DESC
            models.Index(fields=["status", "-score"], name="card_status_score"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:card_detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())

    @property
    def is_editable(self) -> bool:
        """Title, summary and suggested action may change until the card is shared."""
        return self.status in EDITABLE_STATUSES

    @property
    def is_shareable(self) -> bool:
        return self.status in SHAREABLE_STATUSES

    def manual_moves(self) -> list[CardStatus]:
        """The statuses a liaison may move this card to by hand, in workflow order.

        A shared or declined card goes back to review only by withdrawing its shares, so that
        nobody keeps seeing a card that is being reworked.
        """
        return [
            s
            for s in CardStatus
            if s in MANUAL_MOVES
            and self.can_move_to(s)
            and not (
                self.status in (CardStatus.SHARED, CardStatus.DECLINED) and s == CardStatus.REVIEWED
            )
        ]

    def move_to(self, status: str, *, actor: User | None, note: str = "") -> CardEvent:
        """Change the status if the workflow allows it, and record who did it and why.

        Raises ValueError for a move the workflow refuses. Marking a card done dates it (the
        before/after comparison starts there); dismissing it keeps the reason and the window
        count, so the analysis brings it back only once its signal doubles.
        """
        if status not in CardStatus.values or not self.can_move_to(status):
            raise ValueError(
                f"A card that is {self.get_status_display().lower()} cannot move to {status!r}."
            )
        previous, now = self.status, timezone.now()
        self.status, self.status_changed_at = status, now
        fields = ["status", "status_changed_at", "updated_at"]
        if status == CardStatus.DONE:
            self.done_at = now
            fields.append("done_at")
        if status == CardStatus.DISMISSED:
            self.dismissed_signal, self.dismiss_reason = self.window_count, note
            fields += ["dismissed_signal", "dismiss_reason"]
        self.save(update_fields=fields)
        return self.events.create(
            kind=CardEventKind.STATUS,
            actor=actor,
            from_status=previous,
            to_status=status,
            note=note,
        )


class CardIncident(models.Model):
    """An incident of a trend card's group; the analysis adds each run's new members."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="card_incidents")
    incident = models.ForeignKey(
        "incidents.Incident", on_delete=models.CASCADE, related_name="card_incidents"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["card", "incident"], name="card_incident_unique"),
        ]
        indexes = [
            # Which card holds an incident (matching a new run's groups to cards): WHERE
            # incident_id IN (...)
            models.Index(fields=["incident"], name="card_incident_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.card_id} ← {self.incident_id}"


class CardEventKind(models.TextChoices):
    CREATED = "created", "Created"
    STATUS = "status", "Status changed"
    EDITED = "edited", "Edited"
    REFRESHED = "refreshed", "Evidence refreshed"
    REOPENED = "reopened", "Reopened by the analysis"
    SHARED = "shared", "Shared"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RESPONSE = "response", "Answered"


class CardEvent(models.Model):
    """The card's history: every change, who made it (blank: the analysis) and when."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=CardEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [
            # The card's history: WHERE card_id = ? ORDER BY at
            models.Index(fields=["card", "at"], name="card_event_card_at"),
        ]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.kind} {self.to_status}".strip()


class CardShare(models.Model):
    """A card shared with one stakeholder of its line; withdrawn shares are kept, hidden."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="shares")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="shares")
    note = models.TextField(blank=True, help_text="A personal note to the stakeholder.")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["card", "stakeholder"], name="card_share_unique"),
        ]
        indexes = [
            # "Recommendations for you": WHERE stakeholder_id = ? AND withdrawn_at IS NULL
            models.Index(fields=["stakeholder", "-shared_at"], name="card_share_stakeholder"),
        ]

    def __str__(self) -> str:
        return f"{self.card} → {self.stakeholder}"


class ResponseKind(models.TextChoices):
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"
    COMMENT = "comment", "Comment"


class Response(models.Model):
    """A business stakeholder's answer to a shared card."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="responses")
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="responses")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=ResponseKind.choices)
    text = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResponseKind.values), name="response_kind"),
        ]
        indexes = [
            models.Index(fields=["card", "at"], name="response_card_at"),
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder}: {self.get_kind_display()}"
