"""Hot desking, conference rooms and call parking, with real calls through the managed
Asterisk (extensions 3500 to 3599).

Logins are made from the phone (the login code reaches the portal through CURL, like the
forward codes); conference rooms and parking are dialled by SIPp phones whose audio is
played and checked by ``RtpPeer`` sockets.
"""

from __future__ import annotations

import json
import math
import threading

import pytest

from centrex.core.models import User
from centrex.features import parking, services
from centrex.features.models import ConferenceRoom, HotdeskLogin
from centrex.telephony.services import update_phone
from tests.factories import api_token, client_for
from tests.integration.test_calls import asterisk_log_tail, new_line, wait_for
from tests.integration.test_forwards import (  # noqa: F401  (portal_for_asterisk: fixture)
    assert_reached,
    dial_code,
    dialplan_line,
    portal_for_asterisk,
)
from tests.sipp import FRAME_BYTES, RtpPeer, alaw_tone, marked_payload, remote_rtp

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def desk_line(extension: str, name: str):
    """A free-seating phone (its endpoint starts in centrex-hotdesk)."""
    line = new_line(extension, name)
    line.phone.hotdesk = True
    update_phone(line.phone)
    return line


def user_line(extension: str, name: str, pin: str):
    line = new_line(extension, name)
    update_phone(line.phone, pin=pin)
    return line


def admin() -> User:
    return User.objects.create_superuser("features-admin", password="x" * 16)


# -- hot desking -----------------------------------------------------------------------------
@pytest.mark.usefixtures("portal_for_asterisk")
def test_hotdesk_login_moves_the_calls_and_logout_restores_them(asterisk, sip, rtp):
    hugo = user_line("3501", "Hugo Hotdesk", "4321")
    caller = new_line("3502", "Carl Hotdesk")
    desk = desk_line("3550", "Desk One")

    # A wrong PIN logs nobody in.
    dial_code(sip, desk, "*77*3501*0000")
    assert not HotdeskLogin.objects.exists()

    assert "HUNG UP BY PEER" in dial_code(sip, desk, "*77*3501*4321")
    seat = HotdeskLogin.objects.get()
    assert (seat.desk_id, seat.line_id) == (desk.phone.pk, hugo.phone.pk)
    assert f"PJSIP/{desk.user}," in dialplan_line(asterisk, "3501")
    assert asterisk.cli(f"database get centrex-hotdesk/ext {desk.user}").strip().endswith(
        "3501"), asterisk_log_tail(asterisk)

    # A call to Hugo's extension rings the desk.
    callee = sip.callee(desk.user, desk.password, "uas_answer", ring_ms=300)
    call = sip.caller(caller.user, caller.password, hugo.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok("caller of the logged-in extension")
    assert_reached(callee, caller.extension)

    # A call from the desk is placed as Hugo (his extension as caller ID).
    callee = sip.callee(caller.user, caller.password, "uas_answer", ring_ms=300)
    call = sip.caller(desk.user, desk.password, caller.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok("call from the desk")
    assert_reached(callee, hugo.extension)

    # Logout: Hugo's own phone rings again.
    dial_code(sip, desk, "%2377")
    assert not HotdeskLogin.objects.exists()
    assert f"PJSIP/{hugo.user}," in dialplan_line(asterisk, "3501")
    callee = sip.callee(hugo.user, hugo.password, "uas_answer", ring_ms=300)
    call = sip.caller(caller.user, caller.password, hugo.extension, media_port=rtp.port,
                      hold_ms=1000, timeout=20)
    call.wait().assert_ok("caller after the logout")
    assert_reached(callee, caller.extension)


def test_an_idle_hotdesk_phone_cannot_call_an_internal_extension(asterisk, sip, rtp):
    target = new_line("3511", "Tina Target")
    desk = desk_line("3551", "Desk Idle")
    callee = sip.callee(target.user, target.password, "uas_answer", ring_ms=200, timeout=8)
    logs = dial_code(sip, desk, target.extension)  # answered by the refusal, then hung up
    assert "HUNG UP BY PEER" in logs
    result = callee.wait()
    assert not result.has_log("INVITE FROM"), "an idle free-seating phone rang an extension"


def test_hotdesk_pages_and_api_show_own_login_and_log_out(asterisk):
    mine = user_line("3521", "Mia Seat", "1111")
    other = user_line("3522", "Oli Seat", "2222")
    desk_a = desk_line("3552", "Desk A").phone
    desk_b = desk_line("3553", "Desk B").phone
    seat_mine = services.login(desk_a, mine.phone)
    seat_other = services.login(desk_b, other.phone)

    client = client_for(mine.phone.user)
    page = client.get("/features/hotdesk/")
    assert page.status_code == 200 and "3552" in page.content.decode()
    assert "3553" not in page.content.decode()
    token = api_token(mine.phone.user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/v1/hotdesk-logins", **headers).json()
    assert [s["extension"] for s in listed] == ["3521"]
    assert client.delete(f"/api/v1/hotdesk-logins/{seat_other.pk}",
                         **headers).status_code == 404
    assert client.post(f"/features/hotdesk/{seat_mine.pk}/logout/").status_code == 302
    assert not HotdeskLogin.objects.filter(pk=seat_mine.pk).exists()

    boss = client_for(admin())
    assert "3553" in boss.get("/features/hotdesk/").content.decode()
    assert f"PJSIP/{desk_b.sip_username}," in dialplan_line(asterisk, "3522")
    assert boss.post(f"/features/hotdesk/{seat_other.pk}/logout/").status_code == 302
    assert f"PJSIP/{other.phone.sip_username}," in dialplan_line(asterisk, "3522")


# -- conference rooms ------------------------------------------------------------------------
def _alaw_decode(code: int) -> int:
    code ^= 0x55
    sign, exponent, mantissa = code & 0x80, (code >> 4) & 0x07, code & 0x0F
    magnitude = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (
        exponent - 1)
    return magnitude if sign else -magnitude


def tone_power(payloads: list[bytes], frequency: float) -> float:
    """Goertzel power of ``frequency`` in A-law audio."""
    samples = [_alaw_decode(b) for p in payloads for b in p]
    coeff = 2 * math.cos(2 * math.pi * frequency / 8000)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def test_two_callers_in_a_conference_room_hear_each_other(asterisk, sip, rtp):
    room = services.save_room(ConferenceRoom(extension="3530", name="Salle Bleue",
                                             max_members=5))
    assert "ConfBridge" in asterisk.cli(f"dialplan show {room.extension}@centrex-conferences")
    anna = new_line("3531", "Anna Conf")
    bert = new_line("3532", "Bert Conf")
    other = RtpPeer()
    try:
        call_a = sip.caller(anna.user, anna.password, room.extension, media_port=rtp.port,
                            hold_ms=14000, timeout=30)
        dest_a = remote_rtp(call_a.wait_for_log("REMOTE_RTP", timeout=10))
        call_b = sip.caller(bert.user, bert.password, room.extension, media_port=other.port,
                            hold_ms=12000, timeout=30)
        dest_b = remote_rtp(call_b.wait_for_log("REMOTE_RTP", timeout=10))
        assert wait_for(lambda: asterisk.cli("confbridge list").count("centrex-room-3530"),
                        timeout=5), asterisk.cli("confbridge list")
        # Both speak at once, on different notes; each must hear the other's note (in the
        # last two seconds: the first member first hears that they were alone).
        before_a, before_b = len(rtp.received), len(other.received)
        threads = [threading.Thread(target=rtp.send_audio, args=(dest_a, alaw_tone(7, 440))),
                   threading.Thread(target=other.send_audio,
                                    args=(dest_b, alaw_tone(7, 1000)))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        heard_by_a = [p for p in _payloads(rtp, before_a) if len(p) == FRAME_BYTES][-100:]
        heard_by_b = [p for p in _payloads(other, before_b) if len(p) == FRAME_BYTES][-100:]
        assert len(heard_by_a) == 100 and len(heard_by_b) == 100, (len(heard_by_a),
                                                                 len(heard_by_b))
        assert tone_power(heard_by_a, 1000) > 20 * tone_power(heard_by_a, 440)
        assert tone_power(heard_by_b, 440) > 20 * tone_power(heard_by_b, 1000)
        call_a.wait().assert_ok("first member")
        call_b.wait().assert_ok("second member")
    finally:
        other.close()


def _payloads(peer: RtpPeer, start: int) -> list[bytes]:
    """Payloads of the RTP packets ``peer`` received after its ``start``-th packet."""
    return [p[12:] for p in list(peer.received)[start:] if len(p) >= 12 and p[0] >> 6 == 2]


def test_conference_rooms_share_the_numbering_plan_through_the_api(asterisk):
    new_line("3540", "Pat Taken")
    client = client_for(None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(admin())}"}
    taken = client.post("/api/v1/conference-rooms", json.dumps(
        {"extension": "3540", "name": "Clash"}), content_type="application/json", **headers)
    assert taken.status_code == 400 and "extension" in taken.json()["errors"], taken.content
    made = client.post("/api/v1/conference-rooms", json.dumps(
        {"extension": "3541", "name": "Salle Verte", "pin": "9876"}),
        content_type="application/json", **headers)
    assert made.status_code == 201, made.content
    assert "CONFBRIDGE(user,pin)=9876" in asterisk.cli("dialplan show 3541@centrex-conferences")
    phone_clash = client.post("/api/v1/phones", json.dumps(
        {"extension": "3541", "name": "Clash Phone"}), content_type="application/json",
        **headers)
    assert phone_clash.status_code == 400, phone_clash.content
    assert client.delete(f"/api/v1/conference-rooms/{made.json()['id']}",
                         **headers).status_code == 204
    assert "3541" not in asterisk.cli("dialplan show centrex-conferences")


# -- call parking ----------------------------------------------------------------------------
def test_a_parked_call_is_retrieved_from_another_phone(asterisk, sip, rtp):
    parker = new_line("3561", "Paul Parked")
    taker = new_line("3562", "Tess Taker")
    other = RtpPeer()
    try:
        parked = sip.caller(parker.user, parker.password, parking.extension(),
                            media_port=rtp.port, hold_ms=12000, timeout=30)
        dest_parked = remote_rtp(parked.wait_for_log("REMOTE_RTP", timeout=10))
        calls = wait_for(parking.parked_calls, timeout=8)
        assert calls and calls[0].caller_number == parker.extension, (
            calls, asterisk_log_tail(asterisk))
        slot = calls[0].slot
        assert slot == parking.slots()[0]
        page = client_for(taker.phone.user).get("/features/parking/")
        assert page.status_code == 200 and f"<strong>{slot}</strong>" in page.content.decode()

        take = sip.caller(taker.user, taker.password, slot, media_port=other.port,
                          hold_ms=4000, timeout=30)
        dest_take = remote_rtp(take.wait_for_log("REMOTE_RTP", timeout=10))
        assert wait_for(lambda: not parking.parked_calls(), timeout=5), "still parked"
        # Media both ways between the parked caller and the one who took the call.
        sent_take = [marked_payload(i) for i in range(100)]
        sent_parked = [marked_payload(1000 + i) for i in range(100)]
        threads = [threading.Thread(target=other.send, args=(dest_take, sent_take)),
                   threading.Thread(target=rtp.send, args=(dest_parked, sent_parked))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert wait_for(lambda: len(set(sent_take) & set(rtp.payloads())) > 50, timeout=3)
        assert wait_for(lambda: len(set(sent_parked) & set(other.payloads())) > 50, timeout=3)
        take.wait().assert_ok("phone taking the parked call")
        parked.wait()
    finally:
        other.close()
