"""Read-side helpers of DILO: scoped loaders, annotated querysets, and what other apps call.

``last_observation_on``, ``last_observation_subquery``, ``observations_for_timeline`` and
``search_dilo`` are called by the line page and the relationship-health badge; keep their
signatures stable.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import get_object_or_404

from dilo.models import SEVERITY_RANK, Observation, PainPoint, TimelineEntry

if TYPE_CHECKING:
    pass


# --- Loaders and lists of the DILO pages ------------------------------------------------


def get_observation(pk: int) -> Observation:
    """An observation with what its page and ``can_edit_line`` need (liaisons prefetched)."""
    return get_object_or_404(
        Observation.objects.select_related(
            "line", "observer", "observed_stakeholder"
        ).prefetch_related("line__liaisons"),
        pk=pk,
    )


def with_pain_totals(observations: QuerySet[Observation]) -> QuerySet[Observation]:
    """Annotate ``pain_point_count`` and ``hours_lost`` (0.0 when there is no pain point).

    Both aggregate over the same join, so neither multiplies the other.
    """
    return observations.annotate(
        pain_point_count=Count("pain_points"),
        hours_lost=Coalesce(
            Sum("pain_points__hours_lost_per_month"), Value(0.0), output_field=FloatField()
        ),
    )


def observations_for_list() -> QuerySet[Observation]:
    """Newest first, with everything a row shows, in a constant number of queries."""
    return with_pain_totals(
        Observation.objects.select_related("line", "observer", "observed_stakeholder")
    ).order_by("-observed_on", "-pk")


def pain_points_for_list() -> QuerySet[PainPoint]:
    """Pain points of every line, most hours lost first, with their observation and tags.

    ``severity_rank`` (1 = critical) lets the list sort by severity, most severe first.
    """
    rank = Case(
        *(When(severity=severity, then=Value(n)) for severity, n in SEVERITY_RANK.items()),
        output_field=IntegerField(),
    )
    return (
        PainPoint.objects.select_related("observation__line", "observation__observed_stakeholder")
        .prefetch_related("tags")
        .annotate(severity_rank=rank)
        .order_by("-hours_lost_per_month", "pk")
    )


def entries_of(observation: Observation) -> QuerySet[TimelineEntry]:
    return observation.entries.order_by("at", "pk")


def pain_points_of(observation: Observation) -> QuerySet[PainPoint]:
    return observation.pain_points.prefetch_related("tags").order_by("-hours_lost_per_month", "pk")


def hours_lost_of(pain_points: QuerySet[PainPoint]) -> float:
    """Sum of hours lost per month of ``pain_points``, in one aggregate query."""
    total = pain_points.aggregate(total=Sum("hours_lost_per_month"))["total"]
    return float(total or 0.0)


# --- Called from the line page and the relationship-health badge ------------------------


def last_observation_on(line_id: int) -> date | None:
    """The date of the line's latest DILO session, or None if IT never observed it."""
    return (
        Observation.objects.filter(line_id=line_id)
        .order_by("-observed_on")
        .values_list("observed_on", flat=True)
        .first()
    )


def last_observation_subquery() -> Subquery:
    """The latest ``observed_on`` of the outer BusinessLine, for one query over many lines.

    Usage: ``BusinessLine.objects.annotate(last_dilo=last_observation_subquery())``.
    """
    return Subquery(
        Observation.objects.filter(line=OuterRef("pk"))
        .order_by("-observed_on")
        .values("observed_on")[:1]
    )


def observations_for_timeline(line_id: int, limit: int = 50) -> list[Observation]:
    """The line's latest observations, newest first, with ``pain_point_count``/``hours_lost``."""
    observations = with_pain_totals(
        Observation.objects.filter(line_id=line_id).select_related(
            "observer", "observed_stakeholder"
        )
    ).order_by("-observed_on", "-pk")
    return list(observations[:limit])


def search_dilo(line_id: int, query: str) -> QuerySet[Observation]:
    """Observations of the line that mention ``query``, newest first, each once.

    Searched: the goal, summary and observed role, the timeline's activities and systems,
    and the pain points' descriptions and systems.

    On PostgreSQL this is English full-text search (stemmed, so "invoice" finds "invoices";
    web-search syntax: quotes, ``or``, ``-word``) over **one document per observation**:
    its own fields plus its entries' and pain points' text, gathered by correlated
    subqueries. So every word of the query may come from a different part of the day, and
    ``-word`` excludes observations that mention the word anywhere. Elsewhere (SQLite) it
    is a case-insensitive substring match, with related rows tested through EXISTS.
    Neither form joins the related tables, so rows never multiply and no DISTINCT is needed.
    """
    query = query.strip()
    observations = Observation.objects.filter(line_id=line_id).select_related(
        "observer", "observed_stakeholder"
    )
    if not query:
        return observations.none()
    if connection.vendor == "postgresql":
        observations = _full_text_search(observations, query)
    else:
        entries = TimelineEntry.objects.filter(observation=OuterRef("pk"))
        pains = PainPoint.objects.filter(observation=OuterRef("pk"))
        observations = observations.filter(
            Q(goal__icontains=query)
            | Q(summary__icontains=query)
            | Q(observed_role__icontains=query)
            | Exists(entries.filter(Q(activity__icontains=query) | Q(systems__icontains=query)))
            | Exists(pains.filter(Q(description__icontains=query) | Q(system__icontains=query)))
        )
    return observations.order_by("-observed_on", "-pk")


def _full_text_search(observations: QuerySet[Observation], query: str) -> QuerySet[Observation]:
    # Imported here: these modules need psycopg, which a SQLite-only install may not have.
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchVector

    def text_of(model: type[TimelineEntry | PainPoint], *fields: str) -> Subquery:
        """All ``fields`` of the observation's ``model`` rows, as one string."""
        parts: list[Any] = []
        for field in fields:
            parts += [F(field), Value(" ")]
        return Subquery(
            model.objects.filter(observation=OuterRef("pk"))
            .values("observation")
            .annotate(text=StringAgg(Concat(*parts, output_field=TextField()), delimiter=" "))
            .values("text")[:1],
            output_field=TextField(),
        )

    document = SearchVector(
        "goal",
        "summary",
        "observed_role",
        text_of(TimelineEntry, "activity", "systems"),
        text_of(PainPoint, "description", "system"),
        config="english",
    )
    search = SearchQuery(query, search_type="websearch", config="english")
    return observations.alias(document=document).filter(document=search)
