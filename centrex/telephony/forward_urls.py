from django.urls import path

from centrex.telephony import views

urlpatterns = [
    path("forwards/", views.forward_list, name="forwards"),
    path("forwards/codes/", views.forward_codes, name="forward-codes"),
    path("forwards/<int:phone_id>/", views.forward_edit, name="forward-edit"),
]
urlpatterns.append(
    # Asterisk's side of the forward codes (centrex-sub-feature in the dialplan).
    path("forwards/feature-code/", views.feature_code, name="forward-feature-code"))
