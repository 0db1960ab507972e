"""The Django admin of the incident models loads, with a batch's first rejected rows."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from incidents.models import DepartmentMapping, ImportBatch, ImportRejection, MappingProfile
from tests.incidents.test_pages_support import make_incidents


@pytest.fixture
def admin_client_(db, client_for):
    return client_for(User.objects.create_superuser("root", "root@example.com", "x"))


@pytest.mark.parametrize(
    "model", ["incident", "importbatch", "departmentmapping", "mappingprofile"]
)
def test_each_changelist_loads(admin_client_, model):
    make_incidents(3)
    ImportBatch.objects.create(original_name="a.csv")
    DepartmentMapping.objects.create(raw_value="Claims")
    MappingProfile.objects.create(name="legacy", mapping={"number": "Ticket"})
    assert admin_client_.get(reverse(f"admin:incidents_{model}_changelist")).status_code == 200


def test_a_batch_shows_its_first_rejections_read_only(admin_client_):
    batch = ImportBatch.objects.create(original_name="a.csv")
    ImportRejection.objects.bulk_create(
        ImportRejection(batch=batch, row_number=n, reason=f"reason {n}", values=["x"])
        for n in range(2, 152)
    )
    url = reverse("admin:incidents_importbatch_change", args=[batch.pk])
    body = admin_client_.get(url).content.decode()
    assert "reason 101" in body
    assert "reason 102" not in body
    # Saving the batch with its (shortened) inline keeps every rejection.
    data = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body)
        if name != "_addanother"
    }
    data.update(
        source="servicenow",
        original_name="renamed.csv",
        time_zone="UTC",
        status=batch.status,
        mapping="{}",
        _save="Save",
    )
    assert data["rejections-INITIAL_FORMS"] == "100"
    response = admin_client_.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    batch.refresh_from_db()
    assert batch.original_name == "renamed.csv"
    assert batch.rejections.count() == 150


def test_incidents_cannot_be_added_by_hand(admin_client_):
    assert admin_client_.get(reverse("admin:incidents_incident_add")).status_code == 403
    incident = make_incidents(1)[0]
    url = reverse("admin:incidents_incident_change", args=[incident.pk])
    assert admin_client_.get(url).status_code == 200
