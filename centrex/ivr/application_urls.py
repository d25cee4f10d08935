"""Pages of the applications part (names used by the navigation and the models)."""

from __future__ import annotations

from django.urls import path

from centrex.ivr import application_views as views

urlpatterns = [
    path("manage/applications/", views.application_list, name="application-list"),
    path("manage/applications/new/", views.application_add, name="application-add"),
    path("manage/applications/import/", views.application_import, name="application-import"),
    path("manage/applications/<int:pk>/edit/", views.application_edit,
         name="application-edit"),
    path("manage/applications/<int:pk>/delete/", views.application_delete,
         name="application-delete"),
    path("manage/applications/<int:pk>/scenario/", views.application_scenario,
         name="application-scenario"),
    path("manage/applications/<int:pk>/flow.svg", views.application_flow,
         name="application-flow"),
    path("manage/applications/<int:pk>/export.json", views.application_export,
         name="application-export"),
    path("manage/web-services/", views.webservice_list, name="webservice-list"),
    path("manage/web-services/new/", views.webservice_add, name="webservice-add"),
    path("manage/web-services/<int:pk>/edit/", views.webservice_edit, name="webservice-edit"),
    path("manage/web-services/<int:pk>/delete/", views.webservice_delete,
         name="webservice-delete"),
]
