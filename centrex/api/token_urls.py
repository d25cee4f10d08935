"""``/account/tokens/``: each user's personal API tokens."""

from django.urls import path

from centrex.api import views

urlpatterns = [
    path("", views.token_list, name="api-token-list"),
    path("new/", views.token_create, name="api-token-create"),
    path("<int:pk>/revoke/", views.token_revoke, name="api-token-revoke"),
]
