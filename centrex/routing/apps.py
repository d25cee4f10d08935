from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutingConfig(AppConfig):
    """Trunks, inbound numbers, outbound routes, call rights and caller ID (docs/routing.md)."""

    name = "centrex.routing"
    label = "routing"
    verbose_name = _("Trunks and routes")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.routing import confgen  # noqa: F401 - registers the files
        from centrex.routing.models import InboundNumber, Route, Trunk

        audit.audited(Trunk, masked=("password",))
        audit.audited(Route)
        audit.audited(InboundNumber)
        # Trunks, routes and inbound numbers are the administrators' (docs/routing.md).
        roles.extend_profile(roles.ADMIN, [
            f"routing.{action}_{model}" for model in ("trunk", "route", "inboundnumber")
            for action in ("add", "change", "delete", "view")])
