from django.urls import path

from centrex.core import views

urlpatterns = [
    path("signin/", views.signin_view, name="signin"),
    path("signout/", views.signout_view, name="signout"),
    path("account/", views.account_view, name="account"),
    path("account/password/", views.password_view, name="account-password"),
]
