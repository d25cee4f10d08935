"""Asterisk files of hot desking, conference rooms and call parking (docs/features.md).

- ``centrex_features.conf`` (pbx_config, #tryincluded by centrex_extensions.conf): the
  context of free-seating phones, the login and logout codes, the conference rooms and the
  parking extensions. It changes only when rooms or the parking numbers change.
- ``centrex_astdb_hotdesk.conf``: who is logged in where, as AstDB keys the free-seating
  context reads (a login or logout is a key pushed, never a reload).
- A login also changes where the person's extension rings: ``override_dial`` gives the
  free-seating phone's endpoint to ``centrex-internal``, and that one line is patched.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from centrex.features import parking
from centrex.features.models import ConferenceRoom, HotdeskLogin
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, astdb, dialplan, register, shared
from centrex.pbx.confgen import syntax as s
from centrex.telephony.confgen import (
    FEATURE_PATH,
    HOTDESK_CONTEXT,
    PHONE_CONTEXT,
    feature_url,
    include_dialplan_file,
    include_in_internal,
    include_in_phones,
    override_dial,
)

DIALPLAN_FILE = "centrex_features.conf"
REVISION_CONTEXT = "centrex-rev-features"
HOTDESK_FAMILY = "centrex-hotdesk"
CONFERENCE_CONTEXT = "centrex-conferences"
PARKING_CONTEXT = "centrex-parking"
EMERGENCY_CONTEXT = "centrex-emergency"  # app rights: one extension per emergency number
HOTDESK_PATH = "/features/hotdesk/code/"
LOGIN_CODE, LOGOUT_CODE = "*77", "#77"


def hotdesk_url() -> str:
    """Where Asterisk asks Centrex to check a login (same base as the forward codes)."""
    return feature_url().removesuffix(FEATURE_PATH) + HOTDESK_PATH


def _logins() -> list[dict]:
    def compute() -> list[dict]:
        return list(HotdeskLogin.objects.filter(desk__hotdesk=True).order_by(
            "desk__sip_username").values("desk__sip_username", "line__extension",
                                         "line__name"))

    return shared("features.logins", compute)


def dial_overrides() -> dict[str, str]:
    """While someone is logged in, their extension rings the free-seating phone."""
    return {row["line__extension"]: f"PJSIP/{row['desk__sip_username']}" for row in _logins()}


def hotdesk_keys() -> dict[str, str]:
    """``ext/<desk endpoint>`` and ``name/<desk endpoint>``: who sits there."""
    keys = {}
    for row in _logins():
        keys[f"ext/{row['desk__sip_username']}"] = row["line__extension"]
        keys[f"name/{row['desk__sip_username']}"] = row["line__name"]
    return keys


HOTDESK_STATIC = f"""[{HOTDESK_CONTEXT}]
; Where free-seating phones start: the login codes, then the calls of whoever sits there.
include => centrex-hotdesk-codes
include => centrex-hotdesk-seated

[centrex-hotdesk-codes]
; {LOGIN_CODE}*<extension>*<PIN> or {LOGIN_CODE}*<extension>* then the PIN when asked.
exten => _{LOGIN_CODE}*X.,1,Answer()
 same => n,Set(CENTREX_HD_REST=${{EXTEN:4}})
 same => n,Set(CENTREX_HD_EXT=${{CUT(CENTREX_HD_REST,*,1)}})
 same => n,Set(CENTREX_HD_PIN=${{FILTER(0123456789,${{CUT(CENTREX_HD_REST,*,2)}})}})
 same => n,GotoIf($["${{CENTREX_HD_PIN}}" != ""]?check)
 same => n,Read(CENTREX_HD_PIN,vm-password,8,,1,10)
 same => n(check),Gosub(centrex-sub-hotdesk,s,1(login,${{CENTREX_HD_EXT}}:${{CENTREX_HD_PIN}}))
 same => n,Hangup()
exten => {LOGOUT_CODE},1,Answer()
 same => n,Gosub(centrex-sub-hotdesk,s,1(logout,))
 same => n,Hangup()

[centrex-hotdesk-seated]
; Someone logged in: call as them (their extension, rights, caller ID, voicemail).
exten => _[0-9*#+]!,1,Set(CENTREX_HD_WHO=${{DB({HOTDESK_FAMILY}/ext/${{CHANNEL(endpoint)}})}})
 same => n,GotoIf($["${{CENTREX_HD_WHO}}" = ""]?centrex-hotdesk-idle,${{EXTEN}},1)
 same => n,Set(CENTREX_EXTEN=${{CENTREX_HD_WHO}})
 same => n,Set(CALLERID(num)=${{CENTREX_HD_WHO}})
 same => n,Set(CALLERID(name)=${{DB({HOTDESK_FAMILY}/name/${{CHANNEL(endpoint)}})}})
 same => n,Goto({PHONE_CONTEXT},${{EXTEN}},1)

[centrex-hotdesk-idle]
; Nobody logged in: emergency numbers only.
include => {EMERGENCY_CONTEXT}
include => centrex-hotdesk-refuse

[centrex-hotdesk-refuse]
exten => _[0-9*#+]!,1,Answer()
 same => n,Playback(ss-noservice)
 same => n,Hangup()

[centrex-sub-hotdesk]
; ARG1 login or logout, ARG2 <extension>:<PIN>. Centrex reads the request and the phone
; from this channel (AMI), checks the PIN against its database and pushes the login.
exten => s,1,Set(CENTREX_HOTDESK=${{ARG1}}=${{ARG2}})
 same => n,Set(CURLOPT(conntimeout)=3)
 same => n,Set(CURLOPT(httptimeout)=15)
 same => n,Set(LOCAL(answer)=${{CURL({{hotdesk_url}},channel=${{URIENCODE(${{CHANNEL}})}})}})
 same => n,Set(CENTREX_HOTDESK=)
 same => n,GotoIf($["${{answer}}" != "ok"]?refused)
 same => n,Playback(${{IF($["${{ARG1}}" = "login"]?agent-loginok:agent-loggedoff)}})
 same => n,Return()
 same => n(refused),Playback(beeperr)
 same => n,Return()
"""


def _rooms() -> list[dict]:
    return list(ConferenceRoom.objects.order_by("extension").values(
        "extension", "name", "pin", "max_members"))


def render_dialplan() -> str:
    lines = [HOTDESK_STATIC.replace("{hotdesk_url}", hotdesk_url())]
    lines += [f"[{CONFERENCE_CONTEXT}]", "; One extension per conference room."]
    for room in _rooms():
        ext = s.arg(room["extension"])
        lines += [f"exten => {ext},1,Answer()",
                  f" same => n,Set(CONFBRIDGE(bridge,max_members)={int(room['max_members'])})"]
        if room["pin"]:
            lines.append(f" same => n,Set(CONFBRIDGE(user,pin)={s.arg(room['pin'])})")
        lines += [f" same => n,ConfBridge(centrex-room-{ext})", " same => n,Hangup()"]
    conf = parking.config()
    lot = s.arg(conf["LOT"])
    lines += ["", f"[{PARKING_CONTEXT}]",
              "; Park on the extension (the slot is announced), retrieve from a slot.",
              f"exten => {s.arg(parking.extension())},1,Park({lot})", " same => n,Hangup()"]
    for slot in parking.slots():
        lines += [f"exten => {s.arg(slot)},1,ParkedCall({lot},{s.arg(slot)})",
                  " same => n,Hangup()"]
    return dialplan.render("Hot desking, conference rooms and call parking of Centrex",
                           "\n".join(lines), REVISION_CONTEXT)


register(ConfFile(DIALPLAN_FILE, render_dialplan, "pbx_config.so",
                  dialplan.verifier(DIALPLAN_FILE, REVISION_CONTEXT),
                  order=31))
register(ConfFile("centrex_astdb_hotdesk.conf",
                  astdb.renderer("Hot-desk logins of Centrex", hotdesk_keys), None,
                  astdb.verifier(HOTDESK_FAMILY), order=16,
                  push=astdb.pusher(HOTDESK_FAMILY)))
include_dialplan_file(DIALPLAN_FILE)
include_in_phones(CONFERENCE_CONTEXT, 40)
include_in_internal(CONFERENCE_CONTEXT)  # rooms answer inbound numbers and forwards too
include_in_phones(PARKING_CONTEXT, 41)
override_dial(dial_overrides)
watch(HotdeskLogin, ConferenceRoom)

# Codes of this app for the help page (listed after the forward codes).
HELP_CODES = [
    (f"{LOGIN_CODE}*<extension>*", _("On a free-seating phone: log in as that extension "
                                     "(then type your voicemail PIN)")),
    (f"{LOGIN_CODE}*<extension>*<PIN>", _("The same, with the PIN in one go")),
    (LOGOUT_CODE, _("On a free-seating phone: log out")),
    ("<room>", _("Join a conference room (its PIN is asked if it has one)")),
    (parking.extension(), _("Park the call (transfer it there); the slot is announced")),
    (f"{parking.slots()[0]} … {parking.slots()[-1]}", _("Take back the call parked on that slot")),
]
