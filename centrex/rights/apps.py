from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """Call rights: number classes, emergency numbers, allowed countries (docs/rights.md)."""

    name = "centrex.rights"
    label = "rights"
    verbose_name = _("Call rights")

    def ready(self) -> None:
        from centrex.rights import confgen  # noqa: F401  (registers centrex_rights.conf)
