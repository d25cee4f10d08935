"""The agents' feature codes (docs/agents.md): ``centrex_agents.conf`` (pbx_config).

``*45<queue number>`` / ``#45<queue number>`` log in to / out of a queue from this phone,
``*45`` / ``#45`` alone all one's queues; ``*46<reason code>`` pauses with that reason,
``*46`` alone without one; ``#46`` resumes. Like the forward codes, the dialplan only puts
the request in a channel variable and calls the portal (CURL) with the channel's name; the
portal reads the request and the phone from that live channel through AMI, and makes the
change with the agents service (the same rules as the pages). The file is static apart
from the portal's address: it never changes when agents log in or pause.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from centrex.pbx.confgen import ConfFile, dialplan, register
from centrex.telephony.confgen import (
    FEATURE_PATH,
    feature_url,
    include_dialplan_file,
    include_in_phones,
)

DIALPLAN_FILE = "centrex_agents.conf"
CONTEXT = "centrex-agents"
SUB = "centrex-sub-agent"
REVISION_CONTEXT = "centrex-rev-agents"
CODE_PATH = "/contact-center/agents/code/"
LOGIN, LOGOUT, PAUSE, RESUME = "*45", "#45", "*46", "#46"


def code_url() -> str:
    """Where Asterisk asks Centrex to log in, out, pause or resume (same base as the
    forward codes: ``CENTREX_FEATURE_URL``)."""
    return feature_url().removesuffix(FEATURE_PATH) + CODE_PATH


STATIC = f"""[{CONTEXT}]
; Agents' codes (docs/agents.md); the phone's user is the agent.
exten => _{LOGIN}X.,1,Gosub({SUB},s,1(login,${{EXTEN:3}}))
 same => n,Hangup()
exten => {LOGIN},1,Gosub({SUB},s,1(login,))
 same => n,Hangup()
exten => _{LOGOUT}X.,1,Gosub({SUB},s,1(logout,${{EXTEN:3}}))
 same => n,Hangup()
exten => {LOGOUT},1,Gosub({SUB},s,1(logout,))
 same => n,Hangup()
exten => _{PAUSE}X.,1,Gosub({SUB},s,1(pause,${{EXTEN:3}}))
 same => n,Hangup()
exten => {PAUSE},1,Gosub({SUB},s,1(pause,))
 same => n,Hangup()
exten => {RESUME},1,Gosub({SUB},s,1(resume,))
 same => n,Hangup()

[{SUB}]
; ARG1 login, logout, pause or resume; ARG2 the queue number or the reason code (may be
; empty). Centrex reads CENTREX_AGENT and the phone from this channel (AMI) and answers
; "ok" or "refused".
exten => s,1,Answer()
 same => n,Set(CENTREX_AGENT=${{ARG1}}=${{FILTER(0123456789,${{ARG2}})}})
 same => n,Set(CURLOPT(conntimeout)=3)
 same => n,Set(CURLOPT(httptimeout)=15)
 same => n,Set(LOCAL(answer)=${{CURL({{code_url}},channel=${{URIENCODE(${{CHANNEL}})}})}})
 same => n,Set(CENTREX_AGENT=)
 same => n,GotoIf($["${{answer}}" != "ok"]?refused)
 same => n,GotoIf($["${{ARG1}}" = "login"]?loggedin)
 same => n,GotoIf($["${{ARG1}}" = "logout"]?loggedoff)
 same => n,Playback(beep)
 same => n,Return()
 same => n(loggedin),Playback(agent-loginok)
 same => n,Return()
 same => n(loggedoff),Playback(agent-loggedoff)
 same => n,Return()
 same => n(refused),Playback(beeperr)
 same => n,Return()
"""


def render_dialplan() -> str:
    return dialplan.render("Agents' feature codes of Centrex",
                           STATIC.replace("{code_url}", code_url()), REVISION_CONTEXT)


HELP_CODES = [
    (f"{LOGIN}<queue>", _("Agents: log in to that queue (its number) from this phone")),
    (LOGIN, _("Agents: log in to all your queues from this phone")),
    (f"{LOGOUT}<queue>", _("Agents: log out of that queue")),
    (LOGOUT, _("Agents: log out of all your queues")),
    (f"{PAUSE}<code>", _("Agents: pause, with the reason of that code")),
    (PAUSE, _("Agents: pause without a reason")),
    (RESUME, _("Agents: end the pause")),
]


def install() -> None:
    """Register the file, include it in the phones' dialplan, list the codes on the help
    page (AppConfig.ready)."""
    from centrex.telephony.confgen import FEATURE_CODES

    register(ConfFile(DIALPLAN_FILE, render_dialplan, "pbx_config.so",
                      dialplan.verifier(DIALPLAN_FILE, REVISION_CONTEXT), order=47))
    include_dialplan_file(DIALPLAN_FILE)
    include_in_phones(CONTEXT, 30)
    for code in HELP_CODES:
        if code not in FEATURE_CODES:
            FEATURE_CODES.append(code)
