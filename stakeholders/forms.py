from __future__ import annotations

from django import forms

from stakeholders.models import Need, Stakeholder


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
