from django.urls import path

from centrex.telephony import views

urlpatterns = [
    path("manage/phones/", views.phone_list, name="phone-list"),
    path("manage/phones/new/", views.phone_create, name="phone-create"),
    path("manage/phones/<int:pk>/", views.phone_detail, name="phone-detail"),
    path("manage/phones/<int:pk>/edit/", views.phone_edit, name="phone-edit"),
    path("manage/phones/<int:pk>/delete/", views.phone_delete, name="phone-delete"),
    path("manage/phones/<int:pk>/secret/", views.phone_secret, name="phone-secret"),
]
