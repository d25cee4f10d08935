"""Asterisk side of the calendars (docs/calendars.md).

- ``centrex_calendars.conf`` (pbx_config): ``centrex-sub-holiday`` (1 today is a holiday),
  one ``centrex-sched-<pk>`` per schedule answering open / closed / holiday / closure in
  ``GOSUB_RETVAL`` (the applications' "test opening hours" calls it), and the incident
  code dialled on a phone (``*72<number>``, then the PIN).
- ``centrex_astdb_holidays.conf``: the holidays as AstDB keys (``centrex-holiday``:
  ``YYYY-MM-DD`` for one date, ``yearly/MM-DD`` every year), read at each call: adding a
  holiday changes keys, not the dialplan.
- ``centrex_astdb_incidents.conf``: ``centrex-incident/<CODE>`` = 1 (in progress) or 0.
  Switching an incident pushes one key: the next call takes the new way, no reload.

Times are in the site's time zone (``TIME_ZONE``), given to ``STRFTIME`` and
``GotoIfTime``, so Asterisk's own zone does not matter.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.conf import settings

from centrex.ivr.application_confgen import HOLIDAY_SUB, INCIDENT_FAMILY, SCHEDULE_SUB
from centrex.ivr.models import Closure, Holiday, Incident, Schedule, TimeSlot
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, astdb, dialplan, register
from centrex.pbx.confgen import syntax as s
from centrex.telephony.confgen import (
    FEATURE_PATH,
    feature_url,
    include_dialplan_file,
    include_in_phones,
)

FILENAME = "centrex_calendars.conf"
REVISION_CONTEXT = "centrex-rev-calendars"
HOLIDAY_FAMILY = "centrex-holiday"
CODES_CONTEXT = "centrex-incident-codes"
INCIDENT_CODE = "*72"
INCIDENT_PATH = "/incidents/code/"
ZONE_RE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # TimeSlot.weekday 0..6


def zone() -> str:
    """The site's time zone, checked before it reaches a dialplan argument."""
    if not ZONE_RE.fullmatch(settings.TIME_ZONE):
        raise s.ConfigSyntaxError(f"invalid TIME_ZONE: {settings.TIME_ZONE!r}")
    return settings.TIME_ZONE


def incident_url() -> str:
    """Where Asterisk asks Centrex to switch an incident (same base as the forward codes)."""
    return feature_url().removesuffix(FEATURE_PATH) + INCIDENT_PATH


def _range(slot: TimeSlot) -> str:
    """``GotoIfTime`` counts the end minute in (``08:00-11:59`` is open until noon): the
    slot's end is exclusive, so its minute before is written (23:59 stays: end of day)."""
    end = slot.end
    if end != time(23, 59):
        minutes = end.hour * 60 + end.minute - 1
        end = time(minutes // 60, minutes % 60)
    return f"{slot.start:%H:%M}-{end:%H:%M}"


def _epoch(when: datetime) -> int:
    return int(when.timestamp())


def _schedule(schedule: Schedule, closures: list[Closure], tz: str) -> list[str]:
    lines = [f"[{SCHEDULE_SUB.format(pk=int(schedule.pk))}]",
             f"; {s.comment_text(schedule.name)}",
             f"exten => s,1,NoOp(opening hours {int(schedule.pk)})"]
    for closure in closures:
        if closure.schedule_id in (None, schedule.pk):
            lines.append(f" same => n,GotoIf($[${{EPOCH}} >= {_epoch(closure.start)} & "
                         f"${{EPOCH}} < {_epoch(closure.end)}]?closure)")
    if schedule.closed_on_holidays:
        lines += [f" same => n,Gosub({HOLIDAY_SUB},s,1)",
                  ' same => n,GotoIf($["${GOSUB_RETVAL}" = "1"]?holiday)']
    for slot in schedule.slots.all():
        lines.append(f" same => n,GotoIfTime({_range(slot)},{DAYS[slot.weekday]},*,*,{tz}"
                     "?open)")
    return [*lines, " same => n,Return(closed)", " same => n(open),Return(open)",
            " same => n(holiday),Return(holiday)", " same => n(closure),Return(closure)"]


STATIC = f"""[{HOLIDAY_SUB}]
; GOSUB_RETVAL 1 when today (in the site's time zone) is a holiday, else 0.
exten => s,1,Set(LOCAL(day)=${{STRFTIME(${{EPOCH}},{{zone}},%Y-%m-%d)}})
 same => n,Set(LOCAL(once)=${{DB_EXISTS({HOLIDAY_FAMILY}/${{day}})}})
 same => n,Set(LOCAL(yearly)=${{DB_EXISTS({HOLIDAY_FAMILY}/yearly/${{day:5}})}})
 same => n,Return(${{IF($[${{once}} | ${{yearly}}]?1:0)}})

[{CODES_CONTEXT}]
; {INCIDENT_CODE}<number of the incident>, then the voicemail PIN: switches the incident.
exten => _{INCIDENT_CODE}X,1,Gosub(centrex-sub-incident,s,1(${{EXTEN:3}}))
 same => n,Hangup()
exten => _{INCIDENT_CODE}XX,1,Gosub(centrex-sub-incident,s,1(${{EXTEN:3}}))
 same => n,Hangup()

[centrex-sub-incident]
; ARG1 the incident's number. Centrex reads the request and the phone from this channel
; (AMI), checks the PIN and the caller's right, switches and pushes the key.
exten => s,1,Answer()
 same => n,Read(CENTREX_INC_PIN,vm-password,8,,1,10)
 same => n,Set(CENTREX_INCIDENT=${{ARG1}}:${{FILTER(0123456789,${{CENTREX_INC_PIN}})}})
 same => n,Set(CENTREX_INC_PIN=)
 same => n,Set(CURLOPT(conntimeout)=3)
 same => n,Set(CURLOPT(httptimeout)=15)
 same => n,Set(LOCAL(answer)=${{CURL({{incident_url}},channel=${{URIENCODE(${{CHANNEL}})}})}})
 same => n,Set(CENTREX_INCIDENT=)
 same => n,GotoIf($["${{answer}}" = "on"]?on)
 same => n,GotoIf($["${{answer}}" = "off"]?off)
 same => n,Playback(beeperr)
 same => n,Return()
 same => n(on),Playback(activated)
 same => n,Return()
 same => n(off),Playback(de-activated)
 same => n,Return()
"""


def render() -> str:
    tz = zone()
    closures = list(Closure.objects.order_by("start", "pk"))
    lines = [STATIC.replace("{zone}", tz).replace("{incident_url}", incident_url())]
    for schedule in Schedule.objects.order_by("pk").prefetch_related("slots"):
        lines += ["", *_schedule(schedule, closures, tz)]
    return dialplan.render("Opening hours, holidays and incident codes of Centrex",
                           "\n".join(lines), REVISION_CONTEXT)


def holiday_keys() -> dict[str, str]:
    keys = {}
    for holiday in Holiday.objects.order_by("date", "pk"):
        key = f"yearly/{holiday.date:%m-%d}" if holiday.yearly else f"{holiday.date:%Y-%m-%d}"
        keys[key] = holiday.name
    return keys


def incident_keys() -> dict[str, str]:
    return {code: "1" if active else "0"
            for code, active in Incident.objects.values_list("code", "active")}


def install() -> None:
    register(ConfFile(FILENAME, render, "pbx_config.so",
                      dialplan.verifier(FILENAME, REVISION_CONTEXT), order=37))
    register(ConfFile("centrex_astdb_holidays.conf",
                      astdb.renderer("Holidays of Centrex", holiday_keys), None,
                      astdb.verifier(HOLIDAY_FAMILY), order=18,
                      push=astdb.pusher(HOLIDAY_FAMILY)))
    register(ConfFile("centrex_astdb_incidents.conf",
                      astdb.renderer("Incidents of Centrex", incident_keys), None,
                      astdb.verifier(INCIDENT_FAMILY), order=18,
                      push=astdb.pusher(INCIDENT_FAMILY)))
    include_dialplan_file(FILENAME)
    include_in_phones(CODES_CONTEXT, 35)
    watch(Schedule, TimeSlot, Holiday, Closure, Incident)
