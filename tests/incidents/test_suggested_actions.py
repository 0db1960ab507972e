"""The suggested-action catalogue: the first matching rule wins, the last always matches."""

from __future__ import annotations

from datetime import date

import pytest

from recommendations.actions import Problem, suggest


def problem(text: str, *, category: str = "", kind: str = "chronic", onset=None) -> Problem:
    return Problem(text=text, category=category, service="Guidewire", kind=kind, onset=onset)


@pytest.mark.parametrize(
    ("text", "category", "rule"),
    [
        ("account locked after password change", "", "self-service"),
        ("cannot log in to claims portal", "", "self-service"),
        ("how do i export a claim to pdf", "", "training"),
        ("where is the new template", "", "training"),
        ("laptop battery drains fast", "", "replacement"),
        ("label printer prints blank labels", "", "replacement"),
        ("fan noise", "Hardware", "replacement"),
        ("claim save fails with gw-500", "Software", "problem-record"),
    ],
)
def test_each_rule_matches_its_problems(text, category, rule):
    assert suggest(problem(text, category=category)).rule == rule


def test_a_rise_with_an_onset_asks_to_review_the_changes_of_that_week():
    suggestion = suggest(problem("claim save fails", kind="rise", onset=date(2026, 10, 12)))

    assert suggestion.rule == "change-review"
    assert "12 October 2026" in suggestion.action
    assert "Guidewire" in suggestion.action


def test_a_rise_without_an_onset_is_a_problem_record():
    assert suggest(problem("claim save fails", kind="rise")).rule == "problem-record"
