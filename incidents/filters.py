from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from incidents.models import Incident
from itrm.lib.widgets import DateInput
from stakeholders.models import BusinessLine

SORTS = [("newest", "Newest first"), ("oldest", "Oldest first")]


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the portal's zone: a range on opened_at keeps its index usable,
    where ``opened_at__date`` would compute a date for every row."""
    return timezone.make_aware(datetime.combine(day, time.min))


class IncidentFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and end < start:
            self.add_error("opened_to", "The end date is before the start date.")
        return data


class IncidentFilter(django_filters.FilterSet):
    """Filters of the incident list; its form validates the query string, and an invalid
    value is reported and left out rather than failing the page."""

    q = django_filters.CharFilter(method="search", label="Text")
    line = django_filters.ModelChoiceFilter(
        queryset=BusinessLine.objects.order_by("name"),
        to_field_name="slug",
        label="Business line",
        empty_label="All lines",
    )
    service = django_filters.CharFilter(method="filter_service", label="Service or CI")
    category = django_filters.CharFilter(lookup_expr="icontains", label="Category")
    priority = django_filters.ChoiceFilter(
        choices=[(level, str(level)) for level in range(1, 6)],
        label="Priority",
        empty_label="Any priority",
    )
    state = django_filters.CharFilter(lookup_expr="iexact", label="State")
    opened_from = django_filters.DateFilter(
        method="filter_from", label="Opened from", widget=DateInput()
    )
    opened_to = django_filters.DateFilter(method="filter_to", label="Opened to", widget=DateInput())
    # The order is the keyset page's business (incidents.queries.keyset_page); as a filter
    # the choice is validated like the others.
    sort = django_filters.ChoiceFilter(
        choices=SORTS, method="keep", label="Order", empty_label=None
    )

    class Meta:
        model = Incident
        fields = ["q", "line", "service", "category", "priority", "state"]
        form = IncidentFilterForm

    def search(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(short_description__icontains=value)
            | Q(description__icontains=value)
        )

    def filter_service(
        self, queryset: QuerySet[Incident], name: str, value: str
    ) -> QuerySet[Incident]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(service__icontains=value) | Q(configuration_item__icontains=value))

    def filter_from(self, queryset: QuerySet[Incident], name: str, value: date) -> QuerySet:
        return queryset.filter(opened_at__gte=_start_of(value))

    def filter_to(self, queryset: QuerySet[Incident], name: str, value: date) -> QuerySet:
        return queryset.filter(opened_at__lt=_start_of(value + timedelta(days=1)))

    def keep(self, queryset: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        return queryset

    @property
    def oldest_first(self) -> bool:
        self.form.is_valid()  # cleaned_data keeps the valid fields of an invalid form
        return self.form.cleaned_data.get("sort") == "oldest"
