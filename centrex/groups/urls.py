from django.urls import path

from centrex.groups import views

urlpatterns = [
    path("groups/codes/", views.codes, name="group-codes"),
    path("manage/ring-groups/", views.ringgroup_list, name="ringgroup-list"),
    path("manage/ring-groups/new/", views.ringgroup_create, name="ringgroup-create"),
    path("manage/ring-groups/<int:pk>/edit/", views.ringgroup_edit, name="ringgroup-edit"),
    path("manage/ring-groups/<int:pk>/delete/", views.ringgroup_delete,
         name="ringgroup-delete"),
    path("manage/paging-groups/", views.paginggroup_list, name="paginggroup-list"),
    path("manage/paging-groups/new/", views.paginggroup_create, name="paginggroup-create"),
    path("manage/paging-groups/<int:pk>/edit/", views.paginggroup_edit,
         name="paginggroup-edit"),
    path("manage/paging-groups/<int:pk>/delete/", views.paginggroup_delete,
         name="paginggroup-delete"),
    path("manage/short-numbers/", views.speeddial_list, name="speeddial-list"),
    path("manage/short-numbers/new/", views.speeddial_create, name="speeddial-create"),
    path("manage/short-numbers/<int:pk>/edit/", views.speeddial_edit, name="speeddial-edit"),
    path("manage/short-numbers/<int:pk>/delete/", views.speeddial_delete,
         name="speeddial-delete"),
    path("manage/pickup-groups/", views.pickupgroup_list, name="pickupgroup-list"),
    path("manage/pickup-groups/<int:pk>/edit/", views.pickupgroup_edit,
         name="pickupgroup-edit"),
]
