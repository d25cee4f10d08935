"""Saving an application's scenario: validate, then store a new revision (docs/applications.md).

The pages, the API and the import all save through ``save_scenario``, so no path can store
a scenario ``scenario.validate`` refused, and every saved scenario is a new revision: the
dialplan renders the last ``ApplicationRevision.KEEP`` ones, so a caller in the middle of
the previous scenario finishes it while new callers get the new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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


# -- the application and its public numbers ---------------------------------------------------
def public_numbers(app: Application) -> list[str]:
    """The inbound numbers (DIDs) whose calls go to the application's number."""
    from centrex.routing.models import EXTENSION, InboundNumber

    if not app.pk:
        return []
    return list(InboundNumber.objects.filter(destination=EXTENSION,
                                             target=app.number)
                .order_by("number").values_list("number", flat=True))


def save_application(app: Application, numbers: Sequence[str] | None = None) -> Application:
    """Save the application and, when ``numbers`` is given, make exactly those inbound
    numbers lead to it (a number routed elsewhere is refused): one transaction with the
    apply, so a refusal changes nothing."""
    from centrex.routing.models import EXTENSION, InboundNumber
    from centrex.telephony.services import applied

    with applied():
        old_number = (Application.objects.filter(pk=app.pk).values_list("number", flat=True)
                      .first() if app.pk else None)
        app.full_clean()
        app.save()
        mine = InboundNumber.objects.filter(destination=EXTENSION,
                                            target=old_number or app.number)
        if old_number and old_number != app.number:
            mine.update(target=app.number)
            mine = InboundNumber.objects.filter(destination=EXTENSION,
                                                target=app.number)
        if numbers is not None:
            taken = InboundNumber.objects.filter(number__in=numbers).exclude(
                pk__in=mine.values("pk")).values_list("number", flat=True)
            if taken:
                raise ValidationError({"public_numbers": _(
                    "Already routed elsewhere: %(numbers)s.") % {"numbers": ", ".join(taken)}})
            mine.exclude(number__in=numbers).delete()
            have = set(mine.values_list("number", flat=True))
            for number in numbers:
                if number not in have:
                    did = InboundNumber(number=number, target=app.number,
                                        destination=EXTENSION,
                                        description=app.name[:80])
                    try:
                        did.full_clean()
                    except ValidationError as exc:
                        raise ValidationError({"public_numbers": [
                            f"{number}: {m}" for m in exc.messages]}) from exc
                    did.save()
    return app


def delete_application(app: Application) -> None:
    """Delete the application and the inbound numbers that led to it."""
    from centrex.routing.models import EXTENSION, InboundNumber
    from centrex.telephony.services import applied

    with applied():
        InboundNumber.objects.filter(destination=EXTENSION,
                                     target=app.number).delete()
        app.delete()


# -- export and import --------------------------------------------------------------------------
FORMAT = "centrex-application"
FIELDS = ("name", "number", "active", "comment", "call_rights")


def export_application(app: Application) -> dict:
    """The application as JSON that another Centrex imports: names instead of primary keys."""
    return {"format": FORMAT, "version": 1, "application": {
        **{f: getattr(app, f) for f in FIELDS},
        "start": app.start.isoformat() if app.start else None,
        "end": app.end.isoformat() if app.end else None,
        "public_numbers": public_numbers(app)},
        "scenario": scenario.export(app.scenario)}


def import_application(data: Any, user=None) -> Application:
    """Create the application (or replace the one with the same name) from an export:
    all or nothing. ValidationError or ScenarioError say what is wrong."""
    from django.utils.dateparse import parse_datetime

    from centrex.telephony.services import applied

    if not isinstance(data, dict) or data.get("format") != FORMAT or \
            not isinstance(data.get("application"), dict):
        raise ValidationError(_("This is not an application exported by Centrex."))
    fields = data["application"]
    numbers = fields.get("public_numbers") or []
    if not isinstance(numbers, list) or not all(isinstance(n, str) for n in numbers):
        raise ValidationError({"public_numbers": _("A list of numbers.")})
    with applied():
        app = Application.objects.filter(name=fields.get("name")).first() or Application()
        for name in FIELDS:
            if name in fields:
                setattr(app, name, fields[name])
        for name in ("start", "end"):
            value = fields.get(name)
            setattr(app, name, parse_datetime(value) if isinstance(value, str) else None)
        save_application(app, numbers)
        save_scenario(app, scenario.resolve(data.get("scenario")), user)
    return Application.objects.get(pk=app.pk)


def save_and_apply(app: Application, data: Any, user=None) -> Application:
    """``save_scenario`` and the apply in one transaction (the editor, the API)."""
    from centrex.telephony.services import applied

    with applied():
        return save_scenario(app, data, user)


def refuse_if_used(field: str, pk: int) -> None:
    """ValidationError naming the applications whose current scenario has an action whose
    ``field`` is ``pk`` (a schedule, an incident, a web service)."""
    users = sorted(app.name for app in Application.objects.all()
                   if any(str(a.get(field)) == str(pk)
                          for b in app.scenario.get("blocks", []) for a in b["actions"]))
    if users:
        raise ValidationError(_("Used by the applications: %(names)s.")
                              % {"names": ", ".join(users)})


# -- web services -------------------------------------------------------------------------------
def save_webservice(service) -> Any:
    from centrex.telephony.services import applied

    with applied():
        service.full_clean()
        service.save()
    return service


def delete_webservice(service) -> None:
    """Refused while a scenario calls it."""
    from centrex.telephony.services import applied

    refuse_if_used("service", service.pk)
    with applied():
        service.delete()


def describe_errors(errors: list[dict]) -> list[str]:
    """Scenario errors as sentences that say where."""
    lines = []
    for error in errors:
        where = []
        if error.get("block"):
            where.append(_("block %(id)s") % {"id": error["block"]})
        if error.get("action") is not None:
            where.append(_("action %(n)s") % {"n": error["action"] + 1})
        if error.get("field"):
            where.append(error["field"])
        lines.append(f"{', '.join(where)}: {error['message']}" if where else error["message"])
    return lines
