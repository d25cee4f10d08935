from django.urls import path

from centrex.rights import views

urlpatterns = [
    path("manage/call-rights/", views.settings_page, name="rights-settings"),
]
