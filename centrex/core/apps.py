from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "centrex.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from centrex.core import audit, roles

        # After every migration the profile groups match the table in roles.py.
        post_migrate.connect(roles.sync_profiles, dispatch_uid="centrex-sync-profiles")
        audit.connect()
