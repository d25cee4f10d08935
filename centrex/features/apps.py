from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeaturesConfig(AppConfig):
    """Hot desking, conference rooms and call parking (docs/features.md)."""

    name = "centrex.features"
    label = "features"
    verbose_name = _("Shared features")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.features import confgen, parking  # noqa: F401  (registers files, numbers)
        from centrex.features.models import ConferenceRoom
        from centrex.telephony import numbering
        from centrex.telephony.confgen import FEATURE_CODES

        audit.audited(ConferenceRoom)
        numbering.register_source(_("a conference room"), ConferenceRoom.objects.all,
                                  reachable=True)
        roles.extend_profile(roles.ADMIN, [
            *(f"features.{a}_conferenceroom" for a in ("add", "change", "delete", "view")),
            "features.view_hotdesklogin", "features.delete_hotdesklogin"])
        # The help page of the feature codes lists ours too.
        for code in confgen.HELP_CODES:
            if code not in FEATURE_CODES:
                FEATURE_CODES.append(code)
