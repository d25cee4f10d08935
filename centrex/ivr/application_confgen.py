"""Dialplan of the IVR applications: ``centrex_ivr.conf`` (docs/applications.md).

- ``centrex-ivr`` (included in ``centrex-internal``, so phones, inbound numbers, forwards
  and other applications reach an application's number): checks the active flag and dates,
  answers, and enters the *current* revision of the scenario.
- ``centrex-ivr-<app>-r<revision>``: one context per kept revision (the last
  ``ApplicationRevision.KEEP``), one extension ``b_<block>`` per block, one priority label
  ``a<index>`` per action. A reload swaps the entry to the new revision at once while a
  caller already inside an older revision's context goes on in it: changes are atomic for
  every caller.

Every value comes from a scenario ``scenario.validate`` accepted, and goes through the strict
grammar again here (``syntax.arg``) before it is written.
"""

from __future__ import annotations

from datetime import datetime

from centrex.ivr import scenario as sc
from centrex.ivr import sounds
from centrex.ivr.models import Sound
from centrex.ivr.models.applications import WEB_SERVICE_URL_RE
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, dialplan, register, shared
from centrex.pbx.confgen import syntax as s
from centrex.telephony.confgen import (
    INTERNAL_CONTEXT,
    VOICEMAIL_CONTEXT,
    include_dialplan_file,
    include_in_internal,
)

FILENAME = "centrex_ivr.conf"
ENTRY_CONTEXT = "centrex-ivr"
UNAVAILABLE_CONTEXT = "centrex-ivr-unavailable"
REVISION_CONTEXT = "centrex-rev-ivr"
OUTBOUND_CONTEXT = "centrex-outbound"
# Contracts with the calendars part (docs/calendars.md).
HOLIDAY_SUB = "centrex-sub-holiday"
SCHEDULE_SUB = "centrex-sched-{pk}"
INCIDENT_FAMILY = "centrex-incident"
# What a web service's answer may put into a variable (FILTER's allowed characters).
HTTP_ALLOWED = "0-9A-Za-z_.+*#@/ "
INVALID_KEY_SOUND = "invalid"  # core sound: "that is not a valid entry"
REFUSED_SOUND = "cannot-complete-as-dialed"


def context_of(app_pk: int, revision: int) -> str:
    return f"centrex-ivr-{int(app_pk)}-r{int(revision)}"


def _var(name: str) -> str:
    """A scenario variable's channel variable: prefixed, so a scenario never touches
    Asterisk's or Centrex's own variables."""
    if not sc.VARIABLE_RE.fullmatch(name):
        raise s.ConfigSyntaxError(f"invalid scenario variable: {name!r}")
    return f"IVR_{name}"


def _rights(app) -> str:
    """The application's call rights as centrex-sub-check-rights reads them (``a,b``);
    ``none`` when it has none, so an empty value never falls back to a phone's rights."""
    from centrex.telephony.models import CALL_RIGHTS

    names = {name for name, _label in CALL_RIGHTS}
    rights = [r for r in app.rights if r in names]
    if len(rights) != len(app.rights):
        raise s.ConfigSyntaxError(f"invalid call rights: {app.call_rights!r}")
    return ",".join(rights) or "none"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class _Revision:
    """Renders one revision of one application's scenario into its context."""

    def __init__(self, app, revision: int, data: dict, refs: dict) -> None:
        self.app = app
        self.context = context_of(app.pk, revision)
        self.data = data
        self.refs = refs
        # block id → label → priority label
        self.labels = {b["id"]: {a["label"]: f"a{i}" for i, a in enumerate(b["actions"])
                                 if a.get("label")} for b in data["blocks"]}

    def goto(self, target: str) -> str:
        bid, _sep, label = target.partition(":")
        if not sc.BLOCK_ID_RE.fullmatch(bid) or bid not in self.labels:
            raise s.ConfigSyntaxError(f"invalid target: {target!r}")
        priority = self.labels[bid][label] if label else "1"
        return f"{self.context},b_{bid},{priority}"

    def sound(self, pk: int) -> str:
        return sounds.asterisk_path(Sound(pk=int(pk)))

    def render(self) -> list[str]:
        lines = [f"[{self.context}]",
                 f"; {s.comment_text(self.app.name)}, revision {self.context.rsplit('-r', 1)[1]}"]
        for block in self.data["blocks"]:
            bid = block["id"]
            if not sc.BLOCK_ID_RE.fullmatch(bid):
                raise s.ConfigSyntaxError(f"invalid block id: {bid!r}")
            lines.append(f"exten => b_{bid},1,NoOp(block {s.arg(bid)})")
            final = False
            for index, action in enumerate(block["actions"]):
                body = getattr(self, f"_{action['type']}")(action, f"a{index}", bid, index)
                lines.append(f" same => n(a{index}),{body[0]}")
                lines += [f" same => {line}" if line.startswith("n(") else f" same => n,{line}"
                          for line in body[1:]]
                final = sc.ACTIONS[action["type"]].final
            if not final:
                lines.append(" same => n,Hangup()")
        return lines

    # -- one method per action type: the lines, the first one labelled a<index> ------------
    def _play(self, a: dict, *_args) -> list[str]:
        return [f"Playback({self.sound(a['sound'])})"]

    def _menu(self, a: dict, label: str, *_args) -> list[str]:
        tries, key = "CENTREX_MENU_TRIES", "CENTREX_MENU_KEY"
        retries = int(a["retries"])
        lines = [f"Set({tries}=0)",
                 f"n({label}_play),Set({tries}=$[${{{tries}}} + 1])",
                 f"Read({key},{self.sound(a['sound'])},1,,1,{int(a['timeout'])})"]
        for digit in sorted(a["choices"]):
            if digit not in sc.MENU_KEYS:
                raise s.ConfigSyntaxError(f"invalid menu key: {digit!r}")
            lines.append(f'GotoIf($["${{{key}}}" = "{digit}"]?{self.goto(a["choices"][digit])})')
        invalid = self.sound(a["invalid_sound"]) if a.get("invalid_sound") else INVALID_KEY_SOUND
        lines += [f'GotoIf($["${{{key}}}" = ""]?{label}_timeout)',
                  f"Playback({invalid})",
                  f"GotoIf($[${{{tries}}} <= {retries}]?{label}_play)",
                  f"Goto({self.goto(a['on_invalid'])})",
                  f"n({label}_timeout),GotoIf($[${{{tries}}} <= {retries}]?{label}_play)",
                  f"Goto({self.goto(a['on_timeout'])})"]
        return lines

    def _read(self, a: dict, *_args) -> list[str]:
        prompt = self.sound(a["sound"]) if a.get("sound") else ""
        return [f"Read({_var(a['variable'])},{prompt},{int(a['max_digits'])},,1,"
                f"{int(a['timeout'])})"]

    def _test_variable(self, a: dict, *_args) -> list[str]:
        var, value, op = f"${{{_var(a['variable'])}}}", s.arg(a.get("value") or ""), a["operator"]
        if op in ("lt", "gt"):  # whole numbers (validated); an empty variable counts as 0
            condition = f"0{var} {'<' if op == 'lt' else '>'} {int(value)}"
        else:
            compared = {"eq": ("=", value), "ne": ("!=", value), "empty": ("=", ""),
                        "filled": ("!=", "")}[op]
            condition = f'"{var}" {compared[0]} "{compared[1]}"'
        return [f"GotoIf($[{condition}]?{self.goto(a['target'])})"]

    def _test_schedule(self, a: dict, *_args) -> list[str]:
        lines = [f"Gosub({SCHEDULE_SUB.format(pk=int(a['schedule']))},s,1)"]
        for answer in ("holiday", "closure"):
            if a.get(answer):
                lines.append(f'GotoIf($["${{GOSUB_RETVAL}}" = "{answer}"]?'
                             f"{self.goto(a[answer])})")
        lines.append(f'GotoIf($["${{GOSUB_RETVAL}}" != "open"]?{self.goto(a["closed"])})')
        return lines

    def _test_holiday(self, a: dict, *_args) -> list[str]:
        return [f"Gosub({HOLIDAY_SUB},s,1)",
                f'GotoIf($["${{GOSUB_RETVAL}}" = "1"]?{self.goto(a["target"])})']

    def _test_incident(self, a: dict, *_args) -> list[str]:
        code = self.refs["incidents"][a["incident"]]
        if not sc.VARIABLE_RE.fullmatch(code):
            raise s.ConfigSyntaxError(f"invalid incident code: {code!r}")
        return [f'GotoIf($["${{DB({INCIDENT_FAMILY}/{code})}}" = "1"]?{self.goto(a["target"])})']

    def _transfer(self, a: dict, *_args) -> list[str]:
        number = s.arg(a["number"])
        if a.get("kind") != "external":
            return [f"Goto({INTERNAL_CONTEXT},{number},1)"]
        # The application's own call rights (centrex-sub-check-rights reads CENTREX_RIGHTS).
        return [f"Set(CENTREX_EXTEN={s.arg(self.app.number)})",
                f"Set(CENTREX_RIGHTS={_rights(self.app)})",
                f"GotoIf(${{DIALPLAN_EXISTS({OUTBOUND_CONTEXT},{number},1)}}?"
                f"{OUTBOUND_CONTEXT},{number},1)",
                f"Playback({REFUSED_SOUND})", "Hangup()"]

    def _voicemail(self, a: dict, *_args) -> list[str]:
        return [f"VoiceMail({s.arg(a['mailbox'])}@{VOICEMAIL_CONTEXT},u)", "Hangup()"]

    def _conference(self, a: dict, *_args) -> list[str]:
        return [f"Goto({INTERNAL_CONTEXT},{s.arg(a['room'])},1)"]

    def _hangup(self, *_args) -> list[str]:
        return ["Hangup()"]

    def _set(self, a: dict, *_args) -> list[str]:
        return [f"Set({_var(a['variable'])}={s.arg(a.get('value') or '')})"]

    def _http(self, a: dict, *_args) -> list[str]:
        service = self.refs["webservices"][a["service"]]
        query = "&".join(["caller=${URIENCODE(${CALLERID(num)})}"] + [
            f"{p.lower()}=${{URIENCODE(${{{_var(p)}}})}}" for p in a.get("params") or []])
        url = service["url"]
        if not WEB_SERVICE_URL_RE.fullmatch(url):  # ':' is fine in CURL's argument
            raise s.ConfigSyntaxError(f"invalid web service URL: {url!r}")
        var = _var(a["variable"])
        timeout = int(service["timeout"])
        return [f"Set(CURLOPT(conntimeout)={timeout})",
                f"Set(CURLOPT(httptimeout)={timeout})",
                f"Set(CENTREX_HTTP=${{CURL({url}?{query})}})",
                f"Set({var}=${{FILTER({HTTP_ALLOWED},${{CENTREX_HTTP}})}})",
                f'GotoIf($["${{{var}}}" = ""]?{self.goto(a["fallback"])})']

    def _loop(self, a: dict, label: str, bid: str, *_args) -> list[str]:
        counter = f"CENTREX_LOOP_{bid.upper()}_{label[1:]}"
        return [f"Set({counter}=$[0${{{counter}}} + 1])",
                f"GotoIf($[${{{counter}}} <= {int(a['times'])}]?{self.goto(a['target'])})"]

    def _goto(self, a: dict, *_args) -> list[str]:
        return [f"Goto({self.goto(a['target'])})"]

    def _say_digits(self, a: dict, *_args) -> list[str]:
        if a.get("variable"):
            return [f"SayDigits(${{{_var(a['variable'])}}})"]
        return [f"SayDigits({s.arg(a['digits'])})"]

    def _record(self, a: dict, *_args) -> list[str]:
        path = f"${{ASTSPOOLDIR}}/monitor/centrex-ivr-{int(self.app.pk)}-${{UNIQUEID}}"
        lines = [f"Record({path}.wav,3,{int(a['max_seconds'])},k)"]
        if a.get("variable"):
            lines.append(f"Set({_var(a['variable'])}=${{RECORDED_FILE}})")
        return lines

    def _trace(self, a: dict, *_args) -> list[str]:
        if not sc.EVENT_RE.fullmatch(a["event"]):
            raise s.ConfigSyntaxError(f"invalid trace event: {a['event']!r}")
        queue = self.refs["queues"].get(a.get("queue"), "NONE")
        return [f"QueueLog({s.arg(queue)},${{UNIQUEID}},NONE,{a['event']},"
                f"{s.arg(a.get('data') or '')})"]


def _refs() -> dict:
    from centrex.contact_center.models import Queue
    from centrex.ivr.models import Incident, WebService

    def compute() -> dict:
        return {"incidents": dict(Incident.objects.values_list("pk", "code")),
                "queues": dict(Queue.objects.values_list("pk", "name")),
                "webservices": {w.pk: {"url": w.url, "timeout": w.timeout}
                                for w in WebService.objects.all()}}

    return shared("ivr.refs", compute)


def _entry(app, revision: int) -> list[str]:
    number = s.arg(app.number)
    lines = [f"exten => {number},1,NoOp(application {s.arg(str(app.pk))})",
             f" same => n,Set(CENTREX_IVR_APP={int(app.pk)})"]
    if not app.active:
        lines.append(f" same => n,Goto({UNAVAILABLE_CONTEXT},s,1)")
        return lines
    if app.start:
        lines.append(f" same => n,GotoIf($[${{EPOCH}} < {_epoch(app.start)}]?"
                     f"{UNAVAILABLE_CONTEXT},s,1)")
    if app.end:
        lines.append(f" same => n,GotoIf($[${{EPOCH}} >= {_epoch(app.end)}]?"
                     f"{UNAVAILABLE_CONTEXT},s,1)")
    lines += [" same => n,Answer()",
              f" same => n,Goto({context_of(app.pk, revision)},b_{sc.START},1)"]
    return lines


STATIC = f"""[{UNAVAILABLE_CONTEXT}]
; An application switched off or outside its dates.
exten => s,1,Answer()
 same => n,Playback(ss-noservice)
 same => n,Hangup()
"""


def render() -> str:
    from centrex.ivr.models import Application, ApplicationRevision

    refs = _refs()
    revisions: dict[int, list] = {}
    for rev in ApplicationRevision.objects.order_by("application_id", "-revision"):
        kept = revisions.setdefault(rev.application_id, [])
        if len(kept) < ApplicationRevision.KEEP:
            kept.append(rev)
    entry = [f"[{ENTRY_CONTEXT}]", "; Application numbers (included in centrex-internal)."]
    contexts: list[str] = []
    for app in Application.objects.order_by("number"):
        kept = revisions.get(app.pk) or []
        if not kept:
            continue
        entry += _entry(app, app.revision if any(r.revision == app.revision for r in kept)
                        else kept[0].revision)
        for rev in kept:
            contexts += ["", *_Revision(app, rev.revision, rev.scenario, refs).render()]
    body = STATIC + "\n" + "\n".join(entry) + "\n" + "\n".join(contexts) + "\n"
    return dialplan.render("IVR applications of Centrex", body, REVISION_CONTEXT)


def install() -> None:
    from centrex.contact_center.models import Queue
    from centrex.ivr.models import Application, ApplicationRevision, Incident, WebService

    register(ConfFile(FILENAME, render, "pbx_config.so",
                      dialplan.verifier(FILENAME, REVISION_CONTEXT), order=38))
    include_dialplan_file(FILENAME)
    include_in_internal(ENTRY_CONTEXT)
    watch(Application, ApplicationRevision, Incident, WebService, Queue)
