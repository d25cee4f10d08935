from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TelephonyConfig(AppConfig):
    name = "centrex.telephony"
    label = "telephony"
    verbose_name = _("Telephony")

    def ready(self) -> None:
        # Registers this app's renderers with the configuration pipeline.
        from centrex.telephony import confgen  # noqa: F401
