from __future__ import annotations

from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.manager, name="manager"),
    path("refresh/", views.refresh, name="refresh"),
    path("csv/<slug:chart>/", views.chart_csv, name="chart_csv"),
    path("reports/", views.report_index, name="report_index"),
    path("reports/<int:year>/<int:month>/", views.report, name="report"),
    path("reports/<int:year>/<int:month>/pdf/", views.report_pdf, name="report_pdf"),
    path("reports/<int:year>/<int:month>/<slug:slug>/", views.report, name="line_report"),
    path(
        "reports/<int:year>/<int:month>/<slug:slug>/pdf/",
        views.report_pdf,
        name="line_report_pdf",
    ),
]
