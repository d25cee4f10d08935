from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    """Trunks, inbound numbers, outbound routes, call rights and caller ID (docs/routing.md)."""

    name = "centrex.routing"
    label = "routing"
    verbose_name = _("Trunks and routes")
