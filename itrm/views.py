from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from itrm import access


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """IT staff land on the business lines; a business stakeholder on what is shared with them."""
    if access.is_it_staff(request.user):
        return redirect("stakeholders:line_list")
    return render(request, "home_stakeholder.html")


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
