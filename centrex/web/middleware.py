"""Request-wide rules: who is acting (for the journal), forced password change, the
administration networks ("console restriction", seeds/003) and security headers."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from centrex.core import audit
from centrex.core.validators import parse_networks

ADMIN_PREFIX = "/manage/"
MAY_WAIT_FOR_NEW_PASSWORD = ("/static/", "/i18n/", "/healthz", "/api/", "/signin/",
                             "/signout/")
# API writes change what the administration pages change: same console restriction.
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'")


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


class CentrexMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        with audit.acting(source, user=request.user, address=client_address(request)):
            response = self._guard(request) or self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", "camera=(), geolocation=()")
        return response

    def _guard(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        administrative = request.path.startswith(ADMIN_PREFIX) or (
            request.path.startswith("/api/") and request.method not in SAFE_METHODS
        )
        if administrative and not self._network_allowed(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Administration is not allowed from this "
                                                 "network.")}, status=403)
            return HttpResponseForbidden(render_to_string(
                "web/forbidden.html", {"reason": "network"}, request=request))
        if (user.is_authenticated and getattr(user, "must_change_password", False)
                and not request.path.startswith(MAY_WAIT_FOR_NEW_PASSWORD)
                and request.path != reverse("account-password")):
            # Every page but these waits until the printed password is replaced (the API
            # refuses such a session itself, with a JSON error).
            return redirect("account-password")
        return None

    @staticmethod
    def _network_allowed(request: HttpRequest) -> bool:
        from centrex.core.models import SiteSettings

        networks = parse_networks(SiteSettings.admin_networks_text())
        if not networks:
            return True
        try:
            address = ipaddress.ip_address(client_address(request))
        except ValueError:
            return False
        return any(address in network for network in networks)
