from __future__ import annotations

import pytest
from django.db import IntegrityError

from dilo.models import Observation, PainPoint, split_names
from tests.dilo.factories import days_ago, make_observation, make_pain_point


@pytest.fixture
def observation(personas):
    return make_observation(personas.line_a, personas.liaison)


@pytest.mark.parametrize(
    ("frequency", "unit", "minutes", "hours"),
    [
        # 25 times a day x 2 min x 21 working days = 1,050 min = 17.5 h
        (25, "day", 2, 17.5),
        # once a day x 1 min x 21 days = 21 min = 0.35 h
        (1, "day", 1, 0.35),
        # 3 times a week x 40 min x 52/12 weeks = 520 min = 8.666... h
        (3, "week", 40, 26 / 3),
        # once a week x 90 min x 52/12 weeks = 390 min = 6.5 h
        (1, "week", 90, 6.5),
        # large values do not overflow PostgreSQL's smallint: 500 x 600 x 21 / 60 = 105,000 h
        (500, "day", 600, 105_000.0),
    ],
)
def test_the_database_derives_hours_lost_per_month(observation, frequency, unit, minutes, hours):
    pain = make_pain_point(
        observation, frequency=frequency, frequency_unit=unit, minutes_lost=minutes
    )
    pain.refresh_from_db()
    assert pain.hours_lost_per_month == pytest.approx(hours)


def test_hours_lost_follow_an_edit(observation):
    pain = make_pain_point(observation, frequency=25, minutes_lost=2)
    pain.frequency_unit = "week"
    pain.save()
    pain.refresh_from_db()
    # 25 x 2 min x 52/12 = 216.67 min
    assert pain.hours_lost_per_month == pytest.approx(25 * 2 * 52 / 12 / 60)


def test_lists_sort_and_filter_on_hours_in_sql(observation):
    small = make_pain_point(observation, frequency=1, minutes_lost=1)  # 0.35 h
    weekly = make_pain_point(observation, frequency=2, frequency_unit="week", minutes_lost=30)
    large = make_pain_point(observation, frequency=40, minutes_lost=3)  # 42 h
    assert list(PainPoint.objects.order_by("-hours_lost_per_month")) == [large, weekly, small]
    assert list(PainPoint.objects.filter(hours_lost_per_month__gt=1)) == [large, weekly]


@pytest.mark.parametrize("field", ["frequency", "minutes_lost"])
def test_the_database_refuses_zero_frequency_or_minutes(observation, field):
    with pytest.raises(IntegrityError):
        make_pain_point(observation, **{field: 0})


def test_an_observation_needs_a_person_or_a_role(personas):
    with pytest.raises(IntegrityError):
        Observation.objects.create(
            line=personas.line_a,
            observer=personas.liaison,
            observed_on=days_ago(1),
            goal="Anything",
            observed_role="",
        )


def test_the_subject_names_the_person_and_the_role(personas):
    person = personas.line_a.stakeholders.get()
    both = make_observation(
        personas.line_a, personas.liaison, observed_stakeholder=person, observed_role="Handler"
    )
    assert both.subject == "Sam Carter, Handler"
    role_only = make_observation(personas.line_a, personas.liaison)
    assert role_only.subject == "Claims handler"


def test_split_names_trims_and_drops_blanks_and_repeats():
    assert split_names(" Outlook ,, ClaimCenter,outlook , SAP  FI") == [
        "Outlook",
        "ClaimCenter",
        "SAP FI",
    ]
