from django.urls import path

from centrex.features import views

urlpatterns = [
    path("features/hotdesk/", views.hotdesk_list, name="hotdesk-list"),
    path("features/hotdesk/<int:pk>/logout/", views.hotdesk_logout, name="hotdesk-logout"),
    # Asterisk's side of the login and logout codes (centrex-sub-hotdesk in the dialplan).
    path("features/hotdesk/code/", views.hotdesk_code, name="hotdesk-code"),
    path("features/conferences/", views.conference_list, name="conference-list"),
    path("features/conferences/new/", views.conference_create, name="conference-create"),
    path("features/conferences/<int:pk>/edit/", views.conference_edit,
         name="conference-edit"),
    path("features/conferences/<int:pk>/delete/", views.conference_delete,
         name="conference-delete"),
    path("features/parking/", views.parking, name="parking"),
]
