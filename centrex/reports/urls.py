from django.urls import path

from centrex.reports import views

urlpatterns = [
    path("calls/", views.call_log, name="call-log"),
    path("manage/reports/", views.settings_page, name="report-settings"),
]
