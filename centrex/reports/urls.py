from django.urls import path

from centrex.reports import stats_views, views

urlpatterns = [
    path("calls/", views.call_log, name="call-log"),
    path("manage/reports/", views.settings_page, name="report-settings"),
    path("statistics/", stats_views.global_statistics, name="global-statistics"),
    path("queues/statistics/", stats_views.queue_statistics, name="queue-statistics"),
]
