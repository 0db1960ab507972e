"""The small catalogue of suggested actions for trend cards (the README lists it).

The first rule that matches a problem wins; the last one always matches. Rules read what the
analysis knows of the group: the words of its incidents, its category and service, whether it
is rising and since when.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Problem:
    text: str  # short descriptions and top terms of the group, lower case
    category: str
    service: str
    kind: str  # "rise" or "chronic"
    onset: date | None  # first week of a sustained rise, when one stands out


@dataclass(frozen=True)
class Suggestion:
    rule: str
    action: str


_ACCESS = re.compile(
    r"\b(password|passwort|locked out|lock ?out|log ?in|login|sign ?in|mfa|2fa|authenticat\w*"
    r"|account|access denied|permission\w*|unlock)\b"
)
_HOW_TO = re.compile(r"\b(how (do|to|can)|where (is|do|can)|can'?t find|question|what is)\b")
_HARDWARE = re.compile(
    r"\b(laptop|printer|monitor|keyboard|mouse|dock(ing)?|battery|headset|hardware"
    r"|scanner|toner|label printer)\b"
)


def suggest(problem: Problem) -> Suggestion:
    text = f"{problem.text} {problem.category}".casefold()
    service = problem.service or "the service"
    if _ACCESS.search(text):
        return Suggestion(
            "self-service",
            "Offer self-service for these access problems (password reset, unlock, access "
            "requests) and a short how-to, so people stop waiting on the service desk.",
        )
    if _HOW_TO.search(text):
        return Suggestion(
            "training",
            f"Run a short training or write a guide for the line on {service}: these are "
            "questions, not faults.",
        )
    if _HARDWARE.search(text) or problem.category.casefold() == "hardware":
        return Suggestion(
            "replacement",
            "Check the age and model of the devices involved and plan their replacement.",
        )
    if problem.kind == "rise" and problem.onset is not None:
        return Suggestion(
            "change-review",
            f"The rise starts in the week of {problem.onset:%d %B %Y}: review the changes, "
            f"releases and vendor updates to {service} made around that date.",
        )
    return Suggestion(
        "problem-record",
        f"Open a problem record for {service} with its owner or vendor, with these incidents "
        "as the evidence, and agree a fix with the line.",
    )
