"""Real SIP calls through the managed Asterisk, with phones created by Centrex.

SIPp plays the phones (scenarios in ``tests/sip``, harness in ``tests/sipp.py``); a Python
UDP socket plays their audio where a test needs to check it. Each test creates its own phones
with its own extensions, so the tests do not depend on each other.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from centrex.pbx.apply import apply
from centrex.telephony.models import Phone
from centrex.telephony.services import change_sip_password, create_phone_with_user
from tests.sipp import (
    RtpPeer,
    alaw_tone,
    free_udp_port,
    marked_payload,
    remote_rtp,
)

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# The voicemail greeting for a box without a recorded one ("the person at extension 2402
# is unavailable", then the instructions and the beep) lasts about 13 s in French; the
# caller stays long enough after it to leave a few seconds of message.
VOICEMAIL_HOLD_MS = 18_000


@dataclass
class Line:
    """A phone as a SIP device sees it: its number and its credentials."""

    phone: Phone
    password: str

    @property
    def extension(self) -> str:
        return self.phone.extension

    @property
    def user(self) -> str:
        return self.phone.sip_username


def new_line(extension: str, name: str) -> Line:
    phone, password = create_phone_with_user(extension, name)
    return Line(phone, password)


def contacts_of(asterisk, user: str) -> list[str]:
    """Asterisk's registered contacts for one AOR (``pjsip show contacts`` lines)."""
    out = asterisk.cli("pjsip show contacts")
    return [line for line in out.splitlines() if f" {user}/sip:" in line]


def channels(asterisk) -> str:
    return asterisk.cli("core show channels")


def asterisk_log_tail(asterisk, lines: int = 40) -> str:
    path = Path(asterisk.log_dir) / "messages.log"
    text = path.read_text(errors="replace") if path.exists() else "(no messages.log)"
    return "\n".join(text.splitlines()[-lines:])


def echoed(sent: list[bytes], peer: RtpPeer, timeout: float = 2.0) -> set[bytes]:
    """The payloads of ``sent`` that came back to ``peer`` (waiting for stragglers)."""
    deadline = time.monotonic() + timeout
    while True:
        back = set(sent) & set(peer.payloads())
        if len(back) == len(sent) or time.monotonic() > deadline:
            return back
        time.sleep(0.05)


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


# -- 1. registration -----------------------------------------------------------------------
def test_phone_registers_with_its_credentials_and_a_wrong_password_is_refused(asterisk, sip):
    alice = new_line("2101", "Alice Register")
    bob = new_line("2102", "Bob Wrongpass")

    port = free_udp_port()
    result = sip.register(alice.user, alice.password, local_port=port)
    result.assert_ok("REGISTER with the phone's credentials")
    assert result.has_log("REGISTERED"), result.describe()
    contacts = contacts_of(asterisk, alice.user)
    assert any(f"sip:{alice.user}@127.0.0.1:{port}" in c for c in contacts), (
        f"no contact for {alice.user} in Asterisk:\n{asterisk.cli('pjsip show contacts')}"
    )

    refused = sip.register_refused(bob.user, bob.password + "-wrong")
    refused.assert_ok("REGISTER with a wrong password must be refused (401/403, never 200)")
    assert refused.has_log("REFUSED"), refused.describe()
    assert contacts_of(asterisk, bob.user) == [], asterisk.cli("pjsip show contacts")


# -- 2. echo test --------------------------------------------------------------------------
def test_registered_phone_calls_echo_test_and_its_rtp_comes_back(asterisk, sip, rtp):
    alice = new_line("2201", "Alice Echo")
    port = free_udp_port()
    sip.register(alice.user, alice.password, local_port=port).assert_ok("REGISTER")

    call = sip.caller(alice.user, alice.password, "9999", media_port=rtp.port,
                      local_port=port, hold_ms=4000, timeout=20)
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP"))
    assert dest[0] == "127.0.0.1", f"Asterisk offered RTP on {dest}, not the loopback"

    sent = [marked_payload(i) for i in range(50)]
    rtp.send(dest, sent)
    back = echoed(sent, rtp)

    result = call.wait()
    result.assert_ok("call to the echo test")
    assert result.has_log("HUNG UP"), result.describe()
    # Asterisk may drop the first packets while it learns the source (strict RTP).
    assert len(back) >= 40, (
        f"only {len(back)} of {len(sent)} RTP packets came back from the echo test "
        f"({len(rtp.received)} packets received in all){result.describe()}"
    )


# -- 3. phone to phone, CDR ----------------------------------------------------------------
def cdr_rows(asterisk) -> list[list[str]]:
    path = Path(asterisk.log_dir) / "cdr-csv" / "Master.csv"
    if not path.exists():
        return []
    with path.open(newline="", errors="replace") as fh:
        return list(csv.reader(fh))


def test_phone_calls_another_phone_which_answers_and_the_cdr_records_it(asterisk, sip, rtp):
    alice = new_line("2301", "Alice Caller")
    bob = new_line("2302", "Bob Callee")

    callee = sip.callee(bob.user, bob.password, "uas_answer", ring_ms=1000)
    call = sip.caller(alice.user, alice.password, bob.extension, media_port=rtp.port,
                      hold_ms=2000, timeout=20)
    caller_result = call.wait()
    callee_result = callee.wait()
    caller_result.assert_ok("caller")
    callee_result.assert_ok("callee")
    assert callee_result.has_log("ANSWERED"), callee_result.describe()
    invite_from = next(line for line in callee_result.logs if line.startswith("INVITE FROM"))
    assert f"<sip:{alice.extension}@" in invite_from, invite_from
    assert callee_result.has_log("HUNG UP BY PEER"), callee_result.describe()

    # CSV columns: accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp,
    # lastdata, start, answer, end, duration, billsec, disposition, ...
    def the_cdr():
        return [r for r in cdr_rows(asterisk)
                if len(r) > 14 and r[1] == alice.extension and r[2] == bob.extension]

    rows = wait_for(the_cdr, timeout=5)
    csv_dir = Path(asterisk.log_dir) / "cdr-csv"
    assert rows, (
        f"no CDR {alice.extension} -> {bob.extension} in {csv_dir}/Master.csv "
        f"(folder exists: {csv_dir.is_dir()}, {len(cdr_rows(asterisk))} rows)."
        f"\nAsterisk log:\n{asterisk_log_tail(asterisk)}"
    )
    row = rows[-1]
    assert row[14] == "ANSWERED", row
    assert f"PJSIP/{alice.user}-" in row[5] and f"PJSIP/{bob.user}-" in row[6], row


# -- 4. no answer → voicemail --------------------------------------------------------------
def test_unanswered_call_goes_to_voicemail_and_leaves_a_message(asterisk, sip, rtp):
    alice = new_line("2401", "Alice Voicemail")
    bob = new_line("2402", "Bob Absent")
    bob.phone.ring_timeout = 5
    bob.phone.save(update_fields=["ring_timeout", "updated"])
    apply()

    callee = sip.callee(bob.user, bob.password, "uas_ring", timeout=30)
    call = sip.caller(alice.user, alice.password, bob.extension, media_port=rtp.port,
                      hold_ms=VOICEMAIL_HOLD_MS, timeout=45)
    # The voicemail answers the caller once the phone has rung for its ring time.
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP", timeout=20))
    callee_result = callee.wait()
    callee_result.assert_ok("ringing phone (CANCEL, 487)")
    assert callee_result.has_log("CANCELLED"), callee_result.describe()

    # Speak during the whole call: what is said after the beep is the message.
    rtp.send_audio(dest, alaw_tone(VOICEMAIL_HOLD_MS / 1000 - 1.0))
    result = call.wait()
    result.assert_ok("caller leaving a message")

    inbox = Path(asterisk.spool_dir) / "voicemail" / "centrex" / bob.extension / "INBOX"
    message = inbox / "msg0000.txt"
    assert wait_for(message.exists, timeout=10), (
        f"no message in {inbox}: {sorted(p.name for p in inbox.parent.rglob('*'))}\n"
        f"Asterisk log:\n{asterisk_log_tail(asterisk)}"
    )
    info = dict(
        line.split("=", 1) for line in message.read_text().splitlines() if "=" in line
    )
    assert f"<{alice.extension}>" in info.get("callerid", ""), info
    assert int(info.get("duration", "0")) >= 1, info
    audio = [p for p in inbox.glob("msg0000.*") if p.suffix != ".txt"]
    assert audio and all(p.stat().st_size > 1000 for p in audio), (
        f"no recording next to {message}: {[(p.name, p.stat().st_size) for p in audio]}"
    )


# -- 5. password change, and a reload does not drop calls ----------------------------------
def test_password_change_applies_without_dropping_a_call_in_progress(asterisk, sip, rtp):
    phone = new_line("2501", "Pat Newpass")
    carol = new_line("2502", "Carol Talking")
    dave = new_line("2503", "Dave Talking")

    sip.register(phone.user, phone.password).assert_ok("REGISTER with the first password")

    callee = sip.callee(dave.user, dave.password, "uas_answer", ring_ms=200, rtp_echo=True,
                        timeout=40)
    call = sip.caller(carol.user, carol.password, dave.extension, media_port=rtp.port,
                      hold_ms=10_000, timeout=40)
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP"))
    call.wait_for_log("ANSWERED")

    def talk(first: int) -> set[bytes]:
        sent = [marked_payload(first + i) for i in range(25)]
        rtp.send(dest, sent)
        return echoed(sent, rtp)

    assert len(talk(0)) >= 15, "no audio between the two phones before the apply"
    before = channels(asterisk)
    assert carol.user in before and dave.user in before, before

    old_password = phone.password
    new_password = change_sip_password(phone.phone)
    # Most changes are pushed without a reload; the ones that do reload (the shared
    # dialplan, a PJSIP or voicemail reload by hand) must not drop the call either.
    for module in ("res_pjsip.so", "pbx_config.so", "app_voicemail.so"):
        asterisk.cli(f"module reload {module}")

    during = channels(asterisk)
    assert call.running() and callee.running(), (
        f"a SIPp phone ended during the apply{call.report()}{callee.report()}"
    )
    assert carol.user in during and dave.user in during, (
        f"the call was dropped by the apply:\n{during}"
    )
    assert len(talk(100)) >= 20, "the audio of the call stopped after the apply"

    refused = sip.register_refused(phone.user, old_password)
    refused.assert_ok("REGISTER with the old password must be refused")
    sip.register(phone.user, new_password).assert_ok("REGISTER with the new password")

    caller_result = call.wait()
    callee_result = callee.wait()
    caller_result.assert_ok("caller of the call held across the apply")
    callee_result.assert_ok("callee of the call held across the apply")
    assert caller_result.has_log("HUNG UP"), caller_result.describe()
    assert callee_result.has_log("HUNG UP BY PEER"), callee_result.describe()
