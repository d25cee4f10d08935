from django.urls import path

from centrex.routing import views

urlpatterns = [
    path("manage/trunks/", views.trunk_list, name="trunk-list"),
    path("manage/trunks/new/", views.trunk_create, name="trunk-create"),
    path("manage/trunks/<int:pk>/edit/", views.trunk_edit, name="trunk-edit"),
    path("manage/trunks/<int:pk>/delete/", views.trunk_delete, name="trunk-delete"),
    path("manage/routes/", views.route_list, name="route-list"),
    path("manage/routes/new/", views.route_create, name="route-create"),
    path("manage/routes/<int:pk>/edit/", views.route_edit, name="route-edit"),
    path("manage/routes/<int:pk>/delete/", views.route_delete, name="route-delete"),
    path("manage/inbound-numbers/", views.did_list, name="did-list"),
    path("manage/inbound-numbers/new/", views.did_create, name="did-create"),
    path("manage/inbound-numbers/<int:pk>/edit/", views.did_edit, name="did-edit"),
    path("manage/inbound-numbers/<int:pk>/delete/", views.did_delete, name="did-delete"),
]
