from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dilo.models import Observation
from dilo.queries import (
    last_observation_on,
    last_observation_subquery,
    observations_for_timeline,
    search_dilo,
)
from itrm.access import can_edit_line
from stakeholders.models import BusinessLine
from stakeholders.queries import editable_lines
from tests.dilo.factories import days_ago, make_entry, make_observation, make_pain_point
from tests.helpers import need


def test_last_observation_on_is_the_latest_date_of_the_line(personas):
    assert last_observation_on(personas.line_a.pk) is None
    make_observation(personas.line_a, personas.liaison, observed_on=days_ago(30))
    make_observation(personas.line_a, personas.liaison, observed_on=days_ago(4))
    make_observation(personas.line_b, personas.liaison_b, observed_on=days_ago(1))
    assert last_observation_on(personas.line_a.pk) == days_ago(4)


def test_last_observation_subquery_annotates_every_line_in_one_query(personas):
    make_observation(personas.line_a, personas.liaison, observed_on=days_ago(30))
    make_observation(personas.line_a, personas.liaison, observed_on=days_ago(4))
    with CaptureQueriesContext(connection) as ctx:
        lines = {
            line.name: line.last_dilo
            for line in BusinessLine.objects.annotate(last_dilo=last_observation_subquery())
        }
    assert lines == {"Claims": days_ago(4), "Finance": None}
    assert len(ctx.captured_queries) == 1


def test_observations_for_timeline_newest_first_with_pain_totals(personas):
    old = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(90))
    new = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(2))
    make_observation(personas.line_b, personas.liaison_b)
    make_pain_point(new, frequency=25, minutes_lost=2)  # 17.5 h
    make_pain_point(new, frequency=1, frequency_unit="week", minutes_lost=90)  # 6.5 h
    # Timeline entries join a different table: they must not multiply the sums.
    for at in ("08:00", "09:00", "10:00"):
        make_entry(new, at)
    with CaptureQueriesContext(connection) as ctx:
        rows = observations_for_timeline(personas.line_a.pk)
        names = [(o.observer.username, o.subject) for o in rows]
    assert len(ctx.captured_queries) == 1
    assert rows == [new, old]
    assert names == [("lena", "Claims handler"), ("lena", "Claims handler")]
    totals = [(row.pain_point_count, row.hours_lost) for row in rows]  # type: ignore[attr-defined]
    assert totals == [(2, pytest.approx(24.0)), (0, 0.0)]
    assert observations_for_timeline(personas.line_a.pk, limit=1) == [new]


@pytest.fixture
def searchable(personas):
    invoices = make_observation(
        personas.line_a, personas.liaison, observed_role="AP clerk", goal="Watch a day."
    )
    make_pain_point(invoices, description="Keys rejected invoices by hand")
    make_pain_point(invoices, description="Keys more rejected invoices")
    queue = make_observation(personas.line_a, personas.liaison, goal="Another day.")
    make_entry(queue, "08:00", activity="Triages the windscreen queue")
    make_entry(queue, "09:00", activity="Windscreen calls again")
    elsewhere = make_observation(personas.line_b, personas.liaison_b, goal="Watch a day.")
    make_pain_point(elsewhere, description="Keys rejected invoices by hand")
    return invoices, queue


def test_search_finds_a_word_of_a_pain_point_once(personas, searchable):
    invoices, _ = searchable
    assert list(search_dilo(personas.line_a.pk, "invoices")) == [invoices]


def test_search_finds_a_timeline_activity(personas, searchable):
    _, queue = searchable
    assert list(search_dilo(personas.line_a.pk, "windscreen")) == [queue]


def test_search_finds_the_goal_and_role_and_nothing_for_blank(personas, searchable):
    invoices, _ = searchable
    assert list(search_dilo(personas.line_a.pk, "clerk")) == [invoices]
    assert list(search_dilo(personas.line_a.pk, "  ")) == []
    assert list(search_dilo(personas.line_a.pk, "payroll")) == []


def test_postgresql_search_is_stemmed_full_text(personas, searchable):
    need(connection.vendor == "postgresql", "full-text search needs PostgreSQL")
    invoices, _ = searchable
    # "invoice" finds "invoices"; web-search syntax excludes with a minus.
    assert list(search_dilo(personas.line_a.pk, "invoice")) == [invoices]
    assert list(search_dilo(personas.line_a.pk, "day -windscreen")) == [invoices]


@pytest.mark.parametrize(
    "who", ["manager", "liaison", "liaison_b", "stakeholder", "stakeholder_b", "outsider"]
)
def test_editable_lines_agrees_with_the_access_module(personas, who):
    user = getattr(personas, who)
    BusinessLine.objects.create(name="Operations")
    editable = set(editable_lines(user))
    for line in BusinessLine.objects.prefetch_related("liaisons"):
        assert (line in editable) == can_edit_line(user, line), f"{who} on {line}"


def test_observations_are_newest_first_by_default(personas):
    old = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(9))
    new = make_observation(personas.line_a, personas.liaison, observed_on=days_ago(1))
    assert list(Observation.objects.all()) == [new, old]


def test_postgresql_search_matches_words_from_different_parts_of_the_day(personas, searchable):
    need(connection.vendor == "postgresql", "full-text search needs PostgreSQL")
    _, queue = searchable
    # "another" is in the goal, "triages" in one entry, "calls" in another.
    assert list(search_dilo(personas.line_a.pk, "another triage calls")) == [queue]
