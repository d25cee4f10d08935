"""Forwards and do-not-disturb, with real calls through the managed Asterisk.

Forwards are set through ``centrex.telephony.forwards.update_forwards`` (what the pages and
the API call): the phone's dialplan line changes and is patched into Asterisk, then SIPp
places the calls. Each test uses its own extensions (2700 to 2799).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from centrex.core.models import AuditEntry, User
from centrex.pbx.ami import AMIClient
from centrex.pbx.apply import apply
from centrex.telephony.forwards import update_forwards
from centrex.telephony.models import Phone
from centrex.telephony.services import delete_phone, update_phone
from tests.factories import api_token, client_for
from tests.integration.test_calls import (
    VOICEMAIL_HOLD_MS,
    asterisk_log_tail,
    new_line,
    wait_for,
)
from tests.sipp import alaw_tone, remote_rtp

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def admin() -> User:
    return User.objects.create_superuser("fwd-admin", password="x" * 16)


def assert_reached(callee, caller_extension: str) -> None:
    result = callee.wait()
    result.assert_ok("forwarded-to phone")
    assert result.has_log("ANSWERED"), result.describe()
    invite_from = next(line for line in result.logs if line.startswith("INVITE FROM"))
    assert f"<sip:{caller_extension}@" in invite_from, invite_from


def dialplan_line(asterisk, extension: str) -> str:
    """What Asterisk runs at priority 1 of a phone's extension (read through AMI: the CLI
    cuts long lines)."""

    async def ask() -> str:
        ami = AMIClient(**asterisk.ami, reconnect=False)
        await ami.connect()
        try:
            _, events = await ami.action_list(
                "ShowDialPlan", Context="centrex-internal", Extension=extension)
        finally:
            await ami.close()
        return next(f"{e.get('Application')}({e.get('AppData')})" for e in events
                    if e.get("Priority") == "1")

    return asyncio.run(ask())


def inbox(asterisk, extension: str) -> Path:
    return Path(asterisk.spool_dir) / "voicemail" / "centrex" / extension / "INBOX"


def test_immediate_forward_rings_the_other_phone(asterisk, sip, rtp):
    caller = new_line("2701", "Carl Caller")
    absent = new_line("2702", "Anna Absent")  # never registered
    target = new_line("2703", "Tom Target")
    update_forwards(absent.phone, {"forward_always": target.extension}, admin())
    assert dialplan_line(asterisk, "2702").endswith(",20,1,,2703,,,))")

    callee = sip.callee(target.user, target.password, "uas_answer", ring_ms=500)
    call = sip.caller(caller.user, caller.password, absent.extension, media_port=rtp.port,
                      hold_ms=1500, timeout=20)
    call.wait().assert_ok("caller of the forwarded phone")
    assert_reached(callee, caller.extension)


def test_forward_on_busy(asterisk, sip, rtp):
    caller = new_line("2711", "Carl Busy")
    busy = new_line("2712", "Bea Busy")
    target = new_line("2713", "Tom Busytarget")
    update_forwards(busy.phone, {"forward_busy": target.extension}, admin())

    refusing = sip.callee(busy.user, busy.password, "uas_busy")
    callee = sip.callee(target.user, target.password, "uas_answer", ring_ms=500)
    call = sip.caller(caller.user, caller.password, busy.extension, media_port=rtp.port,
                      hold_ms=1500, timeout=20)
    call.wait().assert_ok("caller")
    busy_result = refusing.wait()
    busy_result.assert_ok("busy phone")
    assert busy_result.has_log("BUSY SENT"), busy_result.describe()
    assert_reached(callee, caller.extension)


def test_forward_on_no_answer_after_the_delay(asterisk, sip, rtp):
    caller = new_line("2721", "Carl Noanswer")
    ringing = new_line("2722", "Rita Ringing")
    target = new_line("2723", "Tom Noanswertarget")
    update_forwards(ringing.phone, {"forward_no_answer": target.extension,
                                    "forward_no_answer_delay": 5}, admin())
    assert dialplan_line(asterisk, "2722").endswith(",20,1,,,,2723,5))")

    rings = sip.callee(ringing.user, ringing.password, "uas_ring", timeout=30)
    callee = sip.callee(target.user, target.password, "uas_answer", ring_ms=500, timeout=30)
    started = time.monotonic()
    call = sip.caller(caller.user, caller.password, ringing.extension, media_port=rtp.port,
                      hold_ms=1500, timeout=30)
    call.wait_for_log("ANSWERED", timeout=20)
    waited = time.monotonic() - started
    call.wait().assert_ok("caller")
    ring_result = rings.wait()
    assert ring_result.has_log("CANCELLED"), ring_result.describe()
    assert_reached(callee, caller.extension)
    assert 4.5 <= waited <= 12, f"answered after {waited:.1f} s, the delay is 5 s"


def test_forward_to_voicemail_leaves_a_message_in_the_box(asterisk, sip, rtp):
    caller = new_line("2731", "Carl Message")
    absent = new_line("2732", "Vic Voicemail")  # never registered: no phone rings
    update_forwards(absent.phone, {"forward_always": "voicemail"}, admin())

    call = sip.caller(caller.user, caller.password, absent.extension, media_port=rtp.port,
                      hold_ms=VOICEMAIL_HOLD_MS, timeout=45)
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP", timeout=10))
    rtp.send_audio(dest, alaw_tone(VOICEMAIL_HOLD_MS / 1000 - 1.0))
    call.wait().assert_ok("caller leaving a message")
    message = inbox(asterisk, absent.extension) / "msg0000.txt"
    assert wait_for(message.exists, timeout=10), asterisk_log_tail(asterisk)
    assert f"<{caller.extension}>" in message.read_text()


def test_do_not_disturb_sends_callers_to_voicemail_without_ringing(asterisk, sip, rtp):
    caller = new_line("2741", "Carl Dnd")
    quiet = new_line("2742", "Dora Dnd")
    update_forwards(quiet.phone, {"dnd": True}, admin())

    callee = sip.callee(quiet.user, quiet.password, "uas_answer", ring_ms=200, timeout=8)
    call = sip.caller(caller.user, caller.password, quiet.extension, media_port=rtp.port,
                      hold_ms=3000, timeout=20)
    call.wait_for_log("ANSWERED", timeout=10)
    assert "VoiceMail" in asterisk.cli("core show channels concise")
    call.wait().assert_ok("caller answered by the voicemail")
    result = callee.wait()
    assert not result.has_log("INVITE FROM"), "a phone in do-not-disturb rang"


def test_do_not_disturb_without_voicemail_gives_busy(asterisk, sip, rtp):
    caller = new_line("2751", "Carl Nobox")
    quiet = new_line("2752", "Dan Nobox")
    quiet.phone.voicemail_enabled = False
    quiet.phone.save()
    update_forwards(quiet.phone, {"dnd": True}, admin())

    call = sip.caller(caller.user, caller.password, quiet.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=10)
    result = call.wait()
    assert not result.ok and not result.has_log("ANSWERED"), "the call was answered"
    assert "SIP/2.0 486" in result.messages, result.describe()


def test_a_loop_behind_centrexs_back_is_stopped_by_the_hop_counter(asterisk, sip, rtp):
    caller = new_line("2761", "Carl Loop")
    a = new_line("2762", "Al Loop")
    b = new_line("2763", "Bo Loop")
    # Written around the checks, as a broken import or a hand edit could.
    Phone.objects.filter(pk=a.phone.pk).update(forward_always=b.extension)
    Phone.objects.filter(pk=b.phone.pk).update(forward_always=a.extension)
    apply()
    call = sip.caller(caller.user, caller.password, a.extension, media_port=rtp.port,
                      hold_ms=1500, timeout=20)
    # After the allowed hops the call lands in a voicemail instead of looping forever.
    call.wait_for_log("ANSWERED", timeout=10)
    call.wait().assert_ok("caller of a looping forward")


# -- refused at save time -------------------------------------------------------------------
def test_a_loop_is_refused_when_saved(asterisk):
    a = new_line("2771", "Al Refused").phone
    b = new_line("2772", "Bo Refused").phone
    c = new_line("2773", "Cy Refused").phone
    boss = admin()
    update_forwards(a, {"forward_always": b.extension}, boss)
    update_forwards(b, {"forward_no_answer": c.extension}, boss)
    with pytest.raises(ValidationError) as exc:
        update_forwards(c, {"forward_busy": a.extension}, boss)
    assert "2773 → 2771 → 2772 → 2773" in str(exc.value)
    c.refresh_from_db()
    assert c.forward_busy == ""
    assert dialplan_line(asterisk, "2773").endswith(",20,1))")


def test_external_numbers_are_refused_with_the_reason(asterisk):
    phone = new_line("2781", "Ed External").phone
    owner = phone.user
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        update_forwards(phone, {"forward_always": "0612345678"}, owner)
    assert "External forwards" in str(exc.value)
    # With the profile, the phone's call rights decide (centrex.rights): no services right.
    with translation.override("fr"), pytest.raises(ValidationError) as exc:
        update_forwards(phone, {"forward_always": "0899123456"}, admin())
    assert "droits d'appel" in str(exc.value)
    phone.refresh_from_db()
    assert phone.forward_always == ""


def test_api_reads_and_changes_own_forwards_only(asterisk):
    mine = new_line("2791", "Mia Api").phone
    other = new_line("2792", "Oli Api").phone
    client = client_for(None)
    token = api_token(mine.user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    url = f"/api/v1/phones/{mine.pk}/forwards"
    got = client.get(url, **headers)
    assert got.status_code == 200, got.content
    assert got.json()["dnd"] is False
    put = client.put(url, json.dumps({"dnd": True, "forward_no_answer": other.extension,
                                      "forward_no_answer_delay": 10}),
                     content_type="application/json", **headers)
    assert put.status_code == 200, put.content
    mine.refresh_from_db()
    assert mine.dnd and mine.forward_no_answer == "2792"
    assert dialplan_line(asterisk, "2791").endswith(",20,1,1,,,2792,10))")
    assert client.get(f"/api/v1/phones/{other.pk}/forwards", **headers).status_code == 404
    bad = client.put(url, json.dumps({"forward_always": "0612345678"}),
                     content_type="application/json", **headers)
    assert bad.status_code == 400 and "forward_always" in bad.json()["errors"], bad.content


# -- from the phone: forward codes ----------------------------------------------------------
@pytest.fixture
def portal_for_asterisk(live_server, asterisk):
    """The portal served where Asterisk's forward codes call it (CENTREX_FEATURE_URL)."""
    url = live_server.url.replace("localhost", "127.0.0.1")
    with override_settings(CENTREX_FEATURE_URL=url):
        apply()
        yield url
    apply()


def dial_code(sip, line, code: str) -> list[str]:
    """Dial a code from ``line``; the <log> lines of the call (ANSWERED, HUNG UP BY PEER)."""
    result = sip.sipp(
        "uac_code", auth=(line.user, line.password), timeout=20,
        name=f"uac_code-{line.user}", variables={"user": line.user, "dest": code, "mport": 4000},
    ).run()
    result.assert_ok(f"dialling {code}")
    return result.logs


def test_forward_codes_from_the_phone_change_centrex_and_asterisk(
        asterisk, sip, rtp, portal_for_asterisk):
    caller = new_line("2801", "Carl Codes")
    mine = new_line("2802", "Mona Codes")
    target = new_line("2803", "Tom Codes")

    assert "HUNG UP BY PEER" in dial_code(sip, mine, f"*21*{target.extension}")
    mine.phone.refresh_from_db()
    assert mine.phone.forward_always == target.extension
    assert dialplan_line(asterisk, "2802").endswith(",20,1,,2803,,,))")
    entry = AuditEntry.objects.filter(object_id=str(mine.phone.pk)).latest("at")
    assert "forward_always" in json.dumps(entry.changes), entry.changes

    # The forward set from the phone works at once.
    callee = sip.callee(target.user, target.password, "uas_answer", ring_ms=300)
    call = sip.caller(caller.user, caller.password, mine.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok("caller")
    assert_reached(callee, caller.extension)

    dial_code(sip, mine, "%2321")  # "#21": cancel
    dial_code(sip, mine, "*78")
    dial_code(sip, mine, "*61")
    mine.phone.refresh_from_db()
    assert (mine.phone.forward_always, mine.phone.dnd, mine.phone.forward_no_answer) == (
        "", True, "voicemail")

    # Refused (a forward to itself, an unknown extension): nothing changes.
    dial_code(sip, mine, "*67*2802")
    dial_code(sip, mine, "*67*2899")
    mine.phone.refresh_from_db()
    assert mine.phone.forward_busy == ""


def test_forward_code_endpoint_trusts_only_live_channels(client):
    assert client.get("/forwards/feature-code/").status_code == 405
    for channel in ("", "PJSIP/unknown-00000001", "Local/1@x"):
        response = client.post("/forwards/feature-code/", {"channel": channel})
        assert response.content == b"refused", channel


# -- pages ----------------------------------------------------------------------------------
def test_pages_show_and_change_own_forwards_and_refuse_a_loop(asterisk):
    mine = new_line("2811", "Paula Pages").phone
    other = new_line("2812", "Omar Pages").phone
    boss = admin()
    update_forwards(other, {"forward_busy": mine.extension}, boss)
    client = client_for(mine.user)
    page = client.get("/forwards/")
    assert page.status_code == 200 and b"forwards-2811" in page.content
    assert b"forwards-2812" not in page.content
    assert client.get(f"/forwards/{other.pk}/").status_code == 404
    assert client.get("/forwards/codes/").status_code == 200

    form = {"forward_always": "", "forward_busy": "", "forward_no_answer": "2812",
            "forward_no_answer_delay": "10"}
    refused = client.post(f"/forwards/{mine.pk}/", form)
    assert refused.status_code == 200 and "2811 → 2812 → 2811" in refused.content.decode()
    saved = client.post(f"/forwards/{mine.pk}/", {**form, "forward_no_answer": "messagerie",
                                                  "dnd": "on"})
    assert saved.status_code == 302, saved.content.decode()[-2000:]
    mine.refresh_from_db()
    assert (mine.dnd, mine.forward_no_answer) == (True, "voicemail")
    assert dialplan_line(asterisk, "2811").endswith(",20,1,1,,,voicemail,10))")

    admin_client = client_for(boss)
    assert admin_client.get(f"/forwards/{other.pk}/").status_code == 200
    detail = admin_client.get(f"/manage/phones/{other.pk}/")
    assert f"/forwards/{other.pk}/".encode() in detail.content


def test_forwards_to_a_deleted_or_renumbered_phone_are_switched_off(asterisk):
    a = new_line("2821", "Al Dangling").phone
    b = new_line("2822", "Bo Deleted").phone
    c = new_line("2823", "Cy Renumbered").phone
    boss = admin()
    update_forwards(a, {"forward_busy": b.extension, "forward_no_answer": c.extension}, boss)
    delete_phone(b)
    c.extension = "2824"
    update_phone(c)
    a.refresh_from_db()
    assert (a.forward_busy, a.forward_no_answer) == ("", "")
    assert dialplan_line(asterisk, "2821").endswith(",20,1))")
