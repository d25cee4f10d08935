from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """Call rights: number classes, emergency numbers, allowed countries (docs/rights.md)."""

    name = "centrex.rights"
    label = "rights"
    verbose_name = _("Call rights")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.rights import confgen  # noqa: F401  (registers centrex_rights.conf)
        from centrex.rights.models import EmergencyNumber, RightsSettings
        from centrex.telephony import numbering

        audit.audited(RightsSettings)
        audit.audited(EmergencyNumber)
        roles.extend_profile(roles.ADMIN, ["rights.view_rightssettings",
                                           "rights.change_rightssettings"])

        def emergency_numbers():
            RightsSettings.get()  # a new database gets the default numbers first
            return EmergencyNumber.objects.all()

        # Emergency numbers belong to the numbering plan: no phone or group may take one.
        numbering.register_source(_("an emergency number"), emergency_numbers, "number")
