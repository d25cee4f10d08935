"""Call rights, emergency numbers, allowed countries and external forwards, with real calls
through the managed Asterisk: SIPp plays the operator behind a trunk (tests/sip/
uas_operator.xml) and the phones; a refused call is answered with the announcement and hung
up by Asterisk (tests/sip/rights_uac_announcement.xml) and the operator never sees it.
Extensions 3300-3399, numbers ending in 33xx.
"""

from __future__ import annotations

import asyncio
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centrex.core.models import User
from centrex.pbx.ami import AMIClient
from centrex.pbx.apply import apply
from centrex.rights import numbers, services
from centrex.rights.models import EmergencyNumber, RightsSettings
from centrex.routing import services as routing
from centrex.routing.models import Route, Trunk
from centrex.telephony.forwards import update_forwards
from centrex.telephony.models import CALL_RIGHTS, Phone
from centrex.telephony.services import create_phone_with_user
from tests.factories import api_token, client_for
from tests.integration.test_calls import asterisk_log_tail, new_line
from tests.integration.test_routing import invites, operator_trunk
from tests.integration.test_routing import operator as routing_operator
from tests.sipp import free_udp_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ANNOUNCEMENT = "cannot-complete-as-dialed"


# -- helpers -----------------------------------------------------------------------------------
def admin() -> User:
    return User.objects.create_superuser("rights-admin", password="x" * 16)


def trunk_for(name: str, port: int, *numbers_: str) -> Trunk:
    """An address-based trunk to a SIPp operator on ``port``, and one exact route per number
    (exact patterns: the Asterisk is shared with other tests' routes)."""
    trunk = operator_trunk(name, port)
    for number in numbers_:
        routing.save_route(Route(name=f"Rights {number}", pattern=number), [trunk])
    return trunk


def operator(sip, port: int):
    """A SIPp operator answering the calls sent to the trunk on ``port``."""
    return routing_operator(sip, "uas_operator", port)


def set_rights(phone: Phone, **rights: bool) -> None:
    """Rights changed in the database and applied (AstDB ``centrex-phone/rights/<ext>``)."""
    values = {f"right_{name}": rights.get(name, False) for name, _label in CALL_RIGHTS}
    Phone.objects.filter(pk=phone.pk).update(**values)
    apply()


def refused_call(sip, line, dest: str, rtp):
    call = sip.sipp("rights_uac_announcement", auth=(line.user, line.password), timeout=20,
                    name=f"rights-refused-{line.extension}-{dest}",
                    variables={"user": line.user, "dest": dest, "mport": rtp.port})
    return call.run()


def assert_refused(asterisk, result, op, dest: str) -> None:
    result.assert_ok(f"refused call to {dest}{asterisk_log_tail(asterisk)}")
    assert result.has_log("HUNG UP BY PEER"), result.describe()
    log = asterisk_log_tail(asterisk, 400)
    assert f"Centrex: {dest} (" in log, log
    assert f"Playing '{ANNOUNCEMENT}.gsm' (language 'fr')" in log, log  # phones are French
    assert not invites(op), op.report()


def allowed_call(sip, line, dest: str, rtp, op, asterisk) -> None:
    call = sip.caller(line.user, line.password, dest, media_port=rtp.port, hold_ms=800,
                      timeout=20)
    call.wait().assert_ok(f"call to {dest}{asterisk_log_tail(asterisk)}")
    result = op.wait()
    result.assert_ok("operator")
    assert any(f"sip:{dest}@127.0.0.1" in line for line in result.logs), result.describe()


def getvar(asterisk, expressions: list[str]) -> list[str]:
    """Dialplan functions evaluated by Asterisk (AMI Getvar without a channel)."""

    async def ask() -> list[str]:
        ami = AMIClient(**asterisk.ami, reconnect=False)
        await ami.connect()
        try:
            return [(await ami.action("Getvar", Variable=e)).get("Value", "") or ""
                    for e in expressions]
        finally:
            await ami.close()

    return asyncio.run(ask())


# -- calls -------------------------------------------------------------------------------------
def test_an_allowed_call_goes_out_to_the_trunk(asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("rights-3301", port, "0155003301")
    line = new_line("3301", "Laura Local")  # default rights: internal, local, mobile
    op = operator(sip, port)
    allowed_call(sip, line, "0155003301", rtp, op, asterisk)


def test_a_forbidden_call_gets_the_announcement_and_never_reaches_the_trunk(
        asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("rights-3311", port, "0899003311")
    line = new_line("3311", "Paul Premium")  # no services right by default
    op = operator(sip, port)
    result = refused_call(sip, line, "0899003311", rtp)
    op.stop()
    assert_refused(asterisk, result, op, "0899003311")


def test_an_emergency_number_works_from_a_phone_with_every_right_off(asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("rights-3321", port, "112", "0155003321")
    line = new_line("3321", "Nora Norights")
    set_rights(line.phone)
    assert "112" in RightsSettings.emergency_numbers()
    op = operator(sip, port)
    allowed_call(sip, line, "112", rtp, op, asterisk)
    # ...and nothing else: a local number is refused to this phone.
    op2 = operator(sip, port)
    result = refused_call(sip, line, "0155003321", rtp)
    op2.stop()
    assert_refused(asterisk, result, op2, "0155003321")


def test_international_only_to_the_allowed_countries(asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("rights-3331", port, "0044207946033", "0049301234533")
    line = new_line("3331", "Ingrid International")
    set_rights(line.phone, internal=True, local=True, mobile=True, international=True)
    services.update_settings("FR", ["GB"], RightsSettings.emergency_numbers())
    op = operator(sip, port)
    allowed_call(sip, line, "0044207946033", rtp, op, asterisk)
    op2 = operator(sip, port)
    result = refused_call(sip, line, "0049301234533", rtp)
    op2.stop()
    assert_refused(asterisk, result, op2, "0049301234533")


def test_an_external_forward_uses_the_forwarding_phones_rights(asterisk, sip, rtp):
    port = free_udp_port()
    trunk_for("rights-3341", port, "0655003341")
    forwarding = new_line("3341", "Fred Forward")
    caller = new_line("3342", "Carl Caller")
    set_rights(caller.phone, internal=True)  # the caller may not call mobiles itself
    boss = admin()
    update_forwards(forwarding.phone, {"forward_always": "0655003341"}, boss)
    op = operator(sip, port)
    call = sip.caller(caller.user, caller.password, "3341", media_port=rtp.port,
                      hold_ms=800, timeout=20)
    call.wait().assert_ok(f"forwarded call{asterisk_log_tail(asterisk)}")
    result = op.wait()
    result.assert_ok("operator")
    assert any("sip:0655003341@127.0.0.1" in line for line in result.logs), result.describe()

    # Rights taken away behind the portal's back: the dialplan still refuses the forward.
    set_rights(forwarding.phone, internal=True)
    op2 = operator(sip, port)
    result = refused_call(sip, caller, "3341", rtp)
    op2.stop()
    assert_refused(asterisk, result, op2, "0655003341")


def test_an_external_forward_to_a_forbidden_destination_is_refused(asterisk):
    line = new_line("3351", "Sam Services")
    boss = admin()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        update_forwards(line.phone, {"forward_always": "0899003351"}, boss)
    assert "do not allow" in str(exc.value), exc.value
    with pytest.raises(ValidationError) as exc:
        update_forwards(line.phone, {"forward_busy": "0049301234551"}, boss)
    with pytest.raises(ValidationError):  # the owner lacks the "renvoi_externe" profile
        update_forwards(line.phone, {"forward_always": "0655003351"}, line.phone.user)
    line.phone.refresh_from_db()
    assert line.phone.forward_always == "" and line.phone.forward_busy == ""
    update_forwards(line.phone, {"forward_no_answer": "0655003351"}, boss)
    assert Phone.objects.get(pk=line.phone.pk).forward_no_answer == "0655003351"


# -- Python and the dialplan agree ------------------------------------------------------------
TABLE = ["112", "15", "0155003361", "+33155003361", "0033155003361", "0972003361",
         "0655003361", "0755003361", "0800003361", "0899003361", "0810003361", "3615",
         "118218", "0044207946061", "+447700900161", "0049301234561", "0012125550161",
         "061234", "06123456789", "99", "3361"]


def test_dialplan_classes_agree_with_python(asterisk):
    create_phone_with_user("3361", "Tina Table")
    services.update_settings("FR", ["GB", "US"], RightsSettings.emergency_numbers())
    settings = services.current()
    sub = asterisk.cli("dialplan show centrex-sub-check-rights")
    contexts = [("emergency", "centrex-rights-emergency"), ("internal", "centrex-internal")]
    for name, number_class, _pats in numbers.dialplan_rules("FR"):
        assert f"centrex-rights-{name}," in sub, sub
        contexts.append((number_class, f"centrex-rights-{name}"))
    for number in TABLE:
        answers = getvar(asterisk, [f"DIALPLAN_EXISTS({ctx},{number},1)"
                                    for _c, ctx in contexts]
                         + [f"DIALPLAN_EXISTS(centrex-rights-countries,{number},1)"])
        in_asterisk = next((c for (c, _ctx), a in zip(contexts, answers[:-1], strict=True)
                            if a == "1"), numbers.UNKNOWN)
        python = services.classify(number, settings)
        assert in_asterisk == python.number_class, (number, in_asterisk, python)
        if python.number_class == numbers.INTERNATIONAL:
            assert (answers[-1] == "1") == (python.country in ("GB", "US")), number


# -- settings: numbering plan, pages, API ------------------------------------------------------
def test_emergency_numbers_belong_to_the_numbering_plan(asterisk):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        create_phone_with_user("112", "Eve Emergency", apply_now=False)
    assert "emergency" in str(exc.value)
    new_line("3371", "Olga Occupied")
    with pytest.raises(ValidationError):
        services.update_settings("FR", [], ["112", "3371"])
    services.update_settings("FR", [], ["112", "3372"])
    assert list(EmergencyNumber.objects.values_list("number", flat=True)) == ["112", "3372"]
    assert "exten => 3372,1,Goto(centrex-route,3372,1)" in (
        asterisk.etc_dir / "centrex_rights.conf").read_text()


def test_settings_page_and_classify_helper(asterisk):
    boss = admin()
    client = client_for(boss)
    page = client.get("/manage/call-rights/?number=0899003381")
    assert page.status_code == 200
    assert 'id="verdict"' in page.content.decode()
    saved = client.post("/manage/call-rights/", {
        "home_country": "FR", "allowed_countries": ["BE", "CH"],
        "emergency_numbers": "112 15 17 18"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert services.current()["allowed_countries"] == ["BE", "CH"]
    assert "_0032." in (asterisk.etc_dir / "centrex_rights.conf").read_text()
    bad = client.post("/manage/call-rights/", {
        "home_country": "FR", "allowed_countries": [], "emergency_numbers": "1a2"})
    assert bad.status_code == 200 and services.current()["emergency_numbers"] == [
        "15", "17", "18", "112"]
    user_client = client_for(new_line("3382", "Ulla User").phone.user)
    assert user_client.get("/manage/call-rights/").status_code == 403


def test_api_settings_and_classify(asterisk):
    boss = admin()
    client = client_for(None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(boss)}"}
    got = client.get("/api/v1/call-rights", **headers)
    assert got.status_code == 200, got.content
    assert got.json()["home_country"] == "FR" and "112" in got.json()["emergency_numbers"]
    put = client.put("/api/v1/call-rights", json.dumps({
        "home_country": "FR", "allowed_countries": ["GB"],
        "emergency_numbers": ["112", "15"]}), content_type="application/json", **headers)
    assert put.status_code == 200, put.content
    assert put.json()["allowed_countries"] == ["GB"]
    bad = client.put("/api/v1/call-rights", json.dumps({
        "home_country": "XX", "allowed_countries": [], "emergency_numbers": ["112"]}),
        content_type="application/json", **headers)
    assert bad.status_code in (400, 422), bad.content
    c = client.post("/api/v1/call-rights/classify", json.dumps({"number": "0044207946000"}),
                    content_type="application/json", **headers)
    assert c.json() == {"number": "0044207946000", "number_class": "international",
                        "country": "GB", "country_allowed": True}
    user = new_line("3391", "Api User").phone.user
    other = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
    assert client.get("/api/v1/call-rights", **other).status_code == 403
