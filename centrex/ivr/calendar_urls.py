"""Pages of the calendars part (names used by the navigation and the models)."""

from __future__ import annotations

from django.urls import path

from centrex.ivr import calendar_views as views
from centrex.ivr.calendar_confgen import INCIDENT_PATH

urlpatterns = [
    path("manage/opening-hours/", views.schedule_list, name="schedule-list"),
    path("manage/opening-hours/new/", views.schedule_add, name="schedule-add"),
    path("manage/opening-hours/<int:pk>/edit/", views.schedule_edit, name="schedule-edit"),
    path("manage/opening-hours/<int:pk>/delete/", views.schedule_delete,
         name="schedule-delete"),
    path("manage/closures/", views.closure_list, name="closure-list"),
    path("manage/closures/new/", views.closure_add, name="closure-add"),
    path("manage/closures/<int:pk>/edit/", views.closure_edit, name="closure-edit"),
    path("manage/closures/<int:pk>/delete/", views.closure_delete, name="closure-delete"),
    path("manage/holidays/", views.holiday_list, name="holiday-list"),
    path("manage/holidays/new/", views.holiday_add, name="holiday-add"),
    path("manage/holidays/french/", views.holiday_french, name="holiday-french"),
    path("manage/holidays/<int:pk>/edit/", views.holiday_edit, name="holiday-edit"),
    path("manage/holidays/<int:pk>/delete/", views.holiday_delete, name="holiday-delete"),
    path("incidents/", views.incident_list, name="incident-list"),
    path("incidents/new/", views.incident_add, name="incident-add"),
    path("incidents/<int:pk>/switch/", views.incident_switch, name="incident-switch"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident-edit"),
    path("incidents/<int:pk>/delete/", views.incident_delete, name="incident-delete"),
    # Asterisk's side of the incident code (centrex-sub-incident in the dialplan).
    path(INCIDENT_PATH.strip("/") + "/", views.incident_code, name="incident-code"),
]
