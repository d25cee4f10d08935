from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    """Ring groups, pickup groups, short numbers and paging (docs/groups.md)."""

    name = "centrex.groups"
    label = "groups"
    verbose_name = _("Groups")
