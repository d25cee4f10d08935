"""Ring groups, pickup, paging and short numbers, with real calls through the managed Asterisk.

Everything is set up through ``centrex.groups.services`` (what the pages and the API call):
the change is applied, then SIPp phones place and take the calls. Extensions 3400 to 3499.
"""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ValidationError

from centrex.groups import services
from centrex.groups.models import PagingGroup, RingGroup, SpeedDial
from centrex.telephony.services import update_phone
from tests.integration.test_calls import new_line

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def invited_by(result, extension: str) -> bool:
    return any(line.startswith("INVITE FROM") and f"<sip:{extension}@" in line
               for line in result.logs)


def ring_group(extension: str, members: list[str], **fields) -> RingGroup:
    return services.save_ring_group(
        RingGroup(extension=extension, name=f"Group {extension}", **fields), members)


# -- ring groups ----------------------------------------------------------------------------
def test_in_order_reaches_the_second_member_after_the_first_times_out(asterisk, sip, rtp):
    caller = new_line("3401", "Carl Ordered")
    first = new_line("3402", "Fay First")
    second = new_line("3403", "Sam Second")
    ring_group("3410", [first.extension, second.extension], strategy=RingGroup.IN_ORDER,
               member_seconds=5, timeout=60)

    rings = sip.callee(first.user, first.password, "uas_ring", timeout=30)
    answers = sip.callee(second.user, second.password, "uas_answer", ring_ms=300, timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3410", media_port=rtp.port,
                      hold_ms=1500, timeout=30)
    call.wait_for_log("ANSWERED", timeout=20)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller of the ring group")
    first_result = rings.wait()
    assert invited_by(first_result, caller.extension), first_result.describe()
    assert first_result.has_log("CANCELLED"), first_result.describe()
    second_result = answers.wait().assert_ok("second member")
    assert invited_by(second_result, caller.extension), second_result.describe()
    assert 4.5 <= waited <= 12, f"answered after {waited:.1f} s, the first rings 5 s"


def test_ring_all_rings_every_member_at_once(asterisk, sip, rtp):
    caller = new_line("3411", "Carl Ringall")
    ringing = new_line("3412", "Rita Ringall")
    answering = new_line("3413", "Andy Ringall")
    ring_group("3415", [ringing.extension, answering.extension], strategy=RingGroup.RING_ALL,
               member_seconds=5, timeout=30)

    rings = sip.callee(ringing.user, ringing.password, "uas_ring", timeout=30)
    answers = sip.callee(answering.user, answering.password, "uas_answer", ring_ms=2000,
                         timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3415", media_port=rtp.port,
                      hold_ms=1000, timeout=30)
    call.wait_for_log("ANSWERED", timeout=15)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller of the ring group")
    ring_result = rings.wait()
    assert invited_by(ring_result, caller.extension), ring_result.describe()
    assert ring_result.has_log("CANCELLED"), ring_result.describe()
    answers.wait().assert_ok("answering member")
    # Both rang together: the answer came after the answering phone's own 2 s of ringing,
    # well before the 5 s that "in order" would have given the first member.
    assert waited < 4.5, f"answered after {waited:.1f} s"


def test_nobody_answers_the_call_goes_to_the_fallback_number(asterisk, sip, rtp):
    caller = new_line("3421", "Carl Fallback")
    member = new_line("3422", "Mia Member")
    backup = new_line("3423", "Bob Backup")
    ring_group("3420", [member.extension], strategy=RingGroup.IN_ORDER, member_seconds=30,
               timeout=5, fallback=RingGroup.NUMBER, fallback_number=backup.extension)

    rings = sip.callee(member.user, member.password, "uas_ring", timeout=30)
    answers = sip.callee(backup.user, backup.password, "uas_answer", ring_ms=300, timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, "3420", media_port=rtp.port,
                      hold_ms=1000, timeout=30)
    call.wait_for_log("ANSWERED", timeout=20)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller of the ring group")
    assert rings.wait().has_log("CANCELLED")
    assert invited_by(answers.wait().assert_ok("fallback phone"), caller.extension)
    assert 4.5 <= waited <= 12, f"fallback after {waited:.1f} s, the group gives up after 5 s"


def test_a_group_number_is_checked_against_the_numbering_plan(asterisk):
    phone = new_line("3491", "Nina Numbering").phone
    with pytest.raises(ValidationError) as exc:
        ring_group(phone.extension, [])
    assert "extension" in exc.value.message_dict
    ring_group("3492", [])
    with pytest.raises(ValidationError):
        services.save_paging_group(PagingGroup(extension="3492", name="Clash"), [])
    with pytest.raises(ValidationError) as exc:
        ring_group("3493", [], fallback=RingGroup.NUMBER, fallback_number="3499")
    assert "fallback_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        ring_group("3494", ["3498"])
    assert "3498" in str(exc.value)
    with pytest.raises(ValidationError):
        services.save_speed_dial(SpeedDial(code="3495", name="Bad", number="3491"))


# -- pickup ---------------------------------------------------------------------------------
def _picked_up(sip, rtp, caller, ringing, picker, dialled: str) -> None:
    rings = sip.callee(ringing.user, ringing.password, "uas_ring", timeout=30)
    waiting = sip.sipp("groups_uac_wait_bye", auth=(caller.user, caller.password),
                       timeout=30, variables={"user": caller.user, "dest": ringing.extension,
                                              "mport": rtp.port}).start()
    assert rings.wait_for_log("INVITE FROM", timeout=10)
    time.sleep(0.5)
    picking = sip.caller(picker.user, picker.password, dialled, media_port=rtp.port,
                         hold_ms=1500, timeout=20)
    picking.wait().assert_ok(f"phone dialling {dialled}")
    waiting_result = waiting.wait().assert_ok("caller whose call was picked up")
    assert waiting_result.has_log("HUNG UP BY PEER"), waiting_result.describe()
    ring_result = rings.wait()
    assert ring_result.has_log("CANCELLED"), ring_result.describe()


def test_group_pickup_takes_the_call_ringing_in_the_same_group(asterisk, sip, rtp):
    caller = new_line("3431", "Carl Pickup")
    ringing = new_line("3432", "Rose Ringing")
    picker = new_line("3433", "Pat Picker")
    update_phone(ringing.phone, groups={"call_groups": [7]})
    update_phone(picker.phone, groups={"pickup_groups": [7]})
    _picked_up(sip, rtp, caller, ringing, picker, "*8")


def test_group_pickup_from_another_group_gets_nothing(asterisk, sip, rtp):
    caller = new_line("3436", "Carl Nopickup")
    ringing = new_line("3437", "Rose Nopickup")
    outsider = new_line("3438", "Olga Outsider")
    update_phone(ringing.phone, groups={"call_groups": [8]})
    update_phone(outsider.phone, groups={"pickup_groups": [9]})
    rings = sip.callee(ringing.user, ringing.password, "uas_ring", timeout=20)
    call = sip.caller(caller.user, caller.password, ringing.extension, media_port=rtp.port,
                      hold_ms=500, timeout=15)
    assert rings.wait_for_log("INVITE FROM", timeout=10)
    picking = sip.caller(outsider.user, outsider.password, "*8", media_port=rtp.port,
                         hold_ms=500, timeout=10)
    result = picking.wait()
    assert not result.has_log("ANSWERED"), "a phone outside the group picked the call up"
    assert not call.wait().has_log("ANSWERED")


def test_directed_pickup_by_extension(asterisk, sip, rtp):
    caller = new_line("3441", "Carl Directed")
    ringing = new_line("3442", "Rose Directed")
    picker = new_line("3443", "Pat Directed")  # in no group: directed pickup needs none
    _picked_up(sip, rtp, caller, ringing, picker, f"**{ringing.extension}")


# -- paging ---------------------------------------------------------------------------------
def test_paging_reaches_every_member_with_the_auto_answer_headers(asterisk, sip, rtp):
    speaker = new_line("3451", "Paula Pager")
    first = new_line("3452", "Lea Listener")
    second = new_line("3453", "Leo Listener")
    # The caller is a member too: it is not paged itself.
    services.save_paging_group(PagingGroup(extension="3450", name="Workshop"),
                               [speaker.extension, first.extension, second.extension])

    phones = [sip.callee(line.user, line.password, "uas_autoanswer", ring_ms=100,
                         timeout=30) for line in (first, second)]
    call = sip.caller(speaker.user, speaker.password, "3450", media_port=rtp.port,
                      hold_ms=3000, timeout=30)
    call.wait().assert_ok("the phone that pages")
    for phone in phones:
        result = phone.wait().assert_ok("paged phone")
        assert invited_by(result, speaker.extension), result.describe()
        alert = next(line for line in result.logs if line.startswith("ALERT-INFO"))
        info = next(line for line in result.logs if line.startswith("CALL-INFO"))
        assert "info=alert-autoanswer" in alert, result.describe()
        assert "answer-after=0" in info, result.describe()
        assert result.has_log("ANSWERED"), result.describe()


# -- short numbers --------------------------------------------------------------------------
def test_a_short_number_to_an_extension_rings_that_phone(asterisk, sip, rtp):
    caller = new_line("3461", "Carl Short")
    target = new_line("3462", "Tess Target")
    services.save_speed_dial(SpeedDial(code="*0346", name="Tess", number=target.extension))

    answers = sip.callee(target.user, target.password, "uas_answer", ring_ms=300, timeout=20)
    call = sip.caller(caller.user, caller.password, "*0346", media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok("caller of the short number")
    result = answers.wait().assert_ok("phone behind the short number")
    assert invited_by(result, caller.extension), result.describe()


# -- pages and API --------------------------------------------------------------------------
def test_pages_create_a_ring_group_and_name_a_pickup_group(asterisk):
    from centrex.core import roles
    from centrex.telephony.models import PickupGroup
    from tests.factories import client_for, make_user

    new_line("3471", "Pia Pages")
    new_line("3472", "Pio Pages")
    update_phone(new_line("3473", "Poe Pages").phone, groups={"call_groups": [12],
                                                              "pickup_groups": [12]})
    boss = make_user("groups-boss", profile=roles.ADMIN)
    client = client_for(boss)
    response = client.post("/manage/ring-groups/new/", {
        "extension": "3470", "name": "Front desk", "strategy": "order",
        "members_text": "3472, 3471", "member_seconds": 10, "timeout": 40,
        "fallback": "voicemail", "fallback_number": "3471"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    group = RingGroup.objects.get(extension="3470")
    assert [p.extension for p in group.ordered_members()] == ["3472", "3471"]
    assert "VoiceMail(3471@centrex,u)" in asterisk.cli("dialplan show 3470@centrex-groups")
    listing = client.get("/manage/ring-groups/").content.decode()
    assert "Front desk" in listing and "3472, 3471" in listing

    pickup = PickupGroup.objects.get(number=12)
    response = client.post(f"/manage/pickup-groups/{pickup.pk}/edit/",
                           {"name": "Accueil", "description": "Front desk"})
    assert response.status_code == 302
    listing = client.get("/manage/pickup-groups/").content.decode()
    assert "Accueil" in listing and "3473" in listing
    assert client.get(f"/manage/pickup-groups/{pickup.pk}/delete/").status_code == 404

    codes = client_for(make_user("groups-plain")).get("/groups/codes/").content.decode()
    assert "*8" in codes and "3470" in codes


def test_api_ring_group_paging_and_short_numbers(asterisk):
    from centrex.core import roles
    from tests.factories import api_token, client_for, make_user

    new_line("3481", "Ada Api")
    new_line("3482", "Abe Api")
    boss = make_user("groups-api", profile=roles.ADMIN)
    api = client_for(None, headers={"Authorization": f"Bearer {api_token(boss)}"})
    created = api.post("/api/v1/ring-groups", {
        "extension": "3485", "name": "Api group", "strategy": "order",
        "members": ["3482", "3481"]}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["members"] == ["3482", "3481"]
    refused = api.post("/api/v1/ring-groups", {"extension": "3481", "name": "Clash"},
                       content_type="application/json")
    assert refused.status_code == 400 and "extension" in refused.json()["errors"]
    paging = api.post("/api/v1/paging-groups", {"extension": "3486", "name": "Api page",
                                                "members": ["3481"]},
                      content_type="application/json")
    assert paging.status_code == 201, paging.content
    dial = api.post("/api/v1/short-numbers", {"code": "*0348", "name": "Ada",
                                              "number": "3481"},
                    content_type="application/json")
    assert dial.status_code == 201, dial.content
    pickup = api.get("/api/v1/pickup-groups", {"page_size": 100}).json()
    assert pickup["count"] == 64
    renamed = api.patch(f"/api/v1/pickup-groups/{pickup['items'][3]['id']}",
                        {"name": "Atelier"}, content_type="application/json")
    assert renamed.status_code == 200 and renamed.json()["number"] == 3
    plain = client_for(None, headers={
        "Authorization": f"Bearer {api_token(make_user('groups-api-plain'))}"})
    assert plain.get("/api/v1/short-numbers").json()["count"] == 1
    assert plain.post("/api/v1/short-numbers", {"code": "*0349", "name": "No",
                                                "number": "3481"},
                      content_type="application/json").status_code == 403
    assert plain.get("/api/v1/pickup-groups").status_code == 403
    assert api.delete(f"/api/v1/ring-groups/{created.json()['id']}").status_code == 204
    assert "3485" not in asterisk.cli("dialplan show centrex-groups")
