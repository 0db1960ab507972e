from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

REPORT = reverse("dashboards:report", args=[2026, 2])


def test_the_department_report_shows_the_month_against_the_one_before(world, client_for):
    body = client_for(world.manager).get(REPORT).content.decode()
    assert "February 2026" in body or "Feb 2026" in body
    assert '<th scope="row">Incidents raised</th><td class="num">4</td>' in body
    assert reverse("dashboards:line_report", args=[2026, 2, world.line_a.slug]) in body
    assert reverse("dashboards:report_pdf", args=[2026, 2]) in body


def test_a_line_report_shows_only_that_line(world, client_for):
    url = reverse("dashboards:line_report", args=[2026, 2, world.line_a.slug])
    body = client_for(world.manager).get(url).content.decode()
    assert "Claims: proactive versus reactive" in body
    assert '<th scope="row">Incidents raised</th><td class="num">3</td>' in body
    assert "Finance" not in body


def test_the_report_index_picks_a_line_without_javascript(world, client_for):
    client = client_for(world.manager)
    assert client.get(reverse("dashboards:report_index")).status_code == 200
    response = client.get(REPORT, {"line": world.line_b.slug})
    assert response["Location"] == reverse("dashboards:line_report", args=[2026, 2, "finance"])


def test_the_pdf_is_a_pdf(world, client_for):
    response = client_for(world.manager).get(reverse("dashboards:report_pdf", args=[2026, 2]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "itrm-report-2026-02.pdf" in response["Content-Disposition"]


def test_an_impossible_month_is_not_found(world, client_for):
    url = reverse("dashboards:report", args=[2026, 13])
    assert client_for(world.manager).get(url).status_code == 404


@pytest.mark.parametrize("role", ["liaison", "stakeholder", "outsider"])
def test_reports_are_for_managers_only(world, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(REPORT).status_code == 403
    assert client.get(reverse("dashboards:report_pdf", args=[2026, 2])).status_code == 403


def test_the_monthly_email_goes_to_each_manager_with_the_pdf(world, capsys):
    call_command("send_monthly_reports", "--month", "2026-02")
    assert "1 report emails sent" in capsys.readouterr().out
    [message] = mail.outbox
    assert message.to == ["morgan@example.com"]
    assert "February 2026" in message.subject or "Feb 2026" in message.subject
    name, content, kind = message.attachments[0]
    assert (name, kind) == ("itrm-report-2026-02.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    assert "Incidents raised: 4" in message.body


def test_the_monthly_task_reports_last_month_by_default(world):
    from dashboards.tasks import send_monthly_reports

    assert send_monthly_reports.delay().get() == 1
    assert "Feb 2026" in mail.outbox[0].subject
