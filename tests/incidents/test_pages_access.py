"""Every incident page against every persona, and every page's refused methods."""

from __future__ import annotations

import pytest
from django.urls import reverse

from incidents.models import DepartmentMapping, ImportBatch, ImportStatus
from tests.incidents.test_pages_support import _media_in_tmp, make_incidents  # noqa: F401

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = ["anonymous", "manager", "liaison", "liaison_b", "stakeholder", "outsider"]
MANAGERS = [REDIRECT, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]
IT_STAFF = [REDIRECT, OK, OK, OK, FORBIDDEN, FORBIDDEN]


def _batch() -> ImportBatch:
    return ImportBatch.objects.get_or_create(
        original_name="done.csv",
        defaults={"status": ImportStatus.DONE, "mapping": {"number": "number"}},
    )[0]


def _incident_pk() -> int:
    return make_incidents(1)[0].pk


GET_PAGES = [
    ("import history", lambda: reverse("incidents:import_list"), MANAGERS),
    ("upload", lambda: reverse("incidents:import_new"), MANAGERS),
    ("import page", lambda: reverse("incidents:import_detail", args=[_batch().pk]), MANAGERS),
    ("rejected rows", lambda: reverse("incidents:import_rejected", args=[_batch().pk]), MANAGERS),
    ("departments", lambda: reverse("incidents:department_list"), MANAGERS),
    ("merge lines", lambda: reverse("incidents:line_merge"), MANAGERS),
    ("incident list", lambda: reverse("incidents:incident_list"), IT_STAFF),
    (
        "incident page",
        lambda: reverse("incidents:incident_detail", args=[_incident_pk()]),
        IT_STAFF,
    ),
]

CASES = [
    pytest.param(build, role, expected[i], id=f"{name}-{role}")
    for name, build, expected in GET_PAGES
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("build", "role", "expected"), CASES)
def test_who_may_open_each_page(personas, client_for, build, role, expected):
    user = None if role == "anonymous" else getattr(personas, role)
    response = client_for(user).get(build())
    assert response.status_code == expected
    if expected == REDIRECT:
        assert response["Location"].startswith(reverse("login"))


def _queued() -> ImportBatch:
    return ImportBatch.objects.create(original_name="queued.csv")


def _mapping() -> DepartmentMapping:
    return DepartmentMapping.objects.get_or_create(raw_value="Claims dept")[0]


POSTS = [
    ("cancel", lambda: reverse("incidents:import_cancel", args=[_queued().pk])),
    ("run again", lambda: reverse("incidents:import_rerun", args=[_queued().pk])),
    ("assign", lambda: reverse("incidents:department_assign", args=[_mapping().pk])),
    ("merge", lambda: reverse("incidents:line_merge")),
    ("upload", lambda: reverse("incidents:import_new")),
    ("mapping", lambda: reverse("incidents:import_mapping", args=[_queued().pk])),
]


@pytest.mark.parametrize("role", ["liaison", "stakeholder", "outsider"])
@pytest.mark.parametrize(("name", "build"), POSTS, ids=[name for name, _ in POSTS])
def test_only_managers_may_post(personas, client_for, role, name, build):
    url = build()
    assert client_for(getattr(personas, role)).post(url).status_code == FORBIDDEN
    assert ImportBatch.objects.filter(status=ImportStatus.CANCELLED).count() == 0


WRONG_METHODS = [
    ("post", lambda: reverse("incidents:import_list")),
    ("post", lambda: reverse("incidents:import_detail", args=[_batch().pk])),
    ("post", lambda: reverse("incidents:import_rejected", args=[_batch().pk])),
    ("post", lambda: reverse("incidents:incident_list")),
    ("post", lambda: reverse("incidents:incident_detail", args=[_incident_pk()])),
    ("post", lambda: reverse("incidents:department_list")),
    ("get", lambda: reverse("incidents:import_cancel", args=[_queued().pk])),
    ("get", lambda: reverse("incidents:import_rerun", args=[_queued().pk])),
    ("get", lambda: reverse("incidents:department_assign", args=[_mapping().pk])),
    ("put", lambda: reverse("incidents:import_new")),
    ("put", lambda: reverse("incidents:import_mapping", args=[_queued().pk])),
    ("delete", lambda: reverse("incidents:line_merge")),
]


@pytest.mark.parametrize(("method", "build"), WRONG_METHODS)
def test_a_wrong_method_is_refused(personas, client_for, method, build):
    response = getattr(client_for(personas.manager), method)(build())
    assert response.status_code == 405
