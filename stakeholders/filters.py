from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from stakeholders.models import BusinessLine


class LineFilter(django_filters.FilterSet):
    """Search and filters of the business lines list; its form validates the query string."""

    OWNER_CHOICES = [("mine", "Lines I serve"), ("none", "Lines with no liaison")]

    q = django_filters.CharFilter(method="search", label="Search")
    parent = django_filters.ModelChoiceFilter(
        queryset=BusinessLine.objects.filter(children__isnull=False).distinct(),
        label="Part of",
        empty_label="Any parent",
    )
    owner = django_filters.ChoiceFilter(
        choices=OWNER_CHOICES, method="filter_owner", label="Liaison", empty_label="Any liaison"
    )

    class Meta:
        model = BusinessLine
        fields = ["q", "parent", "owner"]

    def search(self, queryset: QuerySet[BusinessLine], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(strategic_drivers__icontains=value)
        )

    def filter_owner(self, queryset: QuerySet[BusinessLine], name: str, value: str) -> QuerySet:
        if value == "mine":
            return queryset.filter(liaisons=self.request.user) if self.request else queryset
        if value == "none":
            return queryset.filter(liaisons__isnull=True)
        return queryset
