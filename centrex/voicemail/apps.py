from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoicemailConfig(AppConfig):
    """Voicemail in the browser: folders, messages, e-mail notification (docs/voicemail.md)."""

    name = "centrex.voicemail"
    label = "voicemail"
    verbose_name = _("Voicemail")

    def ready(self) -> None:
        from centrex.core import audit, roles
        from centrex.voicemail import notify
        from centrex.voicemail.models import EmailSettings

        # The SMTP password is kept (the server needs it) but never written in the journal.
        audit.audited(EmailSettings, masked=("password",))
        roles.extend_profile(roles.ADMIN, ["voicemail.change_emailsettings"])
        notify.connect()
