from django.urls import path

from centrex.core import views

urlpatterns = [
    path("signin/", views.signin_view, name="signin"),
    path("signout/", views.signout_view, name="signout"),
    path("account/", views.account_view, name="account"),
    path("account/password/", views.password_view, name="account-password"),
    path("account/pin/", views.pin_view, name="account-pin"),
    # administration (the console restriction guards /manage/)
    path("manage/users/", views.user_list, name="user-list"),
    path("manage/users/new/", views.user_create, name="user-create"),
    path("manage/users/import/", views.user_import, name="user-import"),
    path("manage/users/export/", views.user_export, name="user-export"),
    path("manage/users/<int:pk>/", views.user_detail, name="user-detail"),
    path("manage/users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("manage/users/<int:pk>/delete/", views.user_delete, name="user-delete"),
    path("manage/users/<int:pk>/password/", views.user_password, name="user-password"),
    path("manage/departments/", views.department_list, name="department-list"),
    path("manage/departments/new/", views.department_create, name="department-create"),
    path("manage/departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("manage/departments/<int:pk>/edit/", views.department_edit, name="department-edit"),
    path("manage/departments/<int:pk>/delete/", views.department_delete,
         name="department-delete"),
    path("manage/journal/", views.journal, name="journal"),
    path("manage/journal/<int:pk>/", views.journal_entry, name="journal-entry"),
    path("manage/settings/", views.site_settings, name="site-settings"),
]
