"""Changes to trunks, routes and inbound numbers: validated, saved and applied to Asterisk
in one transaction (a change Asterisk refuses is not saved). Pages and API call these."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from centrex.routing.models import InboundNumber, Route, RouteTrunk, Trunk
from centrex.telephony.services import applied


def save_trunk(trunk: Trunk, password: str | None = None) -> Trunk:
    """``password``: a new password; None or empty keeps the stored one."""
    if password:
        trunk.password = password
    trunk.full_clean()
    with applied():
        trunk.save()
    return trunk


def save_route(route: Route, trunks: Sequence[Trunk]) -> Route:
    """Save a route and its trunks, in the order given (failover order)."""
    trunks = list(trunks)
    if len({t.pk for t in trunks}) != len(trunks):
        raise ValidationError({"trunks": _("A trunk appears twice in the route.")})
    if not trunks:
        raise ValidationError({"trunks": _("Give at least one trunk.")})
    route.full_clean()
    with applied():
        route.save()
        RouteTrunk.objects.filter(route=route).delete()
        RouteTrunk.objects.bulk_create(
            RouteTrunk(route=route, trunk=t, position=i) for i, t in enumerate(trunks))
    return route


def save_inbound_number(did: InboundNumber) -> InboundNumber:
    did.full_clean()
    with applied():
        did.save()
    return did


def delete(obj: models.Model) -> None:
    """Delete a trunk (it leaves the routes that used it), a route or an inbound number."""
    with applied():
        obj.delete()
