"""The dashboard filters: a GET form, validated like any other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from dashboards.rollups import month_start
from stakeholders.models import BusinessLine

# The default period: the last twelve months, this one included.
DEFAULT_MONTHS = 12
# The longest period a dashboard shows, so a typo cannot ask for a century of months.
MAX_MONTHS = 60


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [add_months(start, i) for i in range(max(count, 0))]


class MonthField(forms.DateField):
    """A month as ``YYYY-MM`` (the value of ``<input type="month">``), read as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value: str | date | None) -> date | None:
        day = super().to_python(value)
        return month_start(day) if day else None


@dataclass(frozen=True)
class Filters:
    lines: tuple[BusinessLine, ...]  # empty: every line
    start: date
    end: date

    @property
    def months(self) -> list[date]:
        return months_between(self.start, self.end)

    @property
    def line_ids(self) -> list[int]:
        return [line.pk for line in self.lines]


class DashboardFilterForm(forms.Form):
    lines = forms.ModelMultipleChoiceField(
        queryset=BusinessLine.objects.order_by("name"),
        required=False,
        help_text="None chosen: every line.",
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    start = MonthField(label="From", required=False)
    end = MonthField(label="To", required=False)

    def __init__(
        self, data: QueryDict | None = None, *, lines: QuerySet[BusinessLine] | None = None
    ) -> None:
        # Always bound, with the default period filled in, so the month fields show it.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        end = month_start(timezone.localdate())
        data.setdefault("end", f"{end:%Y-%m}")
        data.setdefault("start", f"{add_months(end, 1 - DEFAULT_MONTHS):%Y-%m}")
        super().__init__(data)
        if lines is not None:
            self.fields["lines"].queryset = lines  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if isinstance(start, date) and isinstance(end, date):
            if start > end:
                raise forms.ValidationError("“From” must not be after “To”.")
            if len(months_between(start, end)) > MAX_MONTHS:
                raise forms.ValidationError(f"Choose at most {MAX_MONTHS} months.")
        return cleaned

    def filters(self) -> Filters:
        """The valid choices, or the defaults for whatever is missing or invalid."""
        this_month = month_start(timezone.localdate())
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or this_month
        start = data.get("start") or add_months(end, 1 - DEFAULT_MONTHS)
        return Filters(lines=tuple(data.get("lines") or ()), start=start, end=end)
