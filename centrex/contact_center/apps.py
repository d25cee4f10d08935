from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactCenterConfig(AppConfig):
    """ACD queues, agents and pauses, live supervision, recordings (docs/contact_center.md)."""

    name = "centrex.contact_center"
    label = "contact_center"
    verbose_name = _("Contact center")

    def ready(self) -> None:
        from centrex.contact_center import models

        models.register_numbers()
        # queues and pause reasons (queues part)
        from centrex.contact_center import confgen

        confgen.install()
        from centrex.contact_center import recordings  # recordings part

        recordings.install()
        from centrex.contact_center import supervision  # supervision part

        supervision.install()
        from centrex.contact_center import agent_confgen, agents  # agents part

        agent_confgen.install()
        agents.install()
