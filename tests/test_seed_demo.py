from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from dilo.models import Observation
from incidents.models import Incident
from itrm import access
from meetings.models import Meeting
from stakeholders.models import BusinessLine, Need, Stakeholder


def snapshot():
    return (
        list(BusinessLine.objects.values_list("slug", "updated_at", "last_contact_on")),
        list(Stakeholder.objects.values_list("name", "updated_at", "influence", "interest")),
        list(Need.objects.values_list("title", "updated_at")),
        list(User.objects.values_list("username", "password")),
        Meeting.objects.count(),
        Observation.objects.count(),
        list(Incident.objects.order_by("number").values_list("number", "row_hash", "line")),
    )


def test_seed_demo_builds_a_believable_organisation_and_is_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert BusinessLine.objects.count() >= 10
    assert BusinessLine.objects.filter(parent__isnull=False).exists()
    assert Stakeholder.objects.count() >= 60
    assert len(set(Stakeholder.objects.values_list("influence", "interest"))) >= 12
    assert len(set(Stakeholder.objects.values_list("stance", flat=True))) == 5
    manager, liaison, stakeholder = (
        User.objects.get(username=n) for n in ("manager", "liaison", "stakeholder")
    )
    assert access.is_manager(manager)
    assert access.is_it_staff(liaison)
    assert not access.is_manager(liaison)
    assert access.is_business_stakeholder(stakeholder)
    assert stakeholder.stakeholder_profile.line.name == "Claims"
    assert "password: itrm-demo-2026" in out.getvalue()
    assert liaison.check_password("itrm-demo-2026")
    assert Meeting.objects.filter(attendances__status="attended").distinct().count() > 50
    assert Observation.objects.count() >= 12
    claims_incidents = Incident.objects.filter(line__name="Claims")
    assert claims_incidents.filter(short_description__icontains="VPN").count() > 50

    before = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == before
