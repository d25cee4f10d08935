"""URL map: each app keeps its own ``urls.py``; every view declares its access rule
(centrex/web/access.py), which the role-by-page matrix test reads from here."""

from django.urls import include, path
from django.views.i18n import set_language

from centrex.web import views
from centrex.web.access import public

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("", include("centrex.core.urls")),
    path("", include("centrex.telephony.urls")),
    path("", include("centrex.telephony.forward_urls")),
    path("", include("centrex.directory.urls")),
    path("", include("centrex.voicemail.urls")),
    path("", include("centrex.routing.urls")),
    path("", include("centrex.rights.urls")),
    path("", include("centrex.groups.urls")),
    path("", include("centrex.features.urls")),
    path("", include("centrex.contact_center.urls")),
    path("", include("centrex.ivr.urls")),
    path("", include("centrex.reports.urls")),
    path("account/tokens/", include("centrex.api.token_urls")),
    path("api/v1/", include("centrex.api.urls")),
]
