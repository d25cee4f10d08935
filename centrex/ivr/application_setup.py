"""Registration of the applications part: renderers, numbering plan, audit, permissions."""

from __future__ import annotations


def install() -> None:
    """Called once by IvrConfig.ready."""
    from django.db.models.signals import post_save
    from django.utils.translation import gettext_lazy as _

    from centrex.core import audit, roles
    from centrex.ivr import application_confgen
    from centrex.ivr.application_services import ensure_revision
    from centrex.ivr.models import Application, WebService
    from centrex.telephony import numbering

    def applications():
        return Application.objects.all()

    # An application's number is dialled like a phone's; inbound numbers may go there.
    numbering.register_source(_("an application"), applications, "number", reachable=True)

    def first_revision(sender, instance: Application, created: bool, **kwargs) -> None:
        if created:
            ensure_revision(instance)

    post_save.connect(first_revision, sender=Application, weak=False,
                      dispatch_uid="ivr-application-first-revision")
    application_confgen.install()
    audit.audited(Application, ignored=("updated",))
    audit.audited(WebService)
    roles.extend_profile(roles.ADMIN, [
        f"ivr.{action}_{model}" for model in ("application", "webservice")
        for action in ("add", "change", "delete", "view")])
