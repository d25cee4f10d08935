from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IvrConfig(AppConfig):
    """Voice applications: sounds and music on hold, calendars and incidents, IVR
    applications (docs/sounds.md, docs/calendars.md, docs/applications.md).

    Three parts, each with its own modules (sounds_*, calendar_*, application_*): ``ready``
    lets each part register its renderers, audit and permissions."""

    name = "centrex.ivr"
    label = "ivr"
    verbose_name = _("Voice applications")

    def ready(self) -> None:
        from centrex.ivr import application_setup, calendar_setup, sound_setup

        sound_setup.install()
        calendar_setup.install()
        application_setup.install()
