from django.urls import path

from centrex.voicemail import views

urlpatterns = [
    path("voicemail/", views.voicemail, name="voicemail"),
    path("voicemail/<int:mailbox_id>/", views.mailbox, name="voicemail-box"),
    path("voicemail/<int:mailbox_id>/audio/", views.audio, name="voicemail-audio"),
    path("voicemail/<int:mailbox_id>/move/", views.move, name="voicemail-move"),
    path("voicemail/<int:mailbox_id>/delete/", views.delete, name="voicemail-delete"),
    path("voicemail/<int:mailbox_id>/notification/", views.notification,
         name="voicemail-notification"),
    path("manage/settings/email/", views.email_settings, name="email-settings"),
]
