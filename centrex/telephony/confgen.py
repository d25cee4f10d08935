"""Renderers for phones: PJSIP objects, the internal dialplan, voicemail boxes.

Each renderer is a pure function of the database, sorted, so the same data always gives the
same bytes (a golden-file test and ``centrex apply --dry-run`` are meaningful). Each file
carries a revision that the verifier reads back from Asterisk after the reload.
"""

from __future__ import annotations

import asyncio
import functools
import os
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from centrex.pbx.ami import AMIClient, AMIError
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import (
    ConfFile,
    VerificationError,
    astdb,
    realtime,
    register,
    shared,
    sorcery,
)
from centrex.pbx.confgen import syntax as s
from centrex.pbx.connection import target
from centrex.telephony.forwards import MAX_HOPS
from centrex.telephony.models import CALL_RIGHTS, FORWARD_FIELDS, SIP_REALM, VOICEMAIL, Phone

PHONE_CONTEXT = "centrex-phones"
# Free-seating phones start here (rendered by centrex.features), which identifies who is
# logged in before going on to PHONE_CONTEXT.
HOTDESK_CONTEXT = "centrex-hotdesk"
INTERNAL_CONTEXT = "centrex-internal"
VOICEMAIL_CONTEXT = "centrex"
CODECS = "alaw,ulaw,g722"
# At most this many changed (and as many removed) endpoints are checked one by one after a
# reload; a bigger change is checked on an evenly spaced sample. Listing 10,000 endpoints
# through AMI costs about 0.8 s, more than the rest of a one-phone apply.
VERIFY_SAMPLE = 20


# -- what other apps add to the phones' dialplan ---------------------------------------------
# Contexts that phones reach (outbound routes, ring groups, conference rooms...), as
# (order, context): included in PHONE_CONTEXT after the features and internal extensions.
_PHONE_INCLUDES: set[tuple[int, str]] = set()
# Contexts of other internal numbers (ring groups...), included in INTERNAL_CONTEXT so that
# forwards and inbound numbers (``Goto(centrex-internal,<number>,1)``) reach them too.
_INTERNAL_INCLUDES: set[str] = set()
# Other Centrex dialplan files (``centrex_*.conf`` of pbx_config), included by this one so
# that extensions.conf needs a single line.
_DIALPLAN_FILES: set[str] = set()
# Providers of dial strings: {extension: "PJSIP/x&PJSIP/y"} replacing a phone's own
# endpoint (a hot-desk login rings the phone the user sits at).
_DIAL_OVERRIDES: list = []


def include_in_phones(context: str, order: int = 100) -> None:
    _PHONE_INCLUDES.add((order, context))


def include_in_internal(context: str) -> None:
    _INTERNAL_INCLUDES.add(context)


def include_dialplan_file(filename: str) -> None:
    _DIALPLAN_FILES.add(filename)


def override_dial(provider) -> None:
    """``provider()`` → {extension: dial string}; called once per render."""
    _DIAL_OVERRIDES.append(provider)


def _dial_overrides() -> dict[str, str]:
    def compute() -> dict[str, str]:
        merged: dict[str, str] = {}
        for provider in _DIAL_OVERRIDES:
            merged.update(provider())
        return merged

    return shared("telephony.dial_overrides", compute)


def _phones() -> list[dict]:
    fields = ("id", "extension", "name", "sip_username", "sip_ha1", "ring_timeout",
              "voicemail_enabled", "voicemail_pin", "dnd", *FORWARD_FIELDS,
              "forward_no_answer_delay", "hotdesk",
              *(f"right_{name}" for name, _label in CALL_RIGHTS))

    def compute() -> list[dict]:
        rows = list(Phone.objects.order_by("extension").values(*fields))
        groups: dict[str, dict[int, list[int]]] = {"call": {}, "pickup": {}}
        for kind, through in (("call", Phone.call_groups.through),
                              ("pickup", Phone.pickup_groups.through)):
            for phone_id, number in through.objects.values_list(
                    "phone_id", "pickupgroup__number").order_by("pickupgroup__number"):
                groups[kind].setdefault(phone_id, []).append(number)
        right_fields = [(f"right_{name}", name) for name, _label in CALL_RIGHTS]
        for row in rows:
            row["rights"] = ",".join([name for field, name in right_fields if row[field]])
            row["call_groups"] = groups["call"].get(row["id"], [])
            row["pickup_groups"] = groups["pickup"].get(row["id"], [])
        return rows

    return shared("telephony.phones", compute)


def _media_options() -> list[tuple[str, str]]:
    """The managed runtime keeps RTP on loopback, like everything else it opens."""
    if settings.CENTREX_ASTERISK["MODE"] == "managed":
        return [("media_address", "127.0.0.1"), ("bind_rtp_to_media_address", "yes")]
    return []


def _with_revision(title: str, body: str, sentinel: str) -> str:
    rev = s.revision(body)
    return s.header(title) + "\n" + body + "\n" + sentinel.format(rev=rev)


# -- pjsip ---------------------------------------------------------------------------------
# What every Centrex endpoint (phone or trunk) says about media and NAT.
ENDPOINT_MEDIA = (
    ("language", "fr"),
    ("dtmf_mode", "rfc4733"),
    ("direct_media", "no"),
    ("rtp_symmetric", "yes"),
    ("force_rport", "yes"),
    ("rewrite_contact", "yes"),
)
PJSIP_FIELDS = ("sip_username", "extension", "name", "hotdesk", "voicemail_enabled",
                "sip_ha1")


@functools.lru_cache(maxsize=65536)
def _pjsip_objects(values: tuple, call_groups: tuple, pickup_groups: tuple,
                   media: tuple) -> str:
    """One phone's endpoint, AOR and auth sections. Cached on the values they come from:
    an apply renders every phone, but among 10,000 only the changed ones are new work
    (the strict grammar checks and the joins cost most of a full render)."""
    user, extension, name, hotdesk, voicemail, ha1 = values
    endpoint = [
        ("type", "endpoint"),
        ("context", HOTDESK_CONTEXT if hotdesk else PHONE_CONTEXT),
        ("disallow", "all"),
        ("allow", CODECS),
        ("auth", user),
        ("aors", user),
        ("callerid", s.quoted_callerid(name, extension)),
        ("set_var", f"CENTREX_EXTEN={extension}"),
        *ENDPOINT_MEDIA,
        *media,
    ]
    if voicemail:
        endpoint.append(("mailboxes", f"{extension}@{VOICEMAIL_CONTEXT}"))
    if call_groups:
        endpoint.append(("call_group", ",".join(map(str, call_groups))))
    if pickup_groups:
        endpoint.append(("pickup_group", ",".join(map(str, pickup_groups))))
    return "\n".join([
        s.section(user, endpoint, comment=f"phone {extension}"),
        s.section(user, [("type", "aor"), ("max_contacts", 1), ("remove_existing", "yes"),
                         ("qualify_frequency", 60)]),
        s.section(user, [("type", "auth"), ("auth_type", "digest"), ("username", user),
                         ("realm", SIP_REALM), ("md5_cred", ha1)]),
    ])


def render_pjsip() -> str:
    media = tuple(_media_options())
    parts = [
        _pjsip_objects(tuple(p[f] for f in PJSIP_FIELDS), tuple(p["call_groups"]),
                       tuple(p["pickup_groups"]), media)
        for p in sorted(_phones(), key=lambda p: p["sip_username"])
    ]
    sentinel = s.section(s.REVISION_SECTION, [
        ("type", "endpoint"), ("context", s.REVISION_SECTION), ("allow", "!all"),
        ("identify_by", "ip"), ("set_var", "CENTREX_REVISION={rev}"),
    ], comment="Revision marker read back by Centrex after a reload; cannot place calls.")
    title = ("PJSIP objects of Centrex phones, pushed to Asterisk's AstDB "
             f"(family {sorcery.FAMILY}); Asterisk does not read this file")
    return _with_revision(title, "\n".join(parts), sentinel)


def _sample(names: list[str]) -> list[str]:
    if len(names) <= VERIFY_SAMPLE:
        return names
    step = len(names) / VERIFY_SAMPLE
    return [names[int(i * step)] for i in range(VERIFY_SAMPLE)]


async def _endpoint_exists(ami: AMIClient, endpoint: str) -> bool:
    try:
        await ami.action_list("PJSIPShowEndpoint", Endpoint=endpoint)
    except AMIError:
        return False
    return True


async def verify_pjsip(ami: AMIClient, old: str, new: str) -> None:
    _, events = await ami.action_list("PJSIPShowEndpoint", Endpoint=s.REVISION_SECTION)
    expected = f"CENTREX_REVISION={s.revision_of(new)}"
    if not any(expected in e.getlist("SetVar") for e in events if e.name == "EndpointDetail"):
        raise VerificationError(f"Asterisk does not hold the new {PJSIP_FILE}")
    put, gone = sorcery.diff_objects(old, new)
    changed = sorted(i for kind, i in put if kind == "endpoint" and i != s.REVISION_SECTION)
    removed = sorted(i for kind, i in gone if kind == "endpoint")
    missing = [n for n in _sample(changed) if not await _endpoint_exists(ami, n)]
    lingering = [n for n in _sample(removed) if await _endpoint_exists(ami, n)]
    if missing or lingering:
        raise VerificationError(
            f"Asterisk refused endpoints {missing[:5]} / kept removed endpoints {lingering[:5]}"
        )


# -- dialplan ------------------------------------------------------------------------------
DIALPLAN_STATIC = f"""{{dialplan_files}}[{PHONE_CONTEXT}]
; Where calls placed by Centrex phones start.
include => centrex-features
include => centrex-internal
{{phone_includes}}
[centrex-features]
; 9999: echo test (what you say comes back).
exten => 9999,1,Answer()
 same => n,Echo()
 same => n,Hangup()
; *97: your own voicemail (asks for your PIN).
exten => *97,1,Answer()
 same => n,VoiceMailMain(${{CENTREX_EXTEN}}@{VOICEMAIL_CONTEXT})
 same => n,Hangup()
{{feature_codes}}
[centrex-sub-call-phone]
; Ring a phone, then its voicemail on no answer or busy; its forwards and do-not-disturb.
; ARG1 extension, ARG2 dial string, ARG3 ring seconds, ARG4 voicemail (1 or 0),
; ARG5 do-not-disturb (1 or empty), ARG6 immediate forward, ARG7 forward on busy,
; ARG8 forward on no answer, ARG9 its delay. A forward is an extension or "voicemail".
; PICKUPMARK (inherited by the ringing channel) lets **<extension> pick the call up.
; CENTREX_HOPS (inherited) counts forwards: past {MAX_HOPS} they are ignored (loop guard).
exten => s,1,Set(LOCAL(why)=unavail)
 same => n,Set(LOCAL(fwd)=${{ARG6}})
 same => n,GotoIf($["${{fwd}}" != ""]?forward)
 same => n,GotoIf($["${{ARG5}}" = "1"]?dnd)
 same => n,Set(__PICKUPMARK=${{ARG1}})
 same => n,Dial(${{ARG2}},${{IF($["${{ARG8}}" != ""]?${{ARG9}}:${{ARG3}})}})
 same => n,GotoIf($["${{DIALSTATUS}}" != "BUSY"]?noanswer)
 same => n(isbusy),Set(LOCAL(why)=busy)
 same => n,Set(LOCAL(fwd)=${{ARG7}})
 same => n,Goto(check)
 same => n(noanswer),Set(LOCAL(fwd)=${{ARG8}})
 same => n(check),GotoIf($["${{fwd}}" != ""]?forward)
 same => n(fallback),GotoIf($["${{ARG4}}" != "1"]?nobox)
 same => n(tovm),VoiceMail(${{ARG1}}@{VOICEMAIL_CONTEXT},${{IF($["${{why}}" = "busy"]?b:u)}})
 same => n(done),Return()
 same => n(nobox),GotoIf($["${{why}}" != "busy"]?done)
 same => n,Busy(10)
 same => n,Return()
 same => n(dnd),Goto(isbusy)
 same => n(forward),GotoIf($["${{fwd}}" = "voicemail"]?tovm)
 same => n,Set(__CENTREX_HOPS=$[0${{CENTREX_HOPS}} + 1])
 same => n,GotoIf($[${{CENTREX_HOPS}} > {MAX_HOPS}]?fallback)
 same => n,Set(CENTREX_FWD_TO=${{fwd}})
 same => n,GotoIf(${{DIALPLAN_EXISTS({INTERNAL_CONTEXT},${{fwd}},1)}}?internal)
; External: the FORWARDING phone's call rights decide (centrex.rights), then the routes.
 same => n,Set(CENTREX_EXTEN=${{ARG1}})
 same => n,Gosub(centrex-sub-check-rights,s,1(${{fwd}}))
 same => n,StackPop()
 same => n,Goto(centrex-route,${{CENTREX_FWD_TO}},1)
 same => n(internal),StackPop()
 same => n,Goto({INTERNAL_CONTEXT},${{CENTREX_FWD_TO}},1)

[centrex-sub-feature]
; A forward code dialled on a phone: ARG1 what, ARG2 its value. Centrex reads the request
; and the phone's extension from this channel (AMI), checks and saves the change (its
; database is the truth) and patches the dialplan; a beep confirms, the error tone refuses.
exten => s,1,Answer()
 same => n,Set(CENTREX_FEATURE=${{ARG1}}=${{ARG2}})
 same => n,Set(CURLOPT(conntimeout)=3)
 same => n,Set(CURLOPT(httptimeout)=15)
 same => n,Set(LOCAL(answer)=${{CURL({{feature_url}},channel=${{URIENCODE(${{CHANNEL}})}})}})
 same => n,Playback(${{IF($["${{answer}}" = "ok"]?beep:beeperr)}})
 same => n,Return()
"""


# Forward codes dialled on a phone (docs/forwards.md): (code, what, value, meaning).
FORWARD_CODE_FIELDS = (("21", "forward_always"), ("67", "forward_busy"),
                       ("61", "forward_no_answer"))
FEATURE_CODES = [
    ("*21*<extension>", _("Forward every call to that extension")),
    ("*21", _("Forward every call to your voicemail")),
    ("#21", _("Cancel the immediate forward")),
    ("*67*<extension>", _("When you are busy, forward to that extension")),
    ("*67", _("When you are busy, forward to your voicemail")),
    ("#67", _("Cancel the forward on busy")),
    ("*61*<extension>", _("When you do not answer, forward to that extension (after the "
                          "delay set on the Forwards page)")),
    ("*61", _("When you do not answer, forward to your voicemail")),
    ("#61", _("Cancel the forward on no answer")),
    ("*78", _("Do not disturb: on")),
    ("*79", _("Do not disturb: off")),
]
FEATURE_PATH = "/forwards/feature-code/"
URL_RE = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def feature_url() -> str:
    """Where Asterisk reaches Centrex for the forward codes: ``CENTREX_FEATURE_URL``
    (default ``http://127.0.0.1:8000``, the portal of ``centrex run``)."""
    base = (getattr(settings, "CENTREX_FEATURE_URL", "")
            or os.environ.get("CENTREX_FEATURE_URL", "") or "http://127.0.0.1:8000")
    base = base.rstrip("/")
    if not URL_RE.fullmatch(base):
        raise s.ConfigSyntaxError(f"invalid CENTREX_FEATURE_URL: {base!r}")
    return base + FEATURE_PATH


def _feature_code_lines() -> str:
    def code(exten: str, what: str, value: str) -> list[str]:
        return [f"exten => {exten},1,Gosub(centrex-sub-feature,s,1({what},{value}))",
                " same => n,Hangup()"]

    lines = ["; Forwards from the phone (the help page of the portal lists them)."]
    for digits, what in FORWARD_CODE_FIELDS:
        lines += code(f"_*{digits}*X.", what, "${EXTEN:4}")
        lines += code(f"*{digits}", what, VOICEMAIL)
        lines += code(f"#{digits}", what, "")
    lines += code("*78", "dnd", "1") + code("*79", "dnd", "0")
    return "\n".join(lines) + "\n"


def _call_args(p: dict) -> tuple:
    """The arguments of a phone's ``centrex-sub-call-phone`` (forwards only when set)."""
    dial = _dial_overrides().get(p["extension"], f"PJSIP/{p['sip_username']}")
    args = (p["extension"], dial, p["ring_timeout"],
            int(p["voicemail_enabled"]))
    if p["dnd"] or any(p[f] for f in FORWARD_FIELDS):
        args += ("1" if p["dnd"] else "", *(p[f] for f in FORWARD_FIELDS),
                 p["forward_no_answer_delay"] if p["forward_no_answer"] else "")
    return args


def render_dialplan() -> str:
    lines = [f"[{INTERNAL_CONTEXT}]", "; One line per phone extension.",
             *(f"include => {context}" for context in sorted(_INTERNAL_INCLUDES))]
    for p in _phones():
        args = ",".join(s.arg(a) for a in _call_args(p))
        lines.append(
            f"exten => {s.arg(p['extension'])},1,Gosub(centrex-sub-call-phone,s,1({args}))"
        )
        lines.append(" same => n,Hangup()")
    static = (DIALPLAN_STATIC.replace("{feature_codes}", _feature_code_lines())
              .replace("{feature_url}", feature_url())
              .replace("{dialplan_files}", "".join(
                  f"#tryinclude {name}\n" for name in sorted(_DIALPLAN_FILES)))
              .replace("{phone_includes}", "".join(
                  f"include => {context}\n" for _order, context in sorted(_PHONE_INCLUDES))))
    body = static + "\n" + "\n".join(lines) + "\n"
    sentinel = (
        f"[{s.REVISION_SECTION}]\n"
        "; Revision marker read back by Centrex after a reload.\n"
        "exten => s,1,NoOp({rev})\n"
    )
    return _with_revision("Dialplan of Centrex", body, sentinel)


INTERNAL_EXTEN = re.compile(r"exten => ([0-9]+),1,(\S+)")
# Above this many changed extensions, one dialplan reload is cheaper than the commands.
PATCH_LIMIT = 200


def _split_dialplan(text: str) -> tuple[str, dict[str, str]]:
    """Rendered dialplan → (everything but the phones' extensions and the revision,
    {extension: first application of centrex-internal})."""
    static, extensions = [], {}
    section, current = "", None
    for line in text.splitlines():
        if line.startswith("["):
            section, current = line, None
        internal = section == f"[{INTERNAL_CONTEXT}]"
        match = INTERNAL_EXTEN.fullmatch(line)
        if internal and match:
            current = match.group(1)
            extensions[current] = match.group(2)
            continue
        second_line = internal and current is not None and line == " same => n,Hangup()"
        marker = section == f"[{s.REVISION_SECTION}]" and line.startswith("exten => s,1,NoOp(")
        if not (second_line or marker):
            static.append(line)
    return "\n".join(static), extensions


async def patch_dialplan(ami: AMIClient, old: str, new: str) -> bool:
    """Apply added, changed and removed phone extensions with dialplan commands.

    A ``dialplan reload`` of 10,000 extensions takes most of a second; the CLI commands
    ``dialplan add/remove extension`` change one extension in a millisecond, registered
    as pbx_config like the file's own lines, so a later reload of the (already written)
    file gives exactly the same dialplan. Anything else (the shared contexts) is reloaded.
    """
    if not old:
        return False
    old_static, old_ext = _split_dialplan(old)
    new_static, new_ext = _split_dialplan(new)
    changed = sorted(e for e, app in new_ext.items() if old_ext.get(e) != app)
    removed = sorted(set(old_ext) - set(new_ext))
    if old_static != new_static or len(changed) + len(removed) > PATCH_LIMIT:
        return False
    for ext in removed:
        await ami.command(f"dialplan remove extension {ext}@{INTERNAL_CONTEXT}")
    for ext in changed:
        for priority, app in ((1, new_ext[ext]), (2, "Hangup()")):
            await ami.command(
                f"dialplan add extension {ext},{priority},{app} into {INTERNAL_CONTEXT} replace"
            )
    await ami.command(f"dialplan add extension s,1,NoOp({s.revision_of(new)}) "
                      f"into {s.REVISION_SECTION} replace")
    return True


async def _check_revision(
    ami: AMIClient, filename: str, new: str, action: str, field: str, **headers: str
) -> None:
    """Asterisk must report, in ``field`` of one of the events ``action`` lists, the
    revision the new file carries."""
    try:
        _, events = await ami.action_list(action, **headers)
    except AMIError as exc:
        raise VerificationError(f"Asterisk did not load the new {filename}") from exc
    if not any(e.get(field) == s.revision_of(new) for e in events):
        raise VerificationError(f"Asterisk did not load the new {filename}")


async def verify_dialplan(ami: AMIClient, old: str, new: str) -> None:
    await _check_revision(ami, "centrex_extensions.conf", new, "ShowDialPlan", "AppData",
                          Context=s.REVISION_SECTION)


# -- voicemail -----------------------------------------------------------------------------
def render_voicemail() -> str:
    lines = [f"[{VOICEMAIL_CONTEXT}]"]
    for p in _phones():
        if p["voicemail_enabled"]:
            lines.append(f"{s.arg(p['extension'])} => {s.arg(p['voicemail_pin'])},"
                         f"{s.field(p['name'])}")
    body = "\n".join(lines) + "\n"
    sentinel = (
        f"[{s.REVISION_SECTION}]\n"
        "; Revision marker read back by Centrex after a reload; no PIN can open it.\n"
        "0 => -,{rev}\n"
    )
    title = ("Voicemail boxes of Centrex phones, written to Asterisk's realtime table "
             "(centrex_realtime.sqlite3); Asterisk does not read this file")
    return _with_revision(title, body, sentinel)


async def push_voicemail(ami: AMIClient, old: str, new: str) -> None:
    """Write the boxes that changed into the realtime table, in one transaction; rewrite
    the whole table if it does not hold what the record says."""
    db = target().realtime_db
    current = await asyncio.to_thread(realtime.voicemail_revision, db)
    new_rows = realtime.parse_voicemail(new)
    if old and current == s.revision_of(old):
        if old == new:
            return
        old_rows = set(realtime.parse_voicemail(old))
        kept = set(new_rows)
        # A box whose PIN changed is removed and written again: same key, new row.
        await asyncio.to_thread(
            realtime.update_voicemail, db, [r for r in new_rows if r not in old_rows],
            removed=[r for r in old_rows if r not in kept],
        )
    else:
        await asyncio.to_thread(realtime.update_voicemail, db, new_rows, replace_all=True)


async def verify_voicemail(ami: AMIClient, old: str, new: str) -> None:
    await _check_revision(ami, VOICEMAIL_FILE, new, "VoicemailUserStatus",
                          "Fullname", Context=s.REVISION_SECTION, Mailbox="0")


# -- per-phone data the dialplan reads from AstDB ------------------------------------------
PHONE_FAMILY = "centrex-phone"


def phone_keys() -> dict[str, str]:
    """``rights/<extension>``: the classes of outgoing calls (centrex.routing checks them;
    empty: emergency numbers only). One sorcery endpoint holds a single ``set_var``, so
    per-phone data for the dialplan lives here."""
    return {f"rights/{p['extension']}": p["rights"] for p in _phones()}


register(ConfFile("centrex_astdb_phones.conf",
                  astdb.renderer("Per-phone data of Centrex", phone_keys), None,
                  astdb.verifier(PHONE_FAMILY), order=15, push=astdb.pusher(PHONE_FAMILY)))

PJSIP_FILE = "centrex_pjsip_astdb.conf"
register(ConfFile(PJSIP_FILE, render_pjsip, None, verify_pjsip, order=10, push=sorcery.push))
VOICEMAIL_FILE = "centrex_voicemail_realtime.conf"
register(ConfFile(VOICEMAIL_FILE, render_voicemail, None, verify_voicemail, order=20,
                  push=push_voicemail))
register(ConfFile("centrex_extensions.conf", render_dialplan, "pbx_config.so",
                  verify_dialplan, order=30, patch=patch_dialplan))

watch(Phone)
