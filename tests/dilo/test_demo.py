from __future__ import annotations

import random

from django.utils import timezone
from django.utils.text import slugify

from dilo.demo import SESSIONS, seed_observations
from dilo.models import Observation, PainPoint, Tag
from stakeholders import demo as org
from stakeholders.models import BusinessLine
from tests.personas import make_user


def seeded(seed):
    return random.Random(seed)  # noqa: S311 - repeatable demo data, nothing secret


def all_lines():
    return {
        name: BusinessLine.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name, *_ in org.LINES
    }


def test_it_seeds_a_dozen_believable_days_once(db):
    lines = all_lines()
    lena = make_user("lena")
    lines["Claims"].liaisons.add(lena)
    raj = make_user("raj")
    today = timezone.localdate()
    args = {"lines": lines, "observers": [lena, raj], "today": today}
    created = seed_observations(rng=seeded(1), **args)
    assert created == Observation.objects.count() >= 12
    assert Observation.objects.values("line").distinct().count() == len(lines)
    for observation in Observation.objects.all():
        assert 6 <= observation.entries.count() <= 12, observation
        assert 1 <= observation.pain_points.count() <= 4, observation
        assert 0 < (today - observation.observed_on).days <= 366
    # A line's own liaison observes it when they are among the observers.
    assert set(
        Observation.objects.filter(line=lines["Claims"]).values_list("observer", flat=True)
    ) == {lena.pk}
    assert PainPoint.objects.filter(
        description="Re-keys claim number into the payment system",
        system="Guidewire ClaimCenter",
        frequency=25,
        minutes_lost=2,
        hours_lost_per_month=17.5,
    ).exists()
    assert Tag.objects.filter(slug="re-keying").exists()

    # A second run, even with a generator in another state, changes nothing.
    assert seed_observations(rng=seeded(99), **args) == 0
    assert Observation.objects.count() == created


def test_it_skips_lines_it_is_not_given(db):
    lines = {name: line for name, line in all_lines().items() if name == "Claims"}
    created = seed_observations(
        lines=lines,
        observers=[make_user("lena")],
        rng=seeded(1),
        today=timezone.localdate(),
    )
    assert created == sum(1 for session in SESSIONS if session.line == "Claims") == 2
    assert set(Observation.objects.values_list("line__name", flat=True)) == {"Claims"}


def test_every_session_names_a_line_of_the_demo_organisation():
    names = {name for name, *_ in org.LINES}
    assert {session.line for session in SESSIONS} == names
