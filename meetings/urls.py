from __future__ import annotations

from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/log/", views.meeting_log, name="meeting_log"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/stakeholders/", views.stakeholder_search, name="stakeholder_search"),
    path(
        "meetings/<int:pk>/stakeholders/<int:stakeholder_pk>/",
        views.stakeholder_present,
        name="stakeholder_present",
    ),
    path("meetings/<int:pk>/actions/", views.action_create, name="action_create"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("lines/<slug:slug>/series/new/", views.series_create, name="series_create"),
    path("lines/<slug:slug>/series/import/", views.series_import, name="series_import"),
    path("calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
