"""Form widgets for the browser's native pickers."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """``<input type="date">`` needs an ISO value (YYYY-MM-DD), whatever the locale's format."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """``<input type="time">`` needs HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")
