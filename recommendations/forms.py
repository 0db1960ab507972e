from __future__ import annotations

from typing import Any

from django import forms

from recommendations.models import (
    MANUAL_MOVES,
    Card,
    CardSource,
    CardStatus,
    ResponseKind,
)
from stakeholders.models import BusinessLine, Stakeholder


class CardFilterForm(forms.Form):
    """The card list's filters (GET); an unknown value is a form error, not a crash."""

    line = forms.ModelChoiceField(
        queryset=BusinessLine.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="All lines",
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *CardStatus.choices], required=False)
    source = forms.ChoiceField(choices=[("", "Any source"), *CardSource.choices], required=False)


class CardEditForm(forms.ModelForm):
    class Meta:
        model = Card
        fields = ["title", "summary", "suggested_action"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "suggested_action": forms.Textarea(attrs={"rows": 3}),
        }


class MoveForm(forms.Form):
    """A status change by hand; the card's workflow decides which ones are allowed."""

    to = forms.ChoiceField(choices=[(s.value, s.label) for s in CardStatus if s in MANUAL_MOVES])
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, card: Card, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.card = card

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        to = data.get("to")
        if to and to not in self.card.manual_moves():
            raise forms.ValidationError(
                f"A card that is {self.card.get_status_display().lower()} "
                f"cannot become {CardStatus(to).label.lower()}."
            )
        if to == CardStatus.DISMISSED and not data.get("note", "").strip():
            self.add_error("note", "Say why the card is dismissed.")
        return data


class ShareForm(forms.Form):
    """Whom to share a card with: only stakeholders of the card's own line can be chosen."""

    stakeholders = forms.ModelMultipleChoiceField(
        queryset=Stakeholder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The line's stakeholders who have a portal login.",
    )
    note = forms.CharField(
        required=False,
        label="Personal note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent in the email and shown above the proposal.",
    )

    def __init__(self, *args: Any, card: Card, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only this line's people can be chosen: anyone else posted by hand is a form error.
        # Only those with a portal login: the email's link asks them to log in. Those who
        # already have it are left out (sharing again re-sends nothing).
        people = (
            Stakeholder.objects.filter(line_id=card.line_id, user__is_active=True)
            .exclude(shares__card=card, shares__withdrawn_at__isnull=True)
            .order_by("name")
        )
        self.fields["stakeholders"].queryset = people  # type: ignore[attr-defined]


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(choices=ResponseKind.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        required=False, label="Your comment", widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == ResponseKind.COMMENT and not data.get("text", "").strip():
            self.add_error("text", "Write a comment first.")
        return data
