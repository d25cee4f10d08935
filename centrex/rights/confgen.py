"""Dialplan of the call rights: ``centrex-sub-check-rights`` and ``centrex-emergency``."""

from __future__ import annotations

from centrex.pbx.autoapply import watch  # noqa: F401
from centrex.pbx.confgen import ConfFile, register
from centrex.pbx.confgen import syntax as s
from centrex.telephony.confgen import _check_revision, include_dialplan_file, include_in_phones

FILENAME = "centrex_rights.conf"
REVISION_CONTEXT = "centrex-rev-rights"
DEFAULT_EMERGENCY = ("112", "15", "17", "18", "114", "115", "119", "191", "196", "197")

SUB = """[centrex-sub-check-rights]
; ARG1 the dialled number. Returns when ${CENTREX_EXTEN}'s rights allow it (emergency
; numbers always); otherwise an announcement and hang up: the call never reaches a trunk.
exten => s,1,Set(LOCAL(num)=${FILTER(0-9+*#,${ARG1})})
 same => n,GotoIf(${DIALPLAN_EXISTS(centrex-rights-emergency,${num},1)}?allow)
 same => n,GotoIf($["${CENTREX_EXTEN}" = ""]?deny)
 same => n,Set(LOCAL(rights)=,${DB(centrex-phone/rights/${CENTREX_EXTEN})},)
 same => n,Set(LOCAL(class)=unknown)
 same => n,ExecIf(${DIALPLAN_EXISTS(centrex-rights-local,${num},1)}?Set(LOCAL(class)=local))
 same => n,ExecIf(${DIALPLAN_EXISTS(centrex-rights-mobile,${num},1)}?Set(LOCAL(class)=mobile))
 same => n,GotoIf($["${rights}" =~ ",${class},"]?allow)
 same => n(deny),Answer()
 same => n,Playback(cannot-complete-as-dialed)
 same => n,Hangup()
 same => n(allow),Return()

[centrex-rights-local]
exten => _0[1-59]XXXXXXXX,1,NoOp()

[centrex-rights-mobile]
exten => _0[67]XXXXXXXX,1,NoOp()
"""


def render() -> str:
    emergency = ["[centrex-rights-emergency]"] + [
        f"exten => {s.arg(n)},1,NoOp()" for n in DEFAULT_EMERGENCY]
    calls = ["[centrex-emergency]", "; Emergency numbers, from any phone."] + [
        f"exten => {s.arg(n)},1,Goto(centrex-route,{s.arg(n)},1)" for n in DEFAULT_EMERGENCY]
    body = SUB + "\n" + "\n".join(emergency) + "\n\n" + "\n".join(calls) + "\n"
    rev = s.revision(body)
    return (s.header("Call rights of Centrex") + "\n" + body + "\n"
            f"[{REVISION_CONTEXT}]\nexten => s,1,NoOp({rev})\n")


async def verify(ami, old: str, new: str) -> None:
    await _check_revision(ami, FILENAME, new, "ShowDialPlan", "AppData",
                          Context=REVISION_CONTEXT)


register(ConfFile(FILENAME, render, "pbx_config.so", verify, order=40))
include_dialplan_file(FILENAME)
include_in_phones("centrex-emergency", 10)
