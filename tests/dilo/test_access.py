"""Every DILO URL against every persona: IT reads all, liaisons write their own lines."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.dilo.factories import make_entry, make_observation, make_pain_point

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = ["anonymous", "manager", "liaison", "liaison_b", "stakeholder", "stakeholder_b", "outsider"]
READ = [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN]
# The observation is of line A: Lena (liaison) serves it, Raj (liaison_b) does not.
WRITE_LINE_A = [REDIRECT, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]

PAGES = [
    ("observation list", lambda o: reverse("dilo:observation_list"), READ),
    ("pain-point list", lambda o: reverse("dilo:painpoint_list"), READ),
    ("observation page", lambda o: o.get_absolute_url(), READ),
    # Raj serves line B, so he may open the form; it offers only his line.
    ("new observation", lambda o: reverse("dilo:observation_create"), READ),
    ("edit observation", lambda o: reverse("dilo:observation_edit", args=[o.pk]), WRITE_LINE_A),
]
CASES = [
    pytest.param(build, role, expected[i], id=f"{name}-{role}")
    for name, build, expected in PAGES
    for i, role in enumerate(ROLES)
]


@pytest.fixture
def observation(personas):
    return make_observation(personas.line_a, personas.liaison)


@pytest.mark.parametrize(("build", "role", "expected"), CASES)
def test_get_access(personas, client_for, observation, build, role, expected):
    user = None if role == "anonymous" else getattr(personas, role)
    response = client_for(user).get(build(observation))
    assert response.status_code == expected
    if expected == REDIRECT:
        assert response["Location"].startswith(reverse("login"))


WRITES = [
    ("add entry", lambda o: reverse("dilo:entry_create", args=[o.pk])),
    (
        "delete entry",
        lambda o: reverse("dilo:entry_delete", args=[o.pk, o.entries.get().pk]),
    ),
    ("add pain point", lambda o: reverse("dilo:painpoint_create", args=[o.pk])),
    (
        "delete pain point",
        lambda o: reverse("dilo:painpoint_delete", args=[o.pk, o.pain_points.get().pk]),
    ),
    ("edit observation", lambda o: reverse("dilo:observation_edit", args=[o.pk])),
]


@pytest.mark.parametrize(("name", "build"), WRITES, ids=[w[0] for w in WRITES])
@pytest.mark.parametrize("role", ["liaison_b", "stakeholder", "stakeholder_b", "outsider"])
def test_writes_on_line_a_are_refused_to_others(
    personas, client_for, observation, name, build, role
):
    make_entry(observation, activity="Original entry")
    make_pain_point(observation, description="Original pain")
    data = {"entry-at": "10:00", "entry-activity": "Injected", "goal": "Injected"}
    response = client_for(getattr(personas, role)).post(build(observation), data)
    assert response.status_code == FORBIDDEN
    observation.refresh_from_db()
    assert observation.goal == "See where a handler's day goes."
    assert list(observation.entries.values_list("activity", flat=True)) == ["Original entry"]
    assert list(observation.pain_points.values_list("description", flat=True)) == ["Original pain"]


@pytest.mark.parametrize("name", ["add entry", "delete entry", "add pain point"])
def test_anonymous_writes_are_sent_to_login(personas, client_for, observation, name):
    make_entry(observation)
    make_pain_point(observation)
    build = dict(WRITES)[name]
    response = client_for(None).post(build(observation))
    assert response.status_code == REDIRECT
    assert response["Location"].startswith(reverse("login"))
