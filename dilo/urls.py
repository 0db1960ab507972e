from __future__ import annotations

from django.urls import path

from dilo import views

app_name = "dilo"
urlpatterns = [
    path("dilo/", views.observation_list, name="observation_list"),
    path("dilo/new/", views.observation_create, name="observation_create"),
    path("dilo/pain-points/", views.painpoint_list, name="painpoint_list"),
    path("dilo/<int:pk>/", views.observation_detail, name="observation_detail"),
    path("dilo/<int:pk>/edit/", views.observation_edit, name="observation_edit"),
    path("dilo/<int:pk>/entries/", views.entry_create, name="entry_create"),
    path(
        "dilo/<int:pk>/entries/<int:entry_pk>/delete/",
        views.entry_delete,
        name="entry_delete",
    ),
    path("dilo/<int:pk>/pain-points/", views.painpoint_create, name="painpoint_create"),
    path(
        "dilo/<int:pk>/pain-points/<int:painpoint_pk>/delete/",
        views.painpoint_delete,
        name="painpoint_delete",
    ),
]
