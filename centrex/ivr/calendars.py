"""Opening hours, holidays, closures and incidents: the changes and their rules
(docs/calendars.md). Every change goes through ``applied()``: the database and Asterisk
change together, or not at all.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centrex.core import audit
from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot
from centrex.telephony.models import Phone
from centrex.telephony.services import APPLY_ERRORS, applied

log = logging.getLogger(__name__)

SWITCH_PERMISSION = "core.switch_incidents"  # the `inc` profile (seeds/002)
# The incident code dialled on a phone: *72<number of the incident>, then the PIN.
CHANNEL_RE = re.compile(r"PJSIP/([A-Za-z0-9]{1,32})-[0-9a-f]{8}")
REQUEST_RE = re.compile(r"([0-9]{1,2}):([0-9]{0,8})")
MAX_FAILURES = 5
FAILURE_WINDOW = 900


# -- French public holidays ------------------------------------------------------------------
def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar; the anonymous algorithm of Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * ell) // 433
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


# (name, month, day): the same date every year.
FIXED_HOLIDAYS = (("Jour de l'an", 1, 1), ("Fête du Travail", 5, 1), ("Victoire 1945", 5, 8),
                  ("Fête nationale", 7, 14), ("Assomption", 8, 15), ("Toussaint", 11, 1),
                  ("Armistice 1918", 11, 11), ("Noël", 12, 25))
# (name, days after Easter Sunday): a different date every year.
MOVABLE_HOLIDAYS = (("Lundi de Pâques", 1), ("Ascension", 39), ("Lundi de Pentecôte", 50))


def french_holidays(year: int) -> list[tuple[str, date, bool]]:
    """The French public holidays of ``year``: ``(name, date, yearly)``, in date order."""
    days = [(name, date(year, month, day), True) for name, month, day in FIXED_HOLIDAYS]
    days += [(name, easter(year) + timedelta(days=offset), False)
             for name, offset in MOVABLE_HOLIDAYS]
    return sorted(days, key=lambda item: item[1])


def add_french_holidays(years: Iterable[int] | None = None) -> list[Holiday]:
    """Add the French public holidays of ``years`` (default: this year and the next) that
    are not there yet; returns those added. Fixed ones are yearly, movable ones one-off."""
    if years is None:
        today = timezone.localdate()
        years = (today.year, today.year + 1)
    added = []
    with applied():
        for year in years:
            for name, day, yearly in french_holidays(year):
                if yearly:
                    exists = Holiday.objects.filter(
                        yearly=True, date__month=day.month, date__day=day.day).exists()
                else:
                    exists = Holiday.objects.filter(date=day).exists()
                if not exists:
                    added.append(Holiday.objects.create(name=name, date=day, yearly=yearly))
    return added


def is_holiday(day: date) -> bool:
    return Holiday.objects.filter(date=day).exists() or Holiday.objects.filter(
        yearly=True, date__month=day.month, date__day=day.day).exists()


# -- opening hours ---------------------------------------------------------------------------
def state(schedule: Schedule, when: datetime | None = None) -> str:
    """What the dialplan answers for ``schedule`` at ``when`` (open, closed, holiday,
    closure): the same rules as ``centrex-sched-<pk>``, for the pages."""
    when = timezone.localtime(when or timezone.now())
    if Closure.objects.filter(Q(schedule=schedule) | Q(schedule__isnull=True),
                              start__lte=when, end__gt=when).exists():
        return "closure"
    if schedule.closed_on_holidays and is_holiday(when.date()):
        return "holiday"
    now = when.time().replace(tzinfo=None)
    for slot in schedule.slots.filter(weekday=when.weekday()):
        if slot.start <= now < slot.end:
            return "open"
    return "closed"


def save_schedule(schedule: Schedule, slots: Sequence[TimeSlot] = (),
                  replace_slots: bool = False) -> Schedule:
    """Save the schedule (and, with ``replace_slots``, exactly these weekly slots)."""
    with applied():
        schedule.full_clean()
        schedule.save()
        if replace_slots:
            schedule.slots.all().delete()
            for slot in slots:
                slot.schedule = schedule
                slot.full_clean()
                slot.save()
    return schedule


def save(obj: Holiday | Closure) -> Holiday | Closure:
    with applied():
        obj.full_clean()
        obj.save()
    return obj


def delete(obj: Schedule | Holiday | Closure | Incident) -> None:
    """Delete; refused while an application's scenario names the schedule or incident, or
    a queue keeps the schedule's hours."""
    from centrex.ivr.application_services import refuse_if_used

    field = {Schedule: "schedule", Incident: "incident"}.get(type(obj))
    if field:
        refuse_if_used(field, obj.pk)
    if isinstance(obj, Schedule):
        from centrex.contact_center.models import Queue

        queues = sorted(Queue.objects.filter(schedule=obj).values_list("name", flat=True))
        if queues:
            raise ValidationError(_("Used by the queues: %(names)s.")
                                  % {"names": ", ".join(queues)})
    with applied():
        obj.delete()


# -- incidents -------------------------------------------------------------------------------
def save_incident(incident: Incident) -> Incident:
    with applied():
        incident.full_clean()
        incident.save()
    return incident


def switch_incident(incident: Incident, on: bool, user=None) -> Incident:
    """Switch ``incident`` on or off. The journal records who and from where (the caller's
    ``audit.acting``); the AstDB key is pushed before this returns, so the very next call
    is rerouted."""
    with applied():
        incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
        if incident.active != on:
            incident.active = on
            incident.changed_at = timezone.now()
            incident.changed_by = user
            incident.save()
    return incident


def from_phone(channel: str) -> str:
    """The incident code dialled on a phone: ``on``, ``off`` or ``refused``.

    The request (``CENTREX_INCIDENT`` = ``<number>:<PIN>``, set by the dialplan) is read
    from the live channel, the phone from the channel's endpoint, never from the HTTP
    request. The PIN is the phone's voicemail PIN; its user must hold the right to switch
    incidents (the ``inc`` profile)."""
    from centrex.pbx.ami import AMIError
    from centrex.pbx.ami.sync import channel_vars
    from centrex.pbx.connection import NotConfigured, target

    match = CHANNEL_RE.fullmatch(channel)
    if match is None:
        return "refused"
    try:
        request = channel_vars(target().ami, channel, ("CENTREX_INCIDENT",))["CENTREX_INCIDENT"]
    except (AMIError, OSError, TimeoutError, NotConfigured) as exc:
        log.warning("incident code: cannot read channel %s: %s", channel, exc)
        return "refused"
    wanted = REQUEST_RE.fullmatch(request or "")
    phone = Phone.objects.filter(sip_username=match.group(1)).select_related("user").first()
    if wanted is None or phone is None:
        return "refused"
    key = f"ivr-incident-failures-{phone.pk}"
    failures = cache.get(key, 0)
    incident = Incident.objects.filter(number=int(wanted.group(1))).first()
    user = phone.user
    if failures >= MAX_FAILURES or incident is None or user is None or \
            not user.is_active or not user.has_perm(SWITCH_PERMISSION) or \
            not phone.voicemail_pin or \
            not hmac.compare_digest(phone.voicemail_pin, wanted.group(2)):
        cache.set(key, failures + 1, FAILURE_WINDOW)
        log.info("incident code refused on %s", phone.extension)
        return "refused"
    cache.delete(key)
    try:
        with audit.acting("system", user=user, name=f"phone {phone.extension} (incident code)"):
            incident = switch_incident(incident, not incident.active, user)
    except APPLY_ERRORS as exc:
        log.error("incident code on %s not applied: %s", phone.extension, exc)
        return "refused"
    return "on" if incident.active else "off"


def incidents_in_progress() -> list[Incident]:
    return list(Incident.objects.filter(active=True))
