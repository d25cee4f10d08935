"""Renderers of the routing app: trunks (PJSIP file), routes and inbound numbers (dialplan),
outbound caller IDs and caller names (AstDB keys). See docs/routing.md.

Trunks are few and rarely change, so they live in a file (``centrex_pjsip_trunks.conf``,
``#tryinclude``-d by pjsip.conf) reloaded with res_pjsip, not in AstDB like the phones.
Every renderer is a pure, sorted function of the database.

Dialplan contract with the other apps (see the brief in docs/routing.md):

* ``centrex-route``: dials a number through the outbound routes, without rights checks;
* ``centrex-outbound`` (included in the phones' context): per route pattern, the call
  rights (``centrex-sub-check-rights``, app rights) then ``centrex-route``;
* ``centrex-from-trunk``: where trunk calls land (one extension per inbound number).
"""

from __future__ import annotations

from centrex.pbx.ami import AMIClient, AMIError
from centrex.pbx.autoapply import watch
from centrex.pbx.confgen import ConfFile, VerificationError, astdb, dialplan, register, shared
from centrex.pbx.confgen import syntax as s
from centrex.pbx.ingest.records import DID_TAG
from centrex.routing.models import (
    PATTERN_RE,
    REGISTRATION,
    VOICEMAIL,
    InboundNumber,
    Route,
    RouteTrunk,
    Trunk,
)
from centrex.telephony.confgen import (
    ENDPOINT_MEDIA,
    INTERNAL_CONTEXT,
    VOICEMAIL_CONTEXT,
    _media_options,
    include_dialplan_file,
    include_in_phones,
)

TRUNKS_FILE = "centrex_pjsip_trunks.conf"
DIALPLAN_FILE = "centrex_routing.conf"
ROUTE_CONTEXT = "centrex-route"
OUTBOUND_CONTEXT = "centrex-outbound"
FROM_TRUNK_CONTEXT = "centrex-from-trunk"
TRUNK_SUB = "centrex-sub-trunk"
FROM_TRUNK_SUB = "centrex-sub-from-trunk"
CHECK_RIGHTS_SUB = "centrex-sub-check-rights"
REVISION_CONTEXT = "centrex-rev-routing"
TRUNK_REVISION_ENDPOINT = "centrex-revision-trunks"
GROUP_CATEGORY = "centrex-trunk"
CALLERID_FAMILY = "centrex-callerid"
CALLERNAME_FAMILY = "centrex-callername"
TCP_MARK = "@@tcp@@"


def _trunks() -> list[Trunk]:
    return shared("routing.trunks", lambda: list(Trunk.objects.order_by("name")))


# -- trunks: PJSIP ---------------------------------------------------------------------------
def _trunk_sections(t: Trunk, media: list[tuple[str, str]]) -> list[str]:
    ep = s.name(t.endpoint)
    host = f"{s.name(t.host)}:{int(t.port)}"
    transport = f"transport-{t.transport}"
    suffix = TCP_MARK if t.transport == "tcp" else ""
    registered = t.auth_mode == REGISTRATION and t.username and t.password
    endpoint = [
        ("type", "endpoint"),
        ("context", FROM_TRUNK_CONTEXT),
        ("transport", transport),
        ("disallow", "all"),
        ("allow", t.codecs),
        ("aors", ep),
        # Only the operator's address identifies the trunk: a From user "trunk-x" sent by
        # anybody else must never be taken for it (a trunk has no inbound challenge).
        ("identify_by", "ip"),
        ("send_pai", "yes"),
        ("trust_id_outbound", "yes"),
        # Read by centrex-sub-from-trunk: inbound calls obey the channel limit too.
        ("set_var", f"CENTREX_TRUNK_LIMIT={int(t.max_channels)}"),
        *ENDPOINT_MEDIA,
        *media,
    ]
    if registered:
        endpoint += [("outbound_auth", ep), ("from_user", t.username)]
    parts = [
        s.section(ep, endpoint, comment=f"trunk {t.name}"),
        s.section(ep, [("type", "aor"), ("contact", f"sip:{host}{suffix}"),
                       ("qualify_frequency", 0)]),
        s.section(ep, [("type", "identify"), ("endpoint", ep),
                       ("match", t.match or host)]),
    ]
    if registered:
        parts.append(s.section(ep, [("type", "auth"), ("auth_type", "userpass"),
                                    ("username", t.username), ("password", t.password)]))
        parts.append(s.section(ep, [
            ("type", "registration"), ("transport", transport), ("outbound_auth", ep),
            ("server_uri", f"sip:{host}{suffix}"),
            ("client_uri", f"sip:{t.username}@{host}{suffix}"),
            # line: the operator's calls to the registered contact carry ;line=, which
            # identifies this trunk whatever address they come from.
            ("contact_user", t.username), ("line", "yes"), ("endpoint", ep),
            ("retry_interval", 60), ("forbidden_retry_interval", 600), ("expiration", 3600),
        ]))
    # ';' would start a comment (the grammar refuses it): written escaped, after the checks.
    return [part.replace(TCP_MARK, "\\;transport=tcp") for part in parts]


def render_trunks() -> str:
    media = _media_options()
    parts = []
    for t in _trunks():
        parts += _trunk_sections(t, media)
    sentinel = s.section(TRUNK_REVISION_ENDPOINT, [
        ("type", "endpoint"), ("context", TRUNK_REVISION_ENDPOINT), ("allow", "!all"),
        ("identify_by", "ip"), ("set_var", "CENTREX_REVISION={rev}"),
    ], comment="Revision marker read back by Centrex after a reload; cannot place calls.")
    body = "\n".join(parts)
    rev = s.revision(body)
    return (s.header("SIP trunks of Centrex (included by pjsip.conf)") + "\n" + body + "\n"
            + sentinel.format(rev=rev))


async def verify_trunks(ami: AMIClient, old: str, new: str) -> None:
    try:
        _, events = await ami.action_list("PJSIPShowEndpoint", Endpoint=TRUNK_REVISION_ENDPOINT)
    except AMIError as exc:
        raise VerificationError(f"Asterisk did not load {TRUNKS_FILE}") from exc
    expected = f"CENTREX_REVISION={s.revision_of(new)}"
    if not any(expected in e.getlist("SetVar") for e in events if e.name == "EndpointDetail"):
        raise VerificationError(f"Asterisk does not hold the new {TRUNKS_FILE}")
    registrations = set()
    for block in new.split("\n\n"):
        name = next((line[1:-1] for line in block.splitlines() if line.startswith("[")), "")
        if not name.startswith("trunk-"):
            continue
        if "type = registration" in block:
            registrations.add(name)
        elif "type = endpoint" in block:
            try:
                await ami.action_list("PJSIPShowEndpoint", Endpoint=name)
            except AMIError as exc:
                raise VerificationError(f"Asterisk refused the trunk {name}") from exc
    if registrations:
        try:
            _, events = await ami.action_list("PJSIPShowRegistrationsOutbound")
        except AMIError:
            events = []
        loaded = {e.get("ObjectName") for e in events}
        if registrations - loaded:
            raise VerificationError(
                f"Asterisk refused the registrations {sorted(registrations - loaded)}")


# -- routes and inbound numbers: dialplan ----------------------------------------------------
DIALPLAN_STATIC = f"""[{TRUNK_SUB}]
; Try one trunk: ARG1 endpoint, ARG2 number to send, ARG3 maximum channels (0: no limit),
; ARG4 the trunk's default outbound number. Returns (the route tries the next trunk) when
; the trunk is at its limit or refuses the call (CHANUNAVAIL, CONGESTION: a 503...);
; otherwise the call is over and the channel hangs up.
exten => s,1,Set(LOCAL(used)=${{GROUP_COUNT(${{ARG1}}@{GROUP_CATEGORY})}})
 same => n,GotoIf($[${{ARG3}} > 0 & ${{used}} >= ${{ARG3}}]?full)
 same => n,Set(GROUP({GROUP_CATEGORY})=${{ARG1}})
 same => n,Set(LOCAL(cid)=${{ARG4}})
 same => n,GotoIf($["${{CENTREX_EXTEN}}" = ""]?cid)
 same => n,GotoIf($[${{DB_EXISTS({CALLERID_FAMILY}/${{CENTREX_EXTEN}})}} = 0]?cid)
 same => n,Set(LOCAL(cid)=${{DB_RESULT}})
 same => n(cid),GotoIf($["${{cid}}" = ""]?dial)
 same => n,Set(CALLERID(num)=${{cid}})
 same => n(dial),Dial(PJSIP/${{ARG2}}@${{ARG1}})
 same => n,GotoIf($["${{DIALSTATUS}}" = "CHANUNAVAIL" | "${{DIALSTATUS}}" = "CONGESTION"]?next)
 same => n,GotoIf($["${{DIALSTATUS}}" = "BUSY"]?busy)
 same => n,Hangup()
 same => n(busy),Busy(10)
 same => n,Hangup()
 same => n(next),NoOp(trunk ${{ARG1}} refused: ${{DIALSTATUS}})
 same => n,Return()
 same => n(full),NoOp(trunk ${{ARG1}} at its limit of ${{ARG3}} calls)
 same => n,Return()

[centrex-sub-route-failed]
; Every trunk of the route failed or was full.
exten => s,1,Progress()
 same => n,Playback(all-circuits-busy-now,noanswer)
 same => n,Congestion(5)
 same => n,Hangup()

[{FROM_TRUNK_SUB}]
; A call from a trunk: refused (503) when the trunk is at its channel limit, else counted on
; the trunk, and the caller named from the directory.
exten => s,1,Set(LOCAL(used)=${{GROUP_COUNT(${{CHANNEL(endpoint)}}@{GROUP_CATEGORY})}})
 same => n,GotoIf($[0${{CENTREX_TRUNK_LIMIT}} > 0 & ${{used}} >= 0${{CENTREX_TRUNK_LIMIT}}]?full)
 same => n,Set(GROUP({GROUP_CATEGORY})=${{CHANNEL(endpoint)}})
 same => n,Set(LOCAL(num)=${{FILTER(0123456789+,${{CALLERID(num)}})}})
 same => n,GotoIf($["${{num}}" = ""]?done)
 same => n,GotoIf($[${{DB_EXISTS({CALLERNAME_FAMILY}/${{num}})}} = 0]?done)
 same => n,Set(CALLERID(name)=${{DB_RESULT}})
 same => n(done),Return()
 same => n(full),NoOp(trunk ${{CHANNEL(endpoint)}} at its limit of ${{CENTREX_TRUNK_LIMIT}})
 same => n,Hangup(34)
"""


def _route_lines(route: Route, trunks: list[Trunk]) -> list[str]:
    if not PATTERN_RE.fullmatch(route.pattern):
        raise s.ConfigSyntaxError(f"invalid route pattern: {route.pattern!r}")
    exten = route.dialplan_pattern
    number = s.arg(route.prepend) + (f"${{EXTEN:{int(route.strip)}}}" if route.strip
                                     else "${EXTEN}")
    lines = [f"; route {s.comment_text(route.name)}",
             f"exten => {exten},1,Set(CENTREX_ROUTE_NUMBER={number})"]
    for t in trunks:
        args = ",".join((s.name(t.endpoint), "${CENTREX_ROUTE_NUMBER}", str(int(t.max_channels)),
                         s.arg(t.default_caller_id)))
        lines.append(f" same => n,Gosub({TRUNK_SUB},s,1({args}))")
    lines += [" same => n,Goto(centrex-sub-route-failed,s,1)"]
    return lines


def render_dialplan() -> str:
    trunks_of: dict[int, list[Trunk]] = {}
    for rt in RouteTrunk.objects.select_related("trunk").order_by("route_id", "position", "pk"):
        trunks_of.setdefault(rt.route_id, []).append(rt.trunk)
    routes = list(Route.objects.order_by("pattern"))
    route_lines = [f"[{ROUTE_CONTEXT}]",
                   "; Dial a number through the outbound routes (no rights checked here)."]
    outbound = [f"[{OUTBOUND_CONTEXT}]",
                "; What phones dial to the outside: the caller's rights, then the routes."]
    for route in routes:
        route_lines += _route_lines(route, trunks_of.get(route.pk, []))
        outbound += [
            f"exten => {route.dialplan_pattern},1,Gosub({CHECK_RIGHTS_SUB},s,1(${{EXTEN}}))",
            f" same => n,Goto({ROUTE_CONTEXT},${{EXTEN}},1)",
        ]
    inbound = [f"[{FROM_TRUNK_CONTEXT}]",
               "; Calls from the trunks: one extension per inbound number (DID)."]
    for did in InboundNumber.objects.order_by("number"):
        number, target = s.arg(did.number), s.arg(did.target)
        # The number called, kept in the CDR: once the call goes on to its target, the
        # CDR's dst is that extension (docs/records.md).
        inbound += [f"exten => {number},1,Set(CDR(userfield)={DID_TAG}${{EXTEN}})",
                    f" same => n,Gosub({FROM_TRUNK_SUB},s,1)"]
        if did.destination == VOICEMAIL:
            inbound += [" same => n,Answer()",
                        f" same => n,VoiceMail({target}@{VOICEMAIL_CONTEXT},u)",
                        " same => n,Hangup()"]
        else:
            inbound.append(f" same => n,Goto({INTERNAL_CONTEXT},{target},1)")
    inbound += ["; Any other number: refused (404 Not Found to the operator).",
                "exten => _X.,1,Hangup(1)", "exten => _+X.,1,Hangup(1)",
                "exten => s,1,Hangup(1)"]
    body = (DIALPLAN_STATIC + "\n" + "\n".join(route_lines) + "\n\n" + "\n".join(outbound)
            + "\n\n" + "\n".join(inbound) + "\n")
    return dialplan.render("Outbound routes and inbound numbers of Centrex", body,
                           REVISION_CONTEXT)


# -- AstDB: outbound caller IDs and caller names ---------------------------------------------
def callerid_keys() -> dict[str, str]:
    """``<extension>``: the number shown on that phone's outgoing calls, when its user or
    their department has one (else no key: the trunk's default number)."""
    from centrex.telephony.models import Phone

    keys = {}
    for ext, own, dept in Phone.objects.filter(user__isnull=False).values_list(
            "extension", "user__outbound_caller_id", "user__department__outbound_caller_id"):
        if own or dept:
            keys[ext] = own or dept
    return keys


def _variants(number: str) -> list[str]:
    """The keys a number is found under: as stored, and ``+33...`` also as ``0033...``."""
    return [number, "00" + number[1:]] if number.startswith("+") else [number]


def callername_keys() -> dict[str, str]:
    """``<number>``: the caller name of incoming calls from that number. Users (their
    outbound number) come first, then shared contacts in name order; private contacts are
    never used (their name is for their creator only)."""
    from centrex.core.models import User
    from centrex.directory.models import NUMBER_FIELDS, Contact

    keys: dict[str, str] = {}

    def put(number: str, name: str) -> None:
        name = " ".join(name.replace(";", " ").replace("[", " ").replace("]", " ").split())
        for key in _variants(number):
            if key and name and key not in keys:
                keys[key] = name[:80]

    for user in User.objects.exclude(outbound_caller_id="").order_by("pk"):
        put(user.outbound_caller_id, user.display_name)
    for contact in Contact.objects.filter(private=False).order_by("last_name", "first_name",
                                                                  "pk"):
        for field in NUMBER_FIELDS:
            put(getattr(contact, field), contact.display_name)
    return keys


register(ConfFile(TRUNKS_FILE, render_trunks, "res_pjsip.so", verify_trunks, order=12))
register(ConfFile(DIALPLAN_FILE, render_dialplan, "pbx_config.so",
                  dialplan.verifier(DIALPLAN_FILE, REVISION_CONTEXT), order=35))
register(ConfFile("centrex_astdb_callerid.conf",
                  astdb.renderer("Outbound caller IDs of Centrex phones", callerid_keys), None,
                  astdb.verifier(CALLERID_FAMILY), order=16,
                  push=astdb.pusher(CALLERID_FAMILY)))
register(ConfFile("centrex_astdb_callernames.conf",
                  astdb.renderer("Caller names of incoming calls", callername_keys), None,
                  astdb.verifier(CALLERNAME_FAMILY), order=17,
                  push=astdb.pusher(CALLERNAME_FAMILY)))
include_dialplan_file(DIALPLAN_FILE)
include_in_phones(OUTBOUND_CONTEXT, 50)


def _watch() -> None:
    from centrex.core.models import Department, User
    from centrex.directory.models import Contact

    watch(Trunk, Route, RouteTrunk, InboundNumber, User, Department, Contact)


_watch()
