from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dilo.models import PainPoint, Tag
from tests.conftest import HTMX
from tests.dilo.factories import make_observation, make_pain_point


@pytest.fixture
def observation(personas):
    return make_observation(personas.line_a, personas.liaison)


def tag(body, pattern):
    """The first HTML start tag in ``body`` matching ``pattern``."""
    match = re.search(pattern, body)
    assert match, f"nothing matches {pattern}"
    return match.group(0)


def add_url(observation):
    return reverse("dilo:painpoint_create", args=[observation.pk])


def delete_url(pain):
    return reverse("dilo:painpoint_delete", args=[pain.observation_id, pain.pk])


PAIN = {
    "pain-description": "Re-keys claim number into the payment system",
    "pain-system": "Guidewire ClaimCenter",
    "pain-frequency": "25",
    "pain-frequency_unit": "day",
    "pain-minutes_lost": "2",
    "pain-severity": "high",
    "pain-tags": "Re-keying, integration, re-keying",
}


def test_htmx_adds_a_pain_point_with_its_tags_and_hours(personas, client_for, observation):
    response = client_for(personas.liaison).post(add_url(observation), PAIN, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="pain-points"' in body
    assert "<html" not in body
    pain = PainPoint.objects.get()
    assert pain.severity == "high"
    assert sorted(pain.tags.values_list("name", flat=True)) == ["Re-keying", "integration"]
    assert f'<tr id="painpoint-{pain.pk}">' in body
    assert '<td class="num dilo-hours">17.5</td>' in body
    assert '<td class="num" id="painpoint-total">17.5</td>' in body
    # A fresh form, focused on its first field, for the next pain point.
    description = tag(body, r"<textarea [^>]*>")
    assert "autofocus" in description
    assert 'name="pain-description"' in description
    assert "Re-keys claim number" not in body.split('id="painpoint-form"')[1]


def test_tags_are_reused_whatever_their_case(personas, client_for, observation):
    make_pain_point(observation, "re-keying")
    data = {**PAIN, "pain-tags": "RE-KEYING, workaround"}
    client_for(personas.liaison).post(add_url(observation), data, **HTMX)
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["re-keying", "workaround"]
    newest = PainPoint.objects.latest("pk")
    assert sorted(newest.tags.values_list("slug", flat=True)) == ["re-keying", "workaround"]


def test_per_week_pain_points_count_52_twelfths_of_a_week_a_month(
    personas, client_for, observation
):
    data = {**PAIN, "pain-frequency": "3", "pain-frequency_unit": "week", "pain-minutes_lost": "40"}
    body = client_for(personas.liaison).post(add_url(observation), data, **HTMX).content.decode()
    # 3 x 40 min x 52/12 = 520 min = 8.7 h
    assert '<td class="num dilo-hours">8.7</td>' in body


def test_errors_show_inline_and_keep_what_was_typed(personas, client_for, observation):
    data = {**PAIN, "pain-frequency": "0", "pain-minutes_lost": "", "pain-tags": "a, b"}
    body = client_for(personas.liaison).post(add_url(observation), data, **HTMX).content.decode()
    assert "<html" not in body
    assert "Ensure this value is greater than or equal to 1." in body
    assert "This field is required." in body
    assert "Re-keys claim number into the payment system</textarea>" in body
    assert 'value="a, b"' in body
    assert 'value="high" selected' in body
    frequency = tag(body, r'<input [^>]*name="pain-frequency"[^>]*>')
    assert "autofocus" in frequency
    assert not PainPoint.objects.exists()


def test_a_tag_without_letters_or_digits_is_refused(personas, client_for, observation):
    data = {**PAIN, "pain-tags": "ok, ???"}
    body = client_for(personas.liaison).post(add_url(observation), data, **HTMX).content.decode()
    assert "“???” needs at least one letter or digit." in body
    assert not PainPoint.objects.exists()


def test_without_javascript_a_pain_point_is_added_and_the_page_reloads(
    personas, client_for, observation
):
    response = client_for(personas.liaison).post(add_url(observation), PAIN)
    assert response["Location"] == f"{observation.get_absolute_url()}#pain-points"
    assert PainPoint.objects.count() == 1


def test_without_javascript_errors_come_back_on_the_whole_page(personas, client_for, observation):
    body = client_for(personas.liaison).post(add_url(observation), {**PAIN, "pain-system": ""})
    assert "<html" in body.content.decode()
    assert "This field is required." in body.content.decode()


def test_adding_needs_post(personas, client_for, observation):
    assert client_for(personas.liaison).get(add_url(observation)).status_code == 405


def test_htmx_delete_returns_the_table_with_its_new_total(personas, client_for, observation):
    gone = make_pain_point(observation, frequency=25, minutes_lost=2)  # 17.5 h
    make_pain_point(observation, frequency=1, frequency_unit="week", minutes_lost=90)  # 6.5 h
    response = client_for(personas.liaison).post(delete_url(gone), **HTMX)
    body = response.content.decode()
    assert 'id="painpoint-table"' in body
    assert "<html" not in body
    # Only the table is swapped: the add form (and what is typed in it) is not in the reply.
    assert 'id="painpoint-form"' not in body
    assert f'id="painpoint-{gone.pk}"' not in body
    assert '<td class="num" id="painpoint-total">6.5</td>' in body
    assert observation.pain_points.count() == 1


def test_without_javascript_delete_returns_to_the_pain_points(personas, client_for, observation):
    pain = make_pain_point(observation)
    response = client_for(personas.liaison).post(delete_url(pain))
    assert response["Location"] == f"{observation.get_absolute_url()}#pain-points"
    assert not PainPoint.objects.exists()


def test_a_pain_point_is_deleted_only_through_its_own_observation(
    personas, client_for, observation
):
    other = make_observation(personas.line_a, personas.liaison, observed_role="Team leader")
    pain = make_pain_point(other)
    url = reverse("dilo:painpoint_delete", args=[observation.pk, pain.pk])
    assert client_for(personas.manager).post(url).status_code == 404
    assert PainPoint.objects.filter(pk=pain.pk).exists()


def test_deleting_needs_post(personas, client_for, observation):
    pain = make_pain_point(observation)
    assert client_for(personas.liaison).get(delete_url(pain)).status_code == 405
    assert PainPoint.objects.exists()
