from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "centrex.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.directory.models import Contact

        audit.audited(Contact)
        # Shared contacts are managed by administrators (docs/directory.md).
        roles.extend_profile(roles.ADMIN, [
            f"directory.{action}_contact" for action in ("add", "change", "delete", "view")])
