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
        admin = roles.PROFILES[roles.ADMIN]
        extra = [p for p in ("directory.add_contact", "directory.change_contact",
                             "directory.delete_contact", "directory.view_contact")
                 if p not in admin.permissions]
        roles.register_profile(admin.name, admin.label, [*admin.permissions, *extra])
