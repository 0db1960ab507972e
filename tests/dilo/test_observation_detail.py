from __future__ import annotations

import pytest

from dilo.models import PainPoint, Tag, TimelineEntry
from tests.conftest import HTMX
from tests.dilo.factories import make_entry, make_observation, make_pain_point
from tests.helpers import queries_for


@pytest.fixture
def observation(personas):
    return make_observation(
        personas.line_a,
        personas.liaison,
        goal="See where a handler's day goes.",
        summary="Most time goes on **re-keying**.",
    )


def test_it_shows_the_header_timeline_and_pain_points(personas, client_for, observation):
    make_entry(observation, "10:15", activity="Re-keys approved claims", systems="CC, SAP FI")
    make_entry(observation, "08:30", activity="Logs in to four systems", systems="Citrix")
    make_pain_point(observation, "re-keying", frequency=25, minutes_lost=2)  # 17.5 h
    make_pain_point(observation, frequency=1, frequency_unit="week", minutes_lost=90)  # 6.5 h
    response = client_for(personas.liaison_b).get(observation.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "A day in the life of Claims handler" in body
    assert "Lena Fischer" in body
    assert "See where a handler&#x27;s day goes." in body
    assert "Most time goes on <strong>re-keying</strong>." in body
    # The timeline reads in time order, whatever order it was typed in.
    assert body.index("Logs in to four systems") < body.index("Re-keys approved claims")
    assert '<span class="dilo-system">SAP FI</span>' in body
    assert '<td class="num dilo-hours">17.5</td>' in body
    assert '<td class="num dilo-hours">6.5</td>' in body
    assert '<td class="num" id="painpoint-total">24.0</td>' in body
    # Raj serves Finance: he reads the observation but gets no edit controls.
    assert 'id="entry-form"' not in body
    assert 'id="painpoint-form"' not in body
    assert "Edit observation" not in body


def test_its_liaison_gets_the_inline_forms(personas, client_for, observation):
    body = client_for(personas.liaison).get(observation.get_absolute_url()).content.decode()
    assert 'id="entry-form"' in body
    assert 'form="entry-form"' in body
    assert 'id="painpoint-form"' in body
    # The page does not steal focus on load; only a row added through htmx is focused.
    assert "autofocus" not in body


def test_a_script_in_the_summary_is_not_rendered_as_a_tag(personas, client_for):
    observation = make_observation(
        personas.line_a,
        personas.liaison,
        summary='<script>alert("x")</script> <img src=x onerror=alert(1)> **fine**',
    )
    body = client_for(personas.manager).get(observation.get_absolute_url()).content.decode()
    assert '<script>alert("x")' not in body
    assert "<img" not in body
    assert "&lt;script&gt;" in body
    assert "<strong>fine</strong>" in body


def test_it_shows_empty_states(personas, client_for, observation):
    body = client_for(personas.liaison).get(observation.get_absolute_url()).content.decode()
    assert "No entries yet." in body
    assert "No pain points recorded on this day." in body


@pytest.mark.parametrize("fragment", ["timeline", "pain-points"])
def test_htmx_reloads_one_fragment(personas, client_for, observation, fragment):
    url = observation.get_absolute_url()
    response = client_for(personas.liaison).get(url, {"fragment": fragment}, **HTMX)
    body = response.content.decode()
    assert f'id="{fragment}"' in body
    assert "<html" not in body


def test_unknown_observation_is_404(personas, client_for):
    assert client_for(personas.manager).get("/dilo/999/").status_code == 404


@pytest.mark.parametrize("who", ["stakeholder", "stakeholder_b", "outsider"])
def test_it_refuses_non_it_roles(personas, client_for, observation, who):
    url = observation.get_absolute_url()
    assert client_for(getattr(personas, who)).get(url).status_code == 403


def test_it_refuses_post(personas, client_for, observation):
    assert client_for(personas.liaison).post(observation.get_absolute_url()).status_code == 405


def test_query_count_does_not_grow_with_entries_and_pain_points(personas, client_for, observation):
    make_entry(observation)
    make_pain_point(observation, "re-keying")
    client = client_for(personas.liaison)
    url = observation.get_absolute_url()
    before = queries_for(client, url)
    TimelineEntry.objects.bulk_create(
        TimelineEntry(observation=observation, at=f"{8 + n % 10:02}:{n % 60:02}", activity=f"A{n}")
        for n in range(200)
    )
    tags = Tag.objects.bulk_create(Tag(name=f"tag {n}", slug=f"tag-{n}") for n in range(5))
    pains = PainPoint.objects.bulk_create(
        PainPoint(
            observation=observation,
            description=f"Pain {n}",
            system="ClaimCenter",
            frequency=1 + n,
            minutes_lost=2,
        )
        for n in range(200)
    )
    PainPoint.tags.through.objects.bulk_create(
        PainPoint.tags.through(painpoint_id=pain.pk, tag_id=tags[n % 5].pk)
        for n, pain in enumerate(pains)
    )
    assert queries_for(client, url) == before
    body = client.get(url).content.decode()
    assert body.count('<tr id="entry-') == 201
    assert body.count('<tr id="painpoint-') == 201
