from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from incidents import services
from incidents.lines import is_ancestor
from incidents.models import MappingProfile
from incidents.parsing import FIELDS, DateOrder
from incidents.queries import Head, detect_order, field_label
from itrm.lib.widgets import DateInput
from stakeholders.models import BusinessLine

DATE_ORDER_CHOICES = [
    (DateOrder.DMY.value, "Day first (31/12/2024)"),
    (DateOrder.MDY.value, "Month first (12/31/2024)"),
    (DateOrder.YMD.value, "Year first (2024-12-31)"),
]
AMBIGUOUS_DATES = "Dates such as 03/04/2016 could be 3 April or 4 March: choose."
NOT_IMPORTED = "— not imported —"
REQUIRED_COLUMNS = {
    "number": "Choose the column that holds the incident number.",
    "opened_at": "Choose the column that holds when the incident was opened.",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Export file (CSV or XLSX)",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.tsv,.txt,.xlsx"}),
        error_messages={"empty": "The file is empty."},
    )
    source = forms.SlugField(
        max_length=64,
        initial="servicenow",
        help_text="The system the file comes from; incident numbers are unique per source.",
    )
    profile = forms.ModelChoiceField(
        queryset=MappingProfile.objects.order_by("name"),
        required=False,
        label="Saved mapping",
        empty_label="Detect the columns",
    )
    time_zone = forms.CharField(
        max_length=64,
        help_text="The zone of the file's times that carry no offset.",
        widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
    )
    create_lines = forms.BooleanField(
        required=False,
        initial=True,
        label="Create a business line for unknown departments",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = settings.TIME_ZONE

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = services.max_upload_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                f"The file is {filesizeformat(upload.size)}; imports take up to "
                f"{filesizeformat(limit)}. Export a shorter period and import each part."
            )
        return upload

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(
                f"“{name}” is not a time zone; write it like Europe/London or America/New_York."
            ) from None
        return name


class MappingForm(forms.Form):
    """A column of the file for each canonical field, and the date order if in doubt.

    Bound or not, ``chosen_mapping()`` reads what the user has chosen so far, so that the
    preview can follow the form before it is valid.
    """

    date_order = forms.ChoiceField(
        choices=[("", "— choose —"), *DATE_ORDER_CHOICES], required=False, label="Date order"
    )
    save_as = forms.CharField(
        max_length=100,
        required=False,
        label="Save this mapping as",
        help_text="A name to reuse it for the next export of this kind (optional).",
    )

    def __init__(
        self, data: Any = None, *, head: Head, mapping: dict[str, int], date_order: str
    ) -> None:
        super().__init__(data, initial={"date_order": date_order})
        self.head = head
        keys = head.keys
        self.index_of = {key: index for index, key in enumerate(keys) if key}
        choices = [("", NOT_IMPORTED), *((key, key) for key in keys if key)]
        for name in FIELDS:
            initial = keys[mapping[name]] if name in mapping else ""
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=name in ("number", "opened_at"),
                initial=initial,
                label=field_label(name),
                error_messages={"required": REQUIRED_COLUMNS[name]}
                if name in REQUIRED_COLUMNS
                else None,
            )
        self.detected = detect_order(head, self.chosen_mapping())
        if not date_order and self.detected is None:
            self.fields["date_order"].required = True
            self.fields["date_order"].help_text = AMBIGUOUS_DATES
            self.fields["date_order"].error_messages["required"] = AMBIGUOUS_DATES

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FIELDS]

    def chosen_mapping(self) -> dict[str, int]:
        """Canonical field → column index, as chosen so far (unknown choices left out)."""
        mapping = {}
        for name in FIELDS:
            key = self.data.get(name, "") if self.is_bound else self.fields[name].initial
            if key in self.index_of:
                mapping[name] = self.index_of[key]
        return mapping

    def preview_orders(self) -> list[DateOrder]:
        """The date order to check dates by; both candidates while undecided."""
        chosen = self.data.get("date_order") if self.is_bound else self.initial["date_order"]
        if chosen in {order.value for order in DateOrder}:
            return [DateOrder(str(chosen))]
        if self.detected is not None:
            return [self.detected]
        return [DateOrder.DMY, DateOrder.MDY]

    def mapping_names(self) -> dict[str, str]:
        """The valid mapping as a batch stores it: canonical field → header name."""
        return {name: self.cleaned_data[name] for name in FIELDS if self.cleaned_data.get(name)}

    def date_order_value(self) -> str:
        chosen: str = self.cleaned_data.get("date_order") or ""
        return chosen or (self.detected.value if self.detected else "")


class DepartmentFilterForm(forms.Form):
    SHOW = [("unmapped", "Unmapped only"), ("all", "All departments")]

    show = forms.ChoiceField(choices=SHOW, required=False, label="Show")
    q = forms.CharField(max_length=200, required=False, label="Search")


class DepartmentAssignForm(forms.Form):
    line = forms.ModelChoiceField(
        queryset=BusinessLine.objects.order_by("name"),
        required=False,
        empty_label="— no line —",
        label="Business line",
    )


class LineMergeForm(forms.Form):
    source = forms.ModelChoiceField(
        queryset=BusinessLine.objects.order_by("name"),
        label="Merge this line",
        help_text="It is deleted once everything of it has moved.",
    )
    target = forms.ModelChoiceField(
        queryset=BusinessLine.objects.order_by("name"), label="into this line"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source, target = data.get("source"), data.get("target")
        if source and target and source.pk == target.pk:
            self.add_error("target", "Choose a different line: a line cannot merge into itself.")
        elif source and target and is_ancestor(source, of=target):
            self.add_error(
                "target",
                f"{target.name} is a sub-line of {source.name}: merge the other way round, "
                "or move it out first.",
            )
        return data


class RunForm(forms.Form):
    """Run the trend analysis now: as of a day (today by default), one line or all."""

    as_of = forms.DateField(
        label="As of",
        widget=DateInput,
        help_text="The last day of the 30-day window; today by default.",
        required=False,
    )
    line = forms.ModelChoiceField(
        queryset=BusinessLine.objects.order_by("name"),
        required=False,
        empty_label="Every line",
    )

    def clean_as_of(self) -> object:
        as_of = self.cleaned_data["as_of"] or timezone.localdate()
        if as_of > timezone.localdate():
            raise forms.ValidationError("The as-of date cannot be in the future.")
        return as_of
