from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dashboards.queries import liaison_home
from itrm import access


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """IT staff land on their lines, their review queue and the business's answers; a business
    stakeholder on the recommendations shared with them."""
    from recommendations.queries import answers_for, review_queue, shares_for

    if access.is_it_staff(request.user):
        context = {
            "answers": answers_for(request.user),
            "to_review": review_queue(request.user).count(),
            # Lines with health, upcoming meetings, overdue actions, recent rises.
            "home": liaison_home(access.signed_in(request)),
        }
        return render(request, "home_it.html", context)
    return render(request, "home_stakeholder.html", {"shares": shares_for(request.user)})


@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
