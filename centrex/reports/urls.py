from django.urls import path

from centrex.reports import billing_views, stats_views, views

urlpatterns = [
    path("calls/", views.call_log, name="call-log"),
    path("manage/reports/", views.settings_page, name="report-settings"),
    path("statistics/", stats_views.global_statistics, name="global-statistics"),
    path("queues/statistics/", stats_views.queue_statistics, name="queue-statistics"),
    path("billing/", billing_views.billing_report, name="billing"),
    path("manage/rates/", billing_views.plan_list, name="rateplan-list"),
    path("manage/rates/new/", billing_views.plan_add, name="rateplan-add"),
    path("manage/rates/<int:pk>/", billing_views.plan_detail, name="rateplan-detail"),
    path("manage/rates/<int:pk>/edit/", billing_views.plan_edit, name="rateplan-edit"),
    path("manage/rates/<int:pk>/delete/", billing_views.plan_delete, name="rateplan-delete"),
    path("manage/rates/unpriced/", billing_views.unpriced_calls, name="unpriced-calls"),
    path("manage/rates/reprice/", billing_views.reprice, name="reprice"),
]
