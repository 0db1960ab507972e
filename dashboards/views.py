"""The manager dashboard, its CSV downloads and the monthly reports (managers only)."""

from __future__ import annotations

import csv
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from dashboards import reports
from dashboards.charts import CHARTS, all_charts
from dashboards.forms import DashboardFilterForm, Filters, add_months
from dashboards.queries import dashboard, rollups_refreshed_at
from dashboards.tasks import refresh_rollups
from itrm.access import require_manager
from itrm.lib.htmx import HtmxHttpRequest
from stakeholders.models import BusinessLine


@require_GET
def manager(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = DashboardFilterForm(request.GET)
    charts = _charts_html(request, form.filters())
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(charts)
    return render(request, "dashboards/manager.html", {"form": form, "charts_html": charts})


def _charts_html(request: HtmxHttpRequest, filters: Filters) -> str:
    """The charts fragment, rendered once per filters and roll-up refresh and kept for
    ``DASHBOARD_CACHE_SECONDS``: it is the same for every manager, and it is read far more
    often than its numbers change."""
    query = reports.filters_query(filters)
    refreshed = rollups_refreshed_at()
    key = f"dashboards:charts:{refreshed.isoformat() if refreshed else 'never'}:{query}"
    html: str | None = cache.get(key)
    if html is None:
        charts = all_charts(dashboard(filters))
        context = {"filters": filters, "charts": charts, "query": query, "refreshed": refreshed}
        html = render_to_string("dashboards/manager.html#charts", context, request=request)
        cache.set(key, html, settings.DASHBOARD_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our own template just above


@require_POST
def refresh(request: HtmxHttpRequest) -> HttpResponse:
    """Rebuild the roll-ups now (after an import, say) instead of waiting for the night."""
    require_manager(request.user)
    refresh_rollups.delay()
    messages.success(request, "The roll-ups are being refreshed; the charts follow in seconds.")
    return redirect(f"{reverse('dashboards:manager')}?{request.POST.get('query', '')}")


@require_GET
def chart_csv(request: HtmxHttpRequest, chart: str) -> HttpResponse:
    require_manager(request.user)
    if chart not in CHARTS:
        raise Http404("No such chart.")
    filters = DashboardFilterForm(request.GET).filters()
    table = CHARTS[chart](dashboard(filters))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"itrm-{chart}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(table.headers)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return response


@require_GET
def report_index(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    last = add_months(timezone.localdate().replace(day=1), -1)
    context = {
        "months": [add_months(last, -i) for i in range(12)],
        "lines": BusinessLine.objects.order_by("name"),
    }
    return render(request, "dashboards/report_index.html", context)


def _report_context(year: int, month: int, slug: str | None) -> dict[str, object]:
    try:
        first = date(year, month, 1)
    except ValueError:
        raise Http404("No such month.") from None
    line = get_object_or_404(BusinessLine, slug=slug) if slug else None
    return reports.report_context(month=first, line=line)


@require_GET
def report(
    request: HtmxHttpRequest, year: int, month: int, slug: str | None = None
) -> HttpResponse:
    require_manager(request.user)
    if not slug and request.GET.get("line"):
        # The report index's line picker, which works without JavaScript.
        return redirect("dashboards:line_report", year, month, request.GET["line"])
    return render(request, "dashboards/report.html", _report_context(year, month, slug))


@require_GET
def report_pdf(
    request: HtmxHttpRequest, year: int, month: int, slug: str | None = None
) -> HttpResponse:
    require_manager(request.user)
    context = _report_context(year, month, slug)
    response = HttpResponse(reports.render_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{context["filename"]}"'
    return response
