"""Pages of the voice applications: one URL module per part."""

from django.urls import include, path

urlpatterns = [
    path("", include("centrex.ivr.sound_urls")),
    path("", include("centrex.ivr.calendar_urls")),
    path("", include("centrex.ivr.application_urls")),
]
