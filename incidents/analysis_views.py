"""Pages of the trend analysis: its runs, "Run now" and a run's live progress (managers)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HTMX_STOP_POLLING

from incidents.analysis import runs
from incidents.forms import RunForm
from incidents.models import AnalysisRun, RunTrigger
from itrm.access import require_manager, signed_in
from itrm.lib.htmx import HtmxHttpRequest, template_for
from itrm.lib.pagination import paginate

RUN = "incidents/analysis_run.html"


@require_http_methods(["GET", "POST"])
def analysis_list(request: HtmxHttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = RunForm(request.POST or None, initial={"as_of": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            run = runs.analysis_start(
                as_of=form.cleaned_data["as_of"],
                line=form.cleaned_data["line"],
                trigger=RunTrigger.MANUAL,
                user=signed_in(request),
            )
        except runs.AnalysisBusy as busy:
            messages.error(request, f"{busy} Wait for it to finish.")
            return redirect(busy.run)
        runs.analysis_enqueue(run=run)
        return redirect(run)
    queryset = AnalysisRun.objects.select_related("line", "requested_by")
    page = paginate(request, queryset)
    return render(request, "incidents/analysis_list.html", {"form": form, "page": page})


@require_GET
def analysis_run(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    require_manager(request.user)
    runs.analysis_expire_stale()
    run = get_object_or_404(AnalysisRun.objects.select_related("line", "requested_by"), pk=pk)
    results = run.results.select_related("line").order_by("line__name")
    context = {"run": run, "results": results, "stages": runs.stage_totals(run)}
    response = render(request, template_for(request, RUN, "run-status"), context)
    if request.htmx and not run.is_active:
        response.status_code = HTMX_STOP_POLLING
    return response
