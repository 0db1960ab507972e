from __future__ import annotations

from datetime import date

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import slugify

from itrm.access import Role
from itrm.lib.widgets import DateInput
from stakeholders.models import BusinessLine, Need, Stakeholder


class StakeholderForm(forms.ModelForm):
    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "title",
            "email",
            "influence",
            "interest",
            "stance",
            "contact_cadence_days",
            "notes",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "influence": forms.Select,
            "interest": forms.Select,
        }
        labels = {"contact_cadence_days": "Preferred contact cadence (days)"}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Enter the person's name.")
        return name


class NeedForm(forms.ModelForm):
    class Meta:
        model = Need
        fields = ["kind", "title", "priority", "status", "stakeholder", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: object, line_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # A need can only be voiced by someone of the same line.
        field = self.fields["stakeholder"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Stakeholder.objects.filter(line_id=line_id)


class LineForm(forms.ModelForm):
    """A business line. Only managers assign liaisons; the form drops the field for others."""

    class Meta:
        model = BusinessLine
        fields = [
            "name",
            "parent",
            "description",
            "strategic_drivers",
            "contact_cadence_days",
            "last_contact_on",
            "liaisons",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "strategic_drivers": forms.Textarea(attrs={"rows": 3}),
            "last_contact_on": DateInput(),
            "liaisons": forms.CheckboxSelectMultiple,
        }
        labels = {"contact_cadence_days": "Agreed contact cadence (days)"}

    def __init__(self, *args: object, can_assign: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if can_assign:
            field = self.fields["liaisons"]
            if isinstance(field, forms.ModelMultipleChoiceField):
                field.queryset = User.objects.filter(groups__name=Role.LIAISON).order_by(
                    "first_name", "username"
                )
        else:
            del self.fields["liaisons"]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        slug = slugify(name)
        if not slug:
            raise forms.ValidationError("Use at least one letter or digit in the name.")
        clash = BusinessLine.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if clash:
            raise forms.ValidationError(f"The name is too close to the existing line {clash}.")
        return name

    def clean_parent(self) -> BusinessLine | None:
        parent: BusinessLine | None = self.cleaned_data.get("parent")
        if parent is None or self.instance.pk is None:
            return parent
        # Walk up from the chosen parent: meeting this line again would make a loop.
        seen: BusinessLine | None = parent
        while seen is not None:
            if seen.pk == self.instance.pk:
                raise forms.ValidationError("A line cannot sit under itself or its own sub-lines.")
            seen = seen.parent
        return parent

    def clean_last_contact_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("last_contact_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The last contact cannot be in the future.")
        return value
