"""Dialplan of the call rights (centrex_rights.conf).

- ``centrex-sub-check-rights`` (ARG1 the dialled number): returns when the rights of
  ``${CENTREX_EXTEN}`` (AstDB ``centrex-phone/rights/<ext>``, pushed by telephony; or
  ``${CENTREX_RIGHTS}`` when an IVR application set its own, centrex/ivr) allow
  the number's class; emergency numbers always pass; an empty CENTREX_EXTEN (an idle
  free-seating phone) may call emergency numbers only. Otherwise: an announcement in the
  channel's language and hang-up, so the call never reaches a trunk.
- ``centrex-emergency`` (included in the phones' context before the routes): one extension
  per emergency number, straight to ``centrex-route``.
- The classes: one context per rule of ``numbers.dialplan_rules`` (the home country's
  number types from the ``phonenumbers`` metadata, in its order), checked with
  ``DIALPLAN_EXISTS`` one after the other: the first that holds the number gives its class,
  as ``numbers.classify`` does in Python. Everything lives in the dialplan, so calls are
  checked with the portal down; a settings change rewrites this file (a reload of a few
  thousand lines at most).
"""

from __future__ import annotations

import re

from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, dialplan, register, shared
from centrex.pbx.confgen import syntax as s
from centrex.rights import numbers
from centrex.rights.models import EmergencyNumber, RightsSettings
from centrex.telephony.confgen import (
    INTERNAL_CONTEXT,
    include_dialplan_file,
    include_in_phones,
)

FILENAME = "centrex_rights.conf"
REVISION_CONTEXT = "centrex-rev-rights"
EMERGENCY_CONTEXT = "centrex-emergency"
ROUTE_CONTEXT = "centrex-route"  # app routing: dials through the trunks, no check
# A core sound (French and English): "Your call cannot be completed as dialled..."
ANNOUNCEMENT = "cannot-complete-as-dialed"


def _settings() -> dict:
    def compute() -> dict:
        from centrex.rights.services import current

        return current()

    return shared("rights.settings", compute)


def _sub(rules: list[tuple[str, str]]) -> str:
    checks = "".join(
        f" same => n,GotoIf(${{DIALPLAN_EXISTS(centrex-rights-{name},${{num}},1)}}"
        f"?{number_class})\n" for name, number_class in rules)
    labels = "".join(
        f" same => n({c}),Set(LOCAL(class)={c})\n same => n,Goto(check)\n"
        for c in sorted({c for _n, c in rules} | {numbers.INTERNAL})
        if c != numbers.INTERNATIONAL)
    return f"""[centrex-sub-check-rights]
; ARG1 the dialled number. Returns when ${{CENTREX_EXTEN}}'s call rights allow it;
; otherwise an announcement and hang-up: the call never reaches a trunk.
exten => s,1,Set(LOCAL(num)=${{FILTER(0-9+,${{ARG1}})}})
 same => n,GotoIf(${{DIALPLAN_EXISTS(centrex-rights-emergency,${{num}},1)}}?allow)
 same => n,GotoIf($["${{CENTREX_EXTEN}}" = ""]?deny)
 same => n,Set(LOCAL(rights)=,${{DB(centrex-phone/rights/${{CENTREX_EXTEN}})}},)
 same => n,ExecIf($["${{CENTREX_RIGHTS}}" != ""]?Set(LOCAL(rights)=,${{CENTREX_RIGHTS}},))
 same => n,Set(LOCAL(class)=unknown)
 same => n,GotoIf(${{DIALPLAN_EXISTS({INTERNAL_CONTEXT},${{num}},1)}}?internal)
{checks} same => n,Goto(deny)
{labels} same => n({numbers.INTERNATIONAL}),Set(LOCAL(class)={numbers.INTERNATIONAL})
 same => n,GotoIf(${{DIALPLAN_EXISTS(centrex-rights-countries,${{num}},1)}}?check:deny)
 same => n(check),GotoIf($["${{rights}}" =~ ",${{class}},"]?allow)
 same => n(deny),NoOp(Centrex: ${{num}} (${{class}}) refused to "${{CENTREX_EXTEN}}")
 same => n,Answer()
 same => n,Playback({ANNOUNCEMENT})
 same => n,Hangup(21)
 same => n(allow),Return()
"""


# What numbers.pattern renders: digits, X Z N, [ranges], a final "." (or a plain number).
PATTERN_RE = re.compile(r"_\+?(?:[0-9XZN]|\[[0-9-]+\])+\.?|[0-9]{1,20}")


def _exten(pattern: str) -> str:
    if not PATTERN_RE.fullmatch(pattern):
        raise s.ConfigSyntaxError(f"invalid extension pattern: {pattern!r}")
    return pattern


def _context(name: str, patterns: list[str], comment: str = "") -> str:
    lines = [f"[{name}]"] + ([f"; {s.comment_text(comment)}"] if comment else [])
    lines += [f"exten => {_exten(p)},1,NoOp()" for p in patterns]
    return "\n".join(lines) + "\n"


def render() -> str:
    settings = _settings()
    home = settings["home_country"]
    rules = numbers.dialplan_rules(home)
    emergency = settings["emergency_numbers"]
    parts = [_sub([(name, c) for name, c, _p in rules])]
    parts.append(_context("centrex-rights-emergency", emergency, "Always allowed."))
    for name, number_class, patterns in rules:
        parts.append(_context(f"centrex-rights-{name}", list(patterns),
                              f"{number_class} ({home}, phonenumbers: {name})"))
    parts.append(_context(
        "centrex-rights-countries",
        numbers.country_patterns(home, settings["allowed_countries"]),
        "Countries allowed for international calls: "
        + (" ".join(settings["allowed_countries"]) or "none")))
    calls = [f"[{EMERGENCY_CONTEXT}]", "; Emergency numbers, from any phone (no rights)."]
    calls += [f"exten => {s.arg(n)},1,Goto({ROUTE_CONTEXT},{s.arg(n)},1)" for n in emergency]
    parts.append("\n".join(calls) + "\n")
    return dialplan.render("Call rights of Centrex", "\n".join(parts), REVISION_CONTEXT)


register(ConfFile(FILENAME, render, "pbx_config.so",
                  dialplan.verifier(FILENAME, REVISION_CONTEXT), order=40))
include_dialplan_file(FILENAME)
# Before the routes, so an emergency number never depends on a route's pattern.
include_in_phones(EMERGENCY_CONTEXT, 10)
watch(RightsSettings)
watch(EmergencyNumber)
