from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from dilo.models import Observation, PainPoint, Tag
from stakeholders.models import BusinessLine

# Sort keys of the pain-point list: each ends with hours lost and pk so pages are stable.
PAIN_POINT_SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "hours": ("Hours lost, most first", ("-hours_lost_per_month", "pk")),
    "severity": ("Severity, most severe first", ("severity_rank", "-hours_lost_per_month", "pk")),
    "line": ("Business line, A to Z", ("observation__line__name", "-hours_lost_per_month", "pk")),
    "date": (
        "Date observed, newest first",
        ("-observation__observed_on", "-hours_lost_per_month", "pk"),
    ),
}


def _lines() -> QuerySet[BusinessLine]:
    return BusinessLine.objects.order_by("name")


class ObservationFilter(django_filters.FilterSet):
    """The observation list's line filter; its form validates the query string."""

    line = django_filters.ModelChoiceFilter(
        queryset=_lines(), to_field_name="slug", label="Business line", empty_label="All lines"
    )

    class Meta:
        model = Observation
        fields = ["line"]


class PainPointFilter(django_filters.FilterSet):
    """Filters and sort of the cross-line pain-point list.

    ``sort`` is a filter too, so a bad value is reported by the form like any other
    invalid choice, and the list falls back to its default order (most hours lost first).
    """

    line = django_filters.ModelChoiceFilter(
        field_name="observation__line",
        queryset=_lines(),
        to_field_name="slug",
        label="Business line",
        empty_label="All lines",
    )
    system = django_filters.CharFilter(lookup_expr="icontains", label="System or service")
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        queryset=Tag.objects.order_by("name"),
        to_field_name="slug",
        label="Tag",
        empty_label="Any tag",
    )
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, (label, _) in PAIN_POINT_SORTS.items()],
        method="sort_by",
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = PainPoint
        fields = ["line", "system", "tag", "sort"]

    def sort_by(self, queryset: QuerySet[PainPoint], name: str, value: str) -> QuerySet:
        return queryset.order_by(*PAIN_POINT_SORTS[value][1])
