from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from itrm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("stakeholders.urls")),
    path("", include("meetings.urls")),
    path("", include("dilo.urls")),
    path("", include("incidents.urls")),
    path("", include("recommendations.urls")),
    path("dashboard/", include("dashboards.urls")),
]
