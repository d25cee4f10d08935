from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicemailConfig(AppConfig):
    """Voicemail in the browser: folders, messages, e-mail notification (docs/voicemail.md)."""

    name = "centrex.voicemail"
    label = "voicemail"
    verbose_name = _("Voicemail")
