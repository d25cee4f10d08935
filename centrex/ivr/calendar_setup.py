"""Registration of the calendars part: renderers, audit, administrators' permissions."""

from __future__ import annotations


def install() -> None:
    """Called once by IvrConfig.ready: the dialplan and AstDB files, the journal (switching
    an incident is a change like any other), and administrators manage the calendars.
    Switching incidents is ``core.switch_incidents``, held by the ``inc`` profile."""
    from centrex.core import audit, roles
    from centrex.ivr import calendar_confgen
    from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot

    calendar_confgen.install()
    for model in (Schedule, TimeSlot, Holiday, Closure, Incident):
        audit.audited(model)
    roles.extend_profile(roles.ADMIN, [
        f"ivr.{action}_{model}"
        for model in ("schedule", "timeslot", "holiday", "closure", "incident")
        for action in ("add", "change", "delete", "view")])
