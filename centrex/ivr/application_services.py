"""Saving an application's scenario: validate, then store a new revision (docs/applications.md).

The pages, the API and the import all save through ``save_scenario``, so no path can store
a scenario ``scenario.validate`` refused, and every saved scenario is a new revision: the
dialplan renders the last ``ApplicationRevision.KEEP`` ones, so a caller in the middle of
the previous scenario finishes it while new callers get the new one.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from centrex.ivr import scenario
from centrex.ivr.models import Application, ApplicationRevision


@transaction.atomic
def save_scenario(app: Application, data: Any, user=None) -> Application:
    """Validate ``data`` (ScenarioError lists the problems: nothing is saved) and make it
    the application's current scenario, as a new revision."""
    clean = scenario.validate(data)
    app = Application.objects.select_for_update().get(pk=app.pk)
    if clean == app.scenario and app.revisions.exists():
        return app
    last = app.revisions.order_by("-revision").values_list("revision", flat=True).first()
    app.revision = (last or 0) + 1
    app.scenario = clean
    app.save(update_fields=["scenario", "revision", "updated"])
    ApplicationRevision.objects.create(application=app, revision=app.revision,
                                       scenario=clean, created_by=user)
    # Older revisions than the ones the dialplan keeps are no longer needed.
    old = app.revisions.order_by("-revision")[ApplicationRevision.KEEP:]
    ApplicationRevision.objects.filter(pk__in=[r.pk for r in old]).delete()
    return app


def ensure_revision(app: Application) -> None:
    """A new application (or one created before revisions existed) gets its first revision,
    so the renderer always has one to render."""
    if not app.revisions.exists():
        ApplicationRevision.objects.create(application=app, revision=app.revision,
                                           scenario=app.scenario)


def revisions_to_render(app: Application) -> list[ApplicationRevision]:
    """The current revision first, then the older ones callers may still be in."""
    return list(app.revisions.order_by("-revision")[:ApplicationRevision.KEEP])
