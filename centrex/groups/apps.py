from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Ring groups, pickup groups, short numbers and paging (docs/groups.md)."""

    name = "centrex.groups"
    label = "groups"
    verbose_name = _("Groups")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.groups import confgen
        from centrex.groups.models import (
            PagingGroup,
            RingGroup,
            RingGroupMember,
            SpeedDial,
            _register_numbers,
        )
        from centrex.telephony.models import PickupGroup

        _register_numbers()
        confgen.install()
        for model in (RingGroup, RingGroupMember, PagingGroup, SpeedDial, PickupGroup):
            audit.audited(model)
        # Administrators manage them all; the 64 pickup groups are named, never added or
        # deleted (docs/groups.md).
        roles.extend_profile(roles.ADMIN, [
            *(f"groups.{action}_{model}" for model in ("ringgroup", "paginggroup", "speeddial")
              for action in ("add", "change", "delete", "view")),
            "telephony.view_pickupgroup", "telephony.change_pickupgroup"])
