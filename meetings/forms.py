from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from itrm.lib.widgets import DateInput, TimeInput
from meetings import recurrence
from meetings.models import ActionItem, ActionStatus, AttendanceStatus, MeetingKind
from stakeholders.models import BusinessLine
from stakeholders.queries import it_staff


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class MeetingLogForm(forms.Form):
    """The fast path: line, kind, title, when, who from IT attended."""

    line = forms.ModelChoiceField(queryset=BusinessLine.objects.none())
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.DEPARTMENT)
    title = forms.CharField(max_length=200, initial="Department meeting")
    date = forms.DateField(widget=DateInput())
    time = forms.TimeField(widget=TimeInput(), initial="10:00")
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=24 * 60, initial=60, label="Minutes"
    )
    attendees = PeopleChoiceField(
        queryset=User.objects.none(), label="IT attendees", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, lines: QuerySet[BusinessLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        line_field = self.fields["line"]
        assert isinstance(line_field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        line_field.queryset = lines
        attendees = self.fields["attendees"]
        assert isinstance(attendees, forms.ModelMultipleChoiceField)  # noqa: S101
        attendees.queryset = it_staff()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > timezone.localdate():
            raise forms.ValidationError(
                "Log meetings that have happened; plan future ones as a series."
            )
        return value


class SeriesForm(forms.Form):
    PATTERNS = [
        ("monthly_weekday", "Monthly on a weekday (e.g. first Tuesday)"),
        ("weekly", "Weekly on a weekday"),
        ("monthly_day", "Monthly on a day of the month"),
        ("monthly_last_day", "Monthly on the last day"),
        ("custom", "Custom RRULE"),
    ]
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=MeetingKind.choices, initial=MeetingKind.DEPARTMENT)
    pattern = forms.ChoiceField(choices=PATTERNS, initial="monthly_weekday")
    position = forms.TypedChoiceField(
        coerce=int,
        choices=[(k, v.capitalize()) for k, v in recurrence.POSITIONS.items()],
        initial=1,
        required=False,
    )
    weekday = forms.TypedChoiceField(
        coerce=int, choices=list(enumerate(recurrence.WEEKDAY_NAMES)), initial=1, required=False
    )
    day = forms.IntegerField(min_value=1, max_value=31, required=False, label="Day of month")
    interval = forms.IntegerField(
        min_value=1, max_value=12, initial=1, label="Every N weeks/months"
    )
    custom_rule = forms.CharField(
        max_length=300,
        required=False,
        label="RRULE",
        help_text="For example FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    )
    starts_on = forms.DateField(widget=DateInput(), label="From")
    start_time = forms.TimeField(widget=TimeInput(), label="At")
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=24 * 60, initial=60, label="Minutes"
    )
    until = forms.DateField(widget=DateInput(), required=False)
    location = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pattern = data.get("pattern")
        try:
            if pattern == "custom":
                data["rrule"] = recurrence.normalise_rule(data.get("custom_rule") or "")
            elif pattern:
                if pattern == "monthly_day" and not data.get("day"):
                    self.add_error("day", "Enter the day of the month.")
                    return data
                data["rrule"] = recurrence.Pattern(
                    kind=pattern,
                    weekday=data.get("weekday") or 0,
                    position=data.get("position") or 1,
                    interval=data.get("interval") or 1,
                    day=data.get("day") or 1,
                ).to_rrule()
        except recurrence.InvalidRule as exc:
            self.add_error("custom_rule", str(exc))
        until, starts_on = data.get("until"), data.get("starts_on")
        if until and starts_on and until < starts_on:
            self.add_error("until", "The series cannot end before it starts.")
        data["time_zone"] = settings.TIME_ZONE
        return data


class ActionItemForm(forms.ModelForm):
    owner = PersonChoiceField(queryset=User.objects.none())

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on"]
        widgets = {"due_on": DateInput()}
        labels = {"title": "Action", "due_on": "Due"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101
        owner.queryset = it_staff()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


class AttendanceForm(forms.Form):
    user = PersonChoiceField(queryset=User.objects.all(), label="IT person")
    status = forms.ChoiceField(choices=AttendanceStatus.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)  # noqa: S101
        user.queryset = it_staff()


class NotesForm(forms.Form):
    notes = forms.CharField(required=False, max_length=100_000, strip=False)


class IcsImportForm(forms.Form):
    file = forms.FileField(label=".ics file", help_text="Exported from Outlook or Google Calendar.")

    MAX_BYTES = 2 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; export one calendar only.")
        return upload
