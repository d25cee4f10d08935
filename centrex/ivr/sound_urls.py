"""Pages of the sounds part (names used by the navigation and the models)."""

from __future__ import annotations

from django.urls import path

from centrex.ivr import sound_views as views

urlpatterns = [
    path("manage/sounds/", views.sound_list, name="sound-list"),
    path("manage/sounds/new/", views.sound_add, name="sound-add"),
    path("manage/sounds/<int:pk>/", views.sound_detail, name="sound-detail"),
    path("manage/sounds/<int:pk>/edit/", views.sound_edit, name="sound-edit"),
    path("manage/sounds/<int:pk>/record/", views.sound_record, name="sound-record"),
    path("manage/sounds/<int:pk>/delete/", views.sound_delete, name="sound-delete"),
    path("manage/sounds/<int:pk>/audio/", views.sound_audio, name="sound-audio"),
    path("manage/music-on-hold/", views.musicclass_list, name="musicclass-list"),
    path("manage/music-on-hold/new/", views.musicclass_add, name="musicclass-add"),
    path("manage/music-on-hold/<int:pk>/edit/", views.musicclass_edit, name="musicclass-edit"),
    path("manage/music-on-hold/<int:pk>/delete/", views.musicclass_delete,
         name="musicclass-delete"),
]
