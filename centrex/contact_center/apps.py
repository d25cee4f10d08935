from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        _queues_part()
        from centrex.contact_center import recordings  # recordings part

        recordings.install()
        from centrex.contact_center import supervision  # supervision part

        supervision.install()
        from centrex.contact_center import agent_confgen, agents  # agents part

        agent_confgen.install()
        agents.install()


def _queues_part() -> None:
    """Queues and pause reasons: journal, administrators' permissions, the queues' AG/SV
    profiles in the user form."""
    from centrex.contact_center import services
    from centrex.contact_center.models import ContactCenterSettings, PauseReason, Queue
    from centrex.core import audit, roles

    audit.audited(Queue, ignored=("created", "updated"))
    audit.audited(PauseReason)
    audit.audited(ContactCenterSettings)
    roles.extend_profile(roles.ADMIN, [
        *(f"contact_center.{action}_{model}" for model in
          ("queue", "pausereason", "contactcentersettings")
          for action in ("add", "change", "delete", "view")),
        "contact_center.view_recording", "contact_center.delete_recording",
        "contact_center.supervise",
    ])
    roles.register_profile_source(services.queue_profiles)
    post_migrate.connect(services.sync_all_profiles, dispatch_uid="centrex-queue-profiles")
