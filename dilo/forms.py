from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from dilo.models import Observation, PainPoint, Tag, TimelineEntry, split_names
from itrm.lib.widgets import DateInput, TimeInput
from stakeholders.models import BusinessLine, Stakeholder
from stakeholders.queries import editable_lines, it_staff


class FocusMixin:
    """Inline rows put the cursor where the liaison types next after an htmx swap."""

    fields: dict[str, forms.Field]
    errors: Any

    def focus(self) -> None:
        """Autofocus the first field in error, or the first field of a fresh row."""
        name = next((n for n in self.fields if n in self.errors), next(iter(self.fields)))
        self.fields[name].widget.attrs["autofocus"] = True


class StakeholderChoiceField(forms.ModelChoiceField):
    """People of every line the user writes for, so each label names the person's line."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.line.name})"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class ObservationForm(forms.ModelForm):
    """The header of an observation. Lines offered are those the user may write for."""

    class Meta:
        model = Observation
        fields = [
            "line",
            "observed_on",
            "observed_stakeholder",
            "observed_role",
            "observer",
            "goal",
            "summary",
        ]
        field_classes = {
            "observed_stakeholder": StakeholderChoiceField,
            "observer": UserChoiceField,
        }
        widgets = {
            "observed_on": DateInput(),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 6}),
            "observed_role": forms.TextInput(attrs={"placeholder": "e.g. Claims handler"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = editable_lines(user)
        self._set_queryset("line", lines)
        self._set_queryset("observer", it_staff(also_pk=self.instance.observer_id))
        self._set_queryset(
            "observed_stakeholder",
            Stakeholder.objects.filter(line__in=lines).select_related("line").order_by("name"),
        )

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = queryset

    def clean_observed_role(self) -> str:
        return " ".join(self.cleaned_data.get("observed_role", "").split())

    def clean_observed_on(self) -> date:
        value: date = self.cleaned_data["observed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("A day in the life is recorded once it has happened.")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        line: BusinessLine | None = cleaned.get("line")
        person: Stakeholder | None = cleaned.get("observed_stakeholder")
        if person is not None and line is not None and person.line_id != line.pk:
            self.add_error("observed_stakeholder", f"{person.name} is not part of {line.name}.")
        if person is None and not cleaned.get("observed_role") and "observed_role" in cleaned:
            self.add_error("observed_role", "Choose the person observed or name the role observed.")
        return cleaned


class TimelineEntryForm(FocusMixin, forms.ModelForm):
    """One row of the timeline. Its inputs belong to the #entry-form outside the table."""

    prefix = "entry"

    class Meta:
        model = TimelineEntry
        fields = ["at", "activity", "systems"]
        widgets = {
            "at": TimeInput(attrs={"form": "entry-form"}),
            "activity": forms.TextInput(
                attrs={"form": "entry-form", "placeholder": "What they do"}
            ),
            "systems": forms.TextInput(
                attrs={"form": "entry-form", "placeholder": "Outlook, Guidewire ClaimCenter"}
            ),
        }
        # The placeholder shows the comma-separated format; a table row has no room for help.
        help_texts = {"systems": ""}

    def clean_activity(self) -> str:
        activity = " ".join(self.cleaned_data["activity"].split())
        if not activity:
            raise forms.ValidationError("Describe what the person does.")
        return activity

    def clean_systems(self) -> str:
        systems = ", ".join(split_names(self.cleaned_data.get("systems", "")))
        if len(systems) > TimelineEntry._meta.get_field("systems").max_length:  # type: ignore[operator]
            raise forms.ValidationError("Too many systems for one entry; shorten the names.")
        return systems


class PainPointForm(FocusMixin, forms.ModelForm):
    """A pain point; tags are typed as comma-separated names and created as needed."""

    prefix = "pain"

    tags = forms.CharField(
        required=False,
        max_length=300,
        help_text="Separated by commas, e.g. re-keying, workaround.",
    )

    class Meta:
        model = PainPoint
        fields = [
            "description",
            "system",
            "frequency",
            "frequency_unit",
            "minutes_lost",
            "severity",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"frequency": "How often", "frequency_unit": "Per"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model fields are positive (min 0); zero times or minutes is no pain at all.
        for name in ("frequency", "minutes_lost"):
            self.fields[name].widget.attrs["min"] = 1

    def clean_description(self) -> str:
        description = self.cleaned_data["description"].strip()
        if not description:
            raise forms.ValidationError("Describe the pain point.")
        return description

    def clean_system(self) -> str:
        return " ".join(self.cleaned_data["system"].split())

    def clean_tags(self) -> list[str]:
        names = split_names(self.cleaned_data.get("tags", ""))
        limit = Tag._meta.get_field("name").max_length
        for name in names:
            if limit is not None and len(name) > limit:
                raise forms.ValidationError(f"“{name[:20]}…” is too long for a tag.")
            if not slugify(name):
                raise forms.ValidationError(f"“{name}” needs at least one letter or digit.")
        return names
