"""Monthly reports: one page per line or for the whole department, as HTML and PDF, and the
email that sends them to the managers on the first of the month.

PDFs are rendered by WeasyPrint from the same template as the page: it needs only Pango (a
system library, installed by ``.ci/run`` when missing), where a headless browser would have
to run inside every Celery worker.
"""

from __future__ import annotations

import logging
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from dashboards.forms import Filters, add_months
from dashboards.queries import Totals, dashboard
from itrm.access import Role
from stakeholders.models import BusinessLine

# WeasyPrint logs each of its seven steps at INFO; a worker's log needs none of them.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The report shows its month against the two before it.
TREND_MONTHS = 3


def filters_query(filters: Filters) -> str:
    """The canonical query string of a set of filters (for links and CSV downloads)."""
    params: list[tuple[str, str]] = [("lines", str(pk)) for pk in filters.line_ids]
    params += [("start", f"{filters.start:%Y-%m}"), ("end", f"{filters.end:%Y-%m}")]
    return urlencode(params)


def _change(now: float, before: float) -> str:
    if not before:
        return "new" if now else "—"
    return f"{(now - before) / before:+.0%}"


def _measures(now: Totals, before: Totals) -> list[tuple[str, float, float, str]]:
    rows = [
        ("Incidents raised", now["incidents"], before["incidents"]),
        (
            "Hours to resolve",
            round(now["hours_to_resolve"], 1),
            round(before["hours_to_resolve"], 1),
        ),
        ("Meetings held", now["meetings_held"], before["meetings_held"]),
        ("Meetings attended by IT", now["meetings_attended"], before["meetings_attended"]),
        ("DILO sessions", now["dilo_sessions"], before["dilo_sessions"]),
        ("Cards created", now["cards_created"], before["cards_created"]),
        ("Cards shared", now["cards_shared"], before["cards_shared"]),
        ("Cards accepted", now["cards_accepted"], before["cards_accepted"]),
        ("Cards done", now["cards_done"], before["cards_done"]),
        (
            "Incidents avoided (estimate)",
            round(now["incidents_avoided"], 1),
            round(before["incidents_avoided"], 1),
        ),
    ]
    return [(name, a, b, _change(a, b)) for name, a, b in rows]


def report_context(*, month: date, line: BusinessLine | None) -> dict[str, object]:
    from dashboards.charts import health, month_label, percent

    filters = Filters(
        lines=(line,) if line else (), start=add_months(month, 1 - TREND_MONTHS), end=month
    )
    data = dashboard(filters)
    now, before = data.months[month], data.months[add_months(month, -1)]
    scope = line.name if line else "All business lines"
    args = [month.year, month.month] + ([line.slug] if line else [])
    return {
        "month": month,
        "month_label": month_label(month),
        "line": line,
        "scope": scope,
        "data": data,
        "measures": _measures(now, before),
        "share": percent(now["share"]),
        "share_before": percent(before["share"]),
        "lines": [(r, r.months[month], percent(r.months[month]["share"])) for r in data.lines],
        "health": health(data),
        "pdf_url": reverse(
            "dashboards:line_report_pdf" if line else "dashboards:report_pdf", args=args
        ),
        "filename": f"itrm-report-{month:%Y-%m}{'-' + line.slug if line else ''}.pdf",
    }


def render_pdf(context: dict[str, object]) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]

    html = render_to_string("dashboards/report.html", {**context, "for_pdf": True})
    pdf: bytes = HTML(string=html, base_url=settings.SITE_URL).write_pdf()
    return pdf


def managers() -> list[str]:
    """Email addresses of the active managers."""
    users = get_user_model().objects.filter(
        Q(groups__name=Role.MANAGER) & Q(is_active=True) & ~Q(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


def reports_send(*, month: date) -> int:
    """Email the department's report of ``month`` (as PDF) to every manager; returns how
    many emails went. Each manager gets their own email, so no one sees the others' address."""
    recipients = managers()
    if not recipients:
        return 0
    context = report_context(month=month, line=None)
    pdf = render_pdf(context)
    url = f"{settings.SITE_URL}{reverse('dashboards:report', args=[month.year, month.month])}"
    body = render_to_string("dashboards/report_email.txt", {**context, "url": url})
    messages = []
    for address in recipients:
        message = EmailMessage(
            subject=f"itrm: proactive versus reactive, {context['month_label']}",
            body=body,
            to=[address],
        )
        message.attach(str(context["filename"]), pdf, "application/pdf")
        messages.append(message)
    return get_connection().send_messages(messages) or 0
