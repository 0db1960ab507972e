from __future__ import annotations

from django import template

from meetings.recurrence import describe

register = template.Library()


@register.filter
def describe_rule(rule: str) -> str:
    """``FREQ=MONTHLY;BYDAY=+1TU`` → "Monthly on the first Tuesday"."""
    return describe(rule)
