from __future__ import annotations

from django.urls import path

from incidents import analysis_views, views

app_name = "incidents"
urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="import_mapping"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/rerun/", views.import_rerun, name="import_rerun"),
    path("imports/<int:pk>/rejected.csv", views.import_rejected, name="import_rejected"),
    path("incidents/", views.incident_list, name="incident_list"),
    path("incidents/departments/", views.department_list, name="department_list"),
    path("incidents/departments/<int:pk>/", views.department_assign, name="department_assign"),
    path("incidents/merge-lines/", views.line_merge, name="line_merge"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("analysis/", analysis_views.analysis_list, name="analysis_list"),
    path("analysis/<int:pk>/", analysis_views.analysis_run, name="analysis_run"),
]
