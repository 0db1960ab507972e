from __future__ import annotations

import re
from datetime import time

import pytest
from django.urls import reverse

from dilo.models import TimelineEntry
from tests.conftest import HTMX
from tests.dilo.factories import make_entry, make_observation


@pytest.fixture
def observation(personas):
    return make_observation(personas.line_a, personas.liaison)


def add_url(observation):
    return reverse("dilo:entry_create", args=[observation.pk])


def delete_url(entry):
    return reverse("dilo:entry_delete", args=[entry.observation_id, entry.pk])


def input_tag(body, name):
    """The <input> element named ``name`` in ``body``."""
    match = re.search(rf'<input [^>]*name="{name}"[^>]*>', body)
    assert match, f"no input {name}"
    return match.group(0)


ROW = {"entry-at": "09:15", "entry-activity": "Opens the claims queue", "entry-systems": ""}


def test_htmx_adds_a_row_and_returns_a_fresh_focused_empty_row(personas, client_for, observation):
    make_entry(observation, "08:30", activity="Logs in")
    data = {**ROW, "entry-systems": " ClaimCenter,, Outlook ,claimcenter"}
    response = client_for(personas.liaison).post(add_url(observation), data, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="timeline"' in body
    assert "<html" not in body
    entry = TimelineEntry.objects.get(activity="Opens the claims queue")
    assert entry.at == time(9, 15)
    assert entry.systems == "ClaimCenter, Outlook"
    assert f'<tr id="entry-{entry.pk}">' in body
    assert body.index("Logs in") < body.index("Opens the claims queue")
    # The next row is empty and has the cursor, so the liaison keeps typing.
    time_input = input_tag(body, "entry-at")
    assert "autofocus" in time_input
    assert "value=" not in time_input
    assert "value=" not in input_tag(body, "entry-activity")


def test_errors_show_inline_and_keep_what_was_typed(personas, client_for, observation):
    data = {**ROW, "entry-activity": "   ", "entry-systems": "Outlook"}
    body = client_for(personas.liaison).post(add_url(observation), data, **HTMX).content.decode()
    assert "<html" not in body
    assert 'value="09:15"' in input_tag(body, "entry-at")
    assert 'value="Outlook"' in input_tag(body, "entry-systems")
    activity = input_tag(body, "entry-activity")
    assert "autofocus" in activity
    assert 'aria-invalid="true"' in activity
    assert "This field is required." in body
    assert not TimelineEntry.objects.exists()


def test_a_bad_time_is_reported(personas, client_for, observation):
    data = {**ROW, "entry-at": "25:99"}
    body = client_for(personas.liaison).post(add_url(observation), data, **HTMX).content.decode()
    assert "Enter a valid time." in body
    assert "autofocus" in input_tag(body, "entry-at")


def test_without_javascript_a_row_is_added_and_the_page_reloads(personas, client_for, observation):
    response = client_for(personas.liaison).post(add_url(observation), ROW)
    assert response.status_code == 302
    assert response["Location"] == f"{observation.get_absolute_url()}#timeline"
    assert observation.entries.get().activity == "Opens the claims queue"


def test_without_javascript_errors_come_back_on_the_whole_page(personas, client_for, observation):
    data = {**ROW, "entry-activity": ""}
    response = client_for(personas.liaison).post(add_url(observation), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert "This field is required." in body


def test_adding_needs_post(personas, client_for, observation):
    assert client_for(personas.liaison).get(add_url(observation)).status_code == 405


def test_the_manager_adds_rows_to_any_line(personas, client_for, observation):
    response = client_for(personas.manager).post(add_url(observation), ROW, **HTMX)
    assert response.status_code == 200
    assert observation.entries.count() == 1


def test_htmx_deletes_a_row_and_leaves_the_others(personas, client_for, observation):
    gone = make_entry(observation, "09:00", activity="Goes")
    kept = make_entry(observation, "10:00", activity="Stays")
    response = client_for(personas.liaison).post(delete_url(gone), **HTMX)
    assert response.status_code == 200
    # An empty body: the row's outerHTML swap removes it, and the add row keeps its text.
    assert response.content == b""
    assert list(observation.entries.all()) == [kept]


def test_without_javascript_delete_returns_to_the_timeline(personas, client_for, observation):
    entry = make_entry(observation)
    response = client_for(personas.liaison).post(delete_url(entry))
    assert response["Location"] == f"{observation.get_absolute_url()}#timeline"
    assert not observation.entries.exists()


def test_an_entry_is_deleted_only_through_its_own_observation(personas, client_for, observation):
    other = make_observation(personas.line_a, personas.liaison, observed_role="Team leader")
    entry = make_entry(other)
    url = reverse("dilo:entry_delete", args=[observation.pk, entry.pk])
    assert client_for(personas.liaison).post(url).status_code == 404
    assert other.entries.exists()


def test_deleting_needs_post(personas, client_for, observation):
    entry = make_entry(observation)
    assert client_for(personas.liaison).get(delete_url(entry)).status_code == 405
    assert observation.entries.exists()
