from __future__ import annotations

from django.urls import path

from stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("lines/", views.line_list, name="line_list"),
    path("lines/new/", views.line_create, name="line_create"),
    path("lines/<slug:slug>/", views.line_detail, name="line_detail"),
    path("lines/<slug:slug>/edit/", views.line_edit, name="line_edit"),
    path("lines/<slug:slug>/contact/", views.line_contact, name="line_contact"),
    path("lines/<slug:slug>/search/", views.line_search, name="line_search"),
    path(
        "lines/<slug:slug>/stakeholders/new/", views.stakeholder_create, name="stakeholder_create"
    ),
    path("lines/<slug:slug>/needs/new/", views.need_create, name="need_create"),
    path("grid/", views.grid, name="grid"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholder_detail"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/delete/", views.stakeholder_delete, name="stakeholder_delete"),
]
