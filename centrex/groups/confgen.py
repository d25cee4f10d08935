"""The dialplan of ring groups, pickup codes, short numbers and paging (centrex_groups.conf).

Two contexts, so that each number is reachable exactly where it should be:

- ``centrex-groups`` (ring groups) is included in ``centrex-internal``: a group's number
  works like a phone's extension, from phones, forwards and inbound numbers alike;
- ``centrex-groups-phones`` (pickup codes, short numbers, paging) is included in
  ``centrex-phones`` only: these are things a phone does, never where a call from outside
  may land.

The renderer is pure and sorted (golden file ``tests/golden/centrex_groups.conf``); the
file carries its own revision context, read back after the reload.
"""

from __future__ import annotations

from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, dialplan, register
from centrex.pbx.confgen import syntax as s
from centrex.telephony import confgen as phones_confgen
from centrex.telephony.forwards import MAX_HOPS

FILENAME = "centrex_groups.conf"
GROUPS_CONTEXT = "centrex-groups"
PHONES_CONTEXT = "centrex-groups-phones"
REVISION_CONTEXT = "centrex-rev-groups"
PICKUP_CODE = "*8"
DIRECTED_PICKUP_PREFIX = "**"
# How long a page rings a member that does not answer by itself (seconds).
PAGE_TIMEOUT = 15
# What makes a phone answer a page by itself: Alert-Info for Yealink, Grandstream, Polycom
# and Cisco SPA; Call-Info answer-after=0 for Snom, Gigaset and most softphones.
AUTO_ANSWER_HEADERS = (
    ("Alert-Info", r"<http://127.0.0.1>\;info=alert-autoanswer\;delay=0"),
    ("Call-Info", r"<sip:127.0.0.1>\;answer-after=0"),
)

STATIC = f"""[centrex-sub-ring-member]
; Ring one member of a ring group, or all of them at once, within the group's timeout.
; ARG1 dial string, ARG2 seconds at most, ARG3 when the group gives up (epoch seconds).
exten => s,1,Set(LOCAL(left)=$[${{ARG3}} - ${{EPOCH}}])
 same => n,GotoIf($[${{left}} < 1]?done)
 same => n,Dial(${{ARG1}},${{IF($[${{left}} < ${{ARG2}}]?${{left}}:${{ARG2}})}})
 same => n,GotoIf($["${{DIALSTATUS}}" = "ANSWER"]?answered)
 same => n(done),Return()
 same => n(answered),Hangup()

[centrex-sub-page-answer]
; Run on each paged phone's channel before it is called: the headers that make it answer
; by itself, on its loudspeaker.
{chr(10).join(f"exten => s,{i},Set(PJSIP_HEADER(add,{name})={value})"
              for i, (name, value) in enumerate(AUTO_ANSWER_HEADERS, start=1))}
 same => n,Return()
"""


def _dial(sip_usernames: list[str]) -> str:
    return "&".join(s.arg(f"PJSIP/{user}") for user in sip_usernames)


def _ring_groups() -> list[str]:
    from centrex.groups.models import RingGroup, RingGroupMember

    members: dict[int, list[str]] = {}
    for group_id, user in (RingGroupMember.objects.order_by("group_id", "position", "pk")
                           .values_list("group_id", "phone__sip_username")):
        members.setdefault(group_id, []).append(user)
    lines = [f"[{GROUPS_CONTEXT}]",
             "; Ring groups. CENTREX_HOPS (shared with forwards) stops a loop of groups "
             "falling back to each other."]
    for g in RingGroup.objects.order_by("extension"):
        ext = s.arg(g.extension)
        users = members.get(g.pk, [])
        lines.append(f"; {s.comment_text(g.name)} ({g.strategy}, {len(users)} members)")
        lines.append(f"exten => {ext},1,Set(__CENTREX_HOPS=$[0${{CENTREX_HOPS}} + 1])")
        lines.append(f" same => n,GotoIf($[${{CENTREX_HOPS}} > {MAX_HOPS}]?nobody)")
        lines.append(f" same => n,Set(__PICKUPMARK={ext})")
        lines.append(f" same => n,Set(CENTREX_GROUP_END=$[${{EPOCH}} + {int(g.timeout)}])")
        if users and g.strategy == g.RING_ALL:
            steps = [(_dial(users), int(g.timeout))]
        else:
            steps = [(_dial([u]), int(g.member_seconds)) for u in users]
        for dial, seconds in steps:
            lines.append(f" same => n,Gosub(centrex-sub-ring-member,s,1({dial},{seconds},"
                         "${CENTREX_GROUP_END}))")
        target = s.arg(g.fallback_number) if g.fallback_number else ""
        if g.fallback == g.NUMBER and target:
            lines.append(f" same => n(nobody),Goto({phones_confgen.INTERNAL_CONTEXT},"
                         f"{target},1)")
        elif g.fallback == g.VOICEMAIL and target:
            lines.append(f" same => n(nobody),VoiceMail({target}@"
                         f"{phones_confgen.VOICEMAIL_CONTEXT},u)")
            lines.append(" same => n,Hangup()")
        else:
            lines.append(" same => n(nobody),Hangup()")
    return lines


def _phone_features() -> list[str]:
    from centrex.groups.models import PagingGroup, SpeedDial

    lines = [f"[{PHONES_CONTEXT}]",
             f"; {PICKUP_CODE}: pick up a call ringing in one of your pickup groups.",
             f"exten => {PICKUP_CODE},1,Pickup()",
             " same => n,Hangup()",
             f"; {DIRECTED_PICKUP_PREFIX}<extension>: pick up a call ringing that extension "
             "(or that ring group).",
             f"exten => _{DIRECTED_PICKUP_PREFIX}X.,1,"
             f"Pickup(${{EXTEN:{len(DIRECTED_PICKUP_PREFIX)}}}@PICKUPMARK)",
             " same => n,Hangup()",
             "; Short numbers: dialled as if the phone had dialled the number itself "
             "(outside numbers obey its call rights)."]
    for d in SpeedDial.objects.order_by("code"):
        lines.append(f"exten => {s.arg(d.code)},1,Goto({phones_confgen.PHONE_CONTEXT},"
                     f"{s.arg(d.number)},1)")
    lines.append("; Paging groups: every member (but the caller) answers on its loudspeaker "
                 "and listens.")
    through = PagingGroup.members.through
    members: dict[int, list[str]] = {}
    for group_id, user in (through.objects.order_by("paginggroup_id", "phone__extension")
                           .values_list("paginggroup_id", "phone__sip_username")):
        members.setdefault(group_id, []).append(user)
    for g in PagingGroup.objects.order_by("extension"):
        ext = s.arg(g.extension)
        lines.append(f"; {s.comment_text(g.name)}")
        lines.append(f"exten => {ext},1,Set(CENTREX_PAGE=&{_dial(members.get(g.pk, []))}&)")
        lines.append(" same => n,Set(CENTREX_PAGE=${STRREPLACE(CENTREX_PAGE,"
                     "&PJSIP/${CHANNEL(endpoint)}&,&)})")
        lines.append(' same => n,GotoIf($["${CENTREX_PAGE}" = "&"]?nobody)')
        lines.append(" same => n,Page(${CENTREX_PAGE:1:-1},"
                     f"b(centrex-sub-page-answer^s^1)i,{PAGE_TIMEOUT})")
        lines.append(" same => n(nobody),Hangup()")
    return lines


def render() -> str:
    body = "\n".join([STATIC, *_ring_groups(), "", *_phone_features()])
    return dialplan.render("Ring groups, pickup codes, short numbers and paging of Centrex",
                           body, REVISION_CONTEXT)


def install() -> None:
    """Register the file and its place in the phones' dialplan (from AppConfig.ready)."""
    from centrex.groups.models import (
        PagingGroup,
        RingGroup,
        RingGroupMember,
        SpeedDial,
    )

    register(ConfFile(FILENAME, render, "pbx_config.so",
                      dialplan.verifier(FILENAME, REVISION_CONTEXT), order=40))
    phones_confgen.include_dialplan_file(FILENAME)
    phones_confgen.include_in_internal(GROUPS_CONTEXT)
    phones_confgen.include_in_phones(PHONES_CONTEXT, order=40)
    for model in (RingGroup, RingGroupMember, PagingGroup, SpeedDial):
        watch(model)
