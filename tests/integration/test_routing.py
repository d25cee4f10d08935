"""Trunks, outbound routes, inbound numbers, outbound caller ID and caller names, with real
calls: SIPp plays the operators on the loopback (tests/sip/uas_operator*.xml answer or
refuse the calls Asterisk sends to a trunk, routing_operator_*.xml send calls to Asterisk
as a trunk would). Extensions 3200-3299, numbers 01550032xx.
"""

from __future__ import annotations

import asyncio

import pytest

from centrex.core.models import Department
from centrex.directory.models import Contact
from centrex.pbx.ami import AMIClient
from centrex.routing import confgen, services
from centrex.routing.models import ADDRESS, REGISTRATION, InboundNumber, Route, Trunk
from tests.integration.test_calls import asterisk_log_tail, new_line
from tests.sipp import free_udp_port, wait_udp_bound

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


# -- helpers -----------------------------------------------------------------------------------
def operator_trunk(name: str, port: int, **fields) -> Trunk:
    """An address-based trunk to a SIPp operator on ``port`` of the loopback."""
    return services.save_trunk(Trunk(
        name=name, host="127.0.0.1", port=port, auth_mode=ADDRESS,
        match=f"127.0.0.1:{port}", codecs="alaw", **fields))


def operator(sip, scenario: str, port: int, *, ring_ms: int = 300, timeout: float = 30.0):
    proc = sip.sipp(scenario, local_port=port, hold_ms=ring_ms, timeout=timeout,
                    name=f"{scenario}-{port}")
    proc.start()
    assert wait_udp_bound(port), proc.report()
    return proc


def invites(proc) -> list[str]:
    return [line for line in proc.log_lines() if line.startswith("INVITE URI")]


def dialplan_of(asterisk, context: str) -> str:
    async def ask() -> str:
        ami = AMIClient(**asterisk.ami, reconnect=False)
        await ami.connect()
        try:
            _, events = await ami.action_list("ShowDialPlan", Context=context)
        finally:
            await ami.close()
        return "\n".join(f"{e.get('Extension')},{e.get('Priority')},{e.get('Application')}"
                         f"({e.get('AppData')})" for e in events if e.get("Application"))

    return asyncio.run(ask())


# -- trunks ------------------------------------------------------------------------------------
def test_trunks_are_loaded_by_pjsip_and_the_password_is_only_in_the_file(asterisk):
    assert "#tryinclude centrex_pjsip_trunks.conf" in (
        asterisk.etc_dir / "pjsip.conf").read_text()
    services.save_trunk(Trunk(
        name="reg-3200", host="127.0.0.1", port=free_udp_port(), auth_mode=REGISTRATION,
        username="centrex3200", codecs="g722,alaw,ulaw", max_channels=4,
        default_caller_id="0155003200"), password="S3cret-3200")
    out = asterisk.cli("pjsip show endpoint trunk-reg-3200")
    assert "g722|alaw|ulaw" in out.replace(", ", "|") or "(g722|alaw|ulaw)" in out, out
    assert "trunk-reg-3200" in asterisk.cli("pjsip show registrations")
    assert "centrex3200" in asterisk.cli("pjsip show auth trunk-reg-3200")
    services.delete(Trunk.objects.get(name="reg-3200"))
    assert "Unable to find" in asterisk.cli("pjsip show endpoint trunk-reg-3200") or \
        "trunk-reg-3200" not in asterisk.cli("pjsip show endpoints")


# -- outbound ----------------------------------------------------------------------------------
def test_outbound_call_reaches_trunk_1_with_the_number_and_the_callers_number(
        asterisk, sip, rtp):
    port = free_udp_port()
    trunk = operator_trunk("op-3210", port, default_caller_id="0155003299")
    services.save_route(Route(name="Test 3210", pattern="015500321X", strip=1,
                              prepend="+33"), [trunk])
    caller = new_line("3210", "Olga Outbound")
    dept = Department.objects.create(name="Routing 3210", outbound_caller_id="0155003211")
    caller.phone.user.department = dept
    caller.phone.user.save()
    services.save_trunk(trunk)  # applies the caller ID keys too

    op = operator(sip, "uas_operator", port)
    call = sip.caller(caller.user, caller.password, "0155003219", media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok(f"call through the trunk{asterisk_log_tail(asterisk)}")
    result = op.wait()
    result.assert_ok("operator")
    assert any("sip:+33155003219@127.0.0.1" in line for line in result.logs), result.describe()
    from_line = next(line for line in result.logs if line.startswith("INVITE FROM"))
    assert "<sip:0155003211@" in from_line, from_line  # the department's number
    pai = next(line for line in result.logs if line.startswith("INVITE PAI"))
    assert "0155003211" in pai, pai


def test_503_from_trunk_1_fails_over_to_trunk_2_with_its_own_default_number(
        asterisk, sip, rtp):
    port1, port2 = free_udp_port(), free_udp_port()
    down = operator_trunk("op-3220a", port1, default_caller_id="0155003221")
    up = operator_trunk("op-3220b", port2, default_caller_id="0155003222")
    services.save_route(Route(name="Test 3220", pattern="0155003220"), [down, up])
    caller = new_line("3220", "Fabien Failover")

    refusing = operator(sip, "uas_operator_503", port1)
    answering = operator(sip, "uas_operator", port2)
    call = sip.caller(caller.user, caller.password, "0155003220", media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok(f"failed-over call{asterisk_log_tail(asterisk)}")
    refused = refusing.wait()
    assert refused.has_log("REFUSED 503"), refused.describe()
    result = answering.wait()
    result.assert_ok("trunk 2")
    from_line = next(line for line in result.logs if line.startswith("INVITE FROM"))
    assert "<sip:0155003222@" in from_line, from_line  # no user/department number: trunk's


def test_trunk_at_its_channel_limit_is_skipped(asterisk, sip, rtp):
    port1, port2 = free_udp_port(), free_udp_port()
    small = operator_trunk("op-3230a", port1, max_channels=1)
    spare = operator_trunk("op-3230b", port2)
    services.save_route(Route(name="Test 3230", pattern="015500323X"), [small, spare])
    first = new_line("3231", "Fanny First")
    second = new_line("3232", "Simon Second")
    first.phone.user.outbound_caller_id = "0155003231"
    first.phone.user.save()
    services.save_trunk(small)

    busy_op = operator(sip, "uas_operator", port1)
    spare_op = operator(sip, "uas_operator", port2)
    holding = sip.caller(first.user, first.password, "0155003231", media_port=rtp.port,
                         hold_ms=6000, timeout=25)
    holding.wait_for_log("ANSWERED", timeout=10)
    call = sip.caller(second.user, second.password, "0155003232",
                      media_port=free_udp_port(), hold_ms=1000, timeout=20)
    call.wait().assert_ok(f"second call{asterisk_log_tail(asterisk)}")
    spare_result = spare_op.wait()
    spare_result.assert_ok("spare trunk")
    assert any("0155003232@" in line for line in spare_result.logs), spare_result.describe()
    holding.wait().assert_ok("first call")
    busy_result = busy_op.wait()
    assert len(invites(busy_op)) == 1, busy_result.describe()
    from_line = next(line for line in busy_result.logs if line.startswith("INVITE FROM"))
    assert "<sip:0155003231@" in from_line, from_line  # the user's own number


def test_an_inbound_call_over_the_channel_limit_is_refused(asterisk, sip, rtp):
    """A trunk of one channel busy with an outgoing call: the operator's next call in gets
    503. The operator sends from a second port, also one of the trunk's addresses."""
    port, inbound_port = free_udp_port(), free_udp_port()
    trunk = operator_trunk("op-3235", port, max_channels=1)
    trunk.match = f"127.0.0.1:{port},127.0.0.1:{inbound_port}"
    services.save_trunk(trunk)
    services.save_route(Route(name="Test 3235", pattern="0155003235"), [trunk])
    caller = new_line("3235", "Olivier Occupied")
    new_line("3236", "Ines Inboundlimit")
    services.save_inbound_number(InboundNumber(number="0155003236", target="3236"))

    op = operator(sip, "uas_operator", port)
    holding = sip.caller(caller.user, caller.password, "0155003235", media_port=rtp.port,
                         hold_ms=6000, timeout=25)
    holding.wait_for_log("ANSWERED", timeout=10)
    refused = sip.sipp("routing_operator_busy", local_port=inbound_port, timeout=10,
                       variables={"from": "0612003236", "dest": "0155003236",
                                  "mport": free_udp_port()}).run()
    refused.assert_ok(f"call in over the limit{asterisk_log_tail(asterisk)}")
    assert refused.has_log("REFUSED 503"), refused.describe()
    holding.wait().assert_ok("the call holding the channel")
    op.wait().assert_ok("operator")


def test_outbound_context_checks_rights_before_routing(asterisk):
    trunk = operator_trunk("op-3240", free_udp_port())
    services.save_route(Route(name="Test 3240", pattern="015500324X"), [trunk])
    outbound = dialplan_of(asterisk, confgen.OUTBOUND_CONTEXT)
    assert ("_015500324X,1,Gosub(centrex-sub-check-rights,s,1(${EXTEN}))" in outbound), outbound
    assert "_015500324X,2,Goto(centrex-route,${EXTEN},1)" in outbound, outbound
    assert "include => centrex-outbound" in (asterisk.etc_dir / "centrex_extensions.conf"
                                             ).read_text()


# -- inbound -----------------------------------------------------------------------------------
def test_a_did_rings_its_phone_with_the_directory_name_of_the_caller(asterisk, sip, rtp):
    port = free_udp_port()
    operator_trunk("op-3250", port)
    callee = new_line("3250", "Ines Inbound")
    new_line("3251", "Other Phone")
    services.save_inbound_number(InboundNumber(number="0155003250", target="3250"))
    services.save_inbound_number(InboundNumber(number="0155003251", target="3251"))
    Contact.objects.create(first_name="Carla", last_name="Contact", number1="0612003250")
    Contact.objects.create(first_name="Secret", last_name="Private", number1="0612003251",
                           private=True)
    services.save_trunk(Trunk.objects.get(name="op-3250"))  # applies the caller names

    phone = sip.callee(callee.user, callee.password, "uas_answer", ring_ms=300)
    call = sip.sipp("routing_operator_call", local_port=port, hold_ms=1000, timeout=20,
                    variables={"from": "0612003250", "dest": "0155003250",
                               "mport": rtp.port})
    call.run().assert_ok(f"operator call{asterisk_log_tail(asterisk)}")
    result = phone.wait()
    result.assert_ok("phone of the DID")
    from_line = next(line for line in result.logs if line.startswith("INVITE FROM"))
    assert '"Carla Contact"' in from_line and "<sip:0612003250@" in from_line, from_line


def test_a_private_contact_does_not_name_the_caller_and_an_unknown_did_is_refused(
        asterisk, sip, rtp):
    port = free_udp_port()
    operator_trunk("op-3260", port)
    callee = new_line("3260", "Paul Private")
    services.save_inbound_number(InboundNumber(number="0155003260", target="3260"))
    Contact.objects.create(first_name="Secret", last_name="Person", number1="0612003260",
                           private=True)
    services.save_trunk(Trunk.objects.get(name="op-3260"))
    assert "0612003260" not in confgen.callername_keys()

    phone = sip.callee(callee.user, callee.password, "uas_answer", ring_ms=300)
    sip.sipp("routing_operator_call", local_port=port, hold_ms=500, timeout=20,
             variables={"from": "0612003260", "dest": "0155003260", "mport": rtp.port},
             ).run().assert_ok(f"operator call{asterisk_log_tail(asterisk)}")
    from_line = next(line for line in phone.wait().logs if line.startswith("INVITE FROM"))
    assert "Secret" not in from_line, from_line

    refused = sip.sipp("routing_operator_refused", local_port=port, timeout=10,
                       variables={"from": "0612003260", "dest": "0155003269",
                                  "mport": rtp.port}).run()
    refused.assert_ok("call to an unknown number")
    assert refused.has_log("REFUSED 404"), refused.describe()


def test_a_did_to_voicemail_answers_with_the_box(asterisk, sip, rtp):
    port = free_udp_port()
    operator_trunk("op-3270", port)
    box = new_line("3270", "Victor Voicemail")
    services.save_inbound_number(InboundNumber(number="0155003270", destination="voicemail",
                                               target="3270"))
    assert "VoiceMail(3270@centrex,u)" in dialplan_of(asterisk, confgen.FROM_TRUNK_CONTEXT)
    sip.sipp("routing_operator_call", local_port=port, hold_ms=1500, timeout=20,
             variables={"from": "0612003270", "dest": "0155003270", "mport": rtp.port},
             ).run().assert_ok(f"call to the voicemail DID{asterisk_log_tail(asterisk)}")
    assert box.phone.voicemail_enabled


# -- pages and API -----------------------------------------------------------------------------
def test_pages_create_a_trunk_a_route_and_an_inbound_number_and_never_show_the_password(
        asterisk):
    from centrex.core.models import User
    from tests.factories import client_for

    admin = User.objects.create_superuser("routing-admin", password="x" * 16)
    client = client_for(admin)
    new_line("3280", "Pages Phone")
    response = client.post("/manage/trunks/new/", {
        "name": "page-3280", "host": "192.0.2.80", "port": 5060, "transport": "udp",
        "auth_mode": "registration", "username": "acct3280", "new_password": "Pw-3280-secret",
        "match": "", "codecs": "alaw, ulaw", "max_channels": 2,
        "default_caller_id": "0155003280"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    trunk = Trunk.objects.get(name="page-3280")
    assert trunk.password == "Pw-3280-secret" and trunk.codecs == "alaw,ulaw"
    assert "trunk-page-3280" in asterisk.cli("pjsip show registrations")
    for url in ("/manage/trunks/", f"/manage/trunks/{trunk.pk}/edit/"):
        page = client.get(url)
        assert page.status_code == 200 and b"page-3280" in page.content
        assert b"Pw-3280-secret" not in page.content
    # Saving the form again without a password keeps it.
    client.post(f"/manage/trunks/{trunk.pk}/edit/", {
        "name": "page-3280", "host": "192.0.2.81", "port": 5060, "transport": "udp",
        "auth_mode": "registration", "username": "acct3280", "new_password": "",
        "match": "", "codecs": "alaw", "max_channels": 2, "default_caller_id": ""})
    trunk.refresh_from_db()
    assert trunk.host == "192.0.2.81" and trunk.password == "Pw-3280-secret"

    response = client.post("/manage/routes/new/", {
        "name": "Pages 3280", "pattern": "015500328X", "strip": 0, "prepend": "",
        "trunk_1": trunk.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert "_015500328X" in dialplan_of(asterisk, confgen.ROUTE_CONTEXT)
    bad = client.post("/manage/routes/new/", {"name": "Bad", "pattern": "0Z.;Hangup",
                                              "strip": 0, "trunk_1": trunk.pk})
    assert bad.status_code == 200 and not Route.objects.filter(name="Bad").exists()

    response = client.post("/manage/inbound-numbers/new/", {
        "number": "0155003280", "destination": "extension", "target": "3280"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert "0155003280" in dialplan_of(asterisk, confgen.FROM_TRUNK_CONTEXT)
    unknown = client.post("/manage/inbound-numbers/new/", {
        "number": "0155003281", "destination": "extension", "target": "3289"})
    assert unknown.status_code == 200 and not InboundNumber.objects.filter(
        number="0155003281").exists()

    route = Route.objects.get(name="Pages 3280")
    client.post(f"/manage/routes/{route.pk}/delete/")
    client.post(f"/manage/trunks/{trunk.pk}/delete/")
    assert not Trunk.objects.filter(name="page-3280").exists()
    assert "_015500328X" not in dialplan_of(asterisk, confgen.ROUTE_CONTEXT)


def test_api_trunk_password_is_write_only_and_routes_take_trunk_names(asterisk):
    from centrex.core.models import User
    from tests.factories import api_client

    api = api_client(User.objects.create_superuser("routing-api", password="x" * 16))
    created = api.post("/api/v1/trunks", {
        "name": "api-3290", "host": "192.0.2.90", "username": "acct3290",
        "password": "Api-3290-pw", "codecs": "g722,alaw"}, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert "password" not in body and body["has_password"] is True
    tid = body["id"]
    changed = api.patch(f"/api/v1/trunks/{tid}", {"max_channels": 3},
                        content_type="application/json")
    assert changed.status_code == 200 and Trunk.objects.get(pk=tid).password == "Api-3290-pw"
    assert b"Api-3290-pw" not in api.get("/api/v1/trunks").content

    route = api.post("/api/v1/routes", {"name": "API 3290", "pattern": "015500329X",
                                        "trunks": ["api-3290"]},
                     content_type="application/json")
    assert route.status_code == 201, route.content
    assert route.json()["trunks"] == ["api-3290"]
    unknown = api.post("/api/v1/routes", {"name": "API 3291", "pattern": "015500339X",
                                          "trunks": ["nope"]}, content_type="application/json")
    assert unknown.status_code == 400
    new_line("3290", "Api Phone")
    did = api.post("/api/v1/inbound-numbers", {"number": "0155003290", "target": "3290"},
                   content_type="application/json")
    assert did.status_code == 201, did.content
    bad = api.post("/api/v1/inbound-numbers", {"number": "0155003291", "target": "3299"},
                   content_type="application/json")
    assert bad.status_code == 400 and "target" in bad.json()["errors"]
    assert api.delete(f"/api/v1/routes/{route.json()['id']}").status_code == 204
    assert api.delete(f"/api/v1/trunks/{tid}").status_code == 204
