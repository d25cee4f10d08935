"""Voicemail in the browser, e-mail notification and message-waiting, with real calls.

A caller (SIPp) leaves a message on a phone whose calls all go to voicemail; Centrex's AMI
event listener (``centrex.pbx.events``, started here as ``centrex run`` starts it) sends the
e-mail to a local SMTP server the test starts (``tests/smtp_sink.py``); the pages and the
API show, play, move and delete it, through Asterisk's own manager actions; a registered
phone (``uas_mwi``) sees Messages-Waiting go to yes, then back to no. Extensions 3100-3199.
"""

from __future__ import annotations

import base64
import time

import pytest
from django.urls import reverse

from centrex.core.models import AuditEntry, User
from centrex.pbx.events import Listener
from centrex.telephony.forwards import update_forwards
from centrex.voicemail import notify, services, spool
from centrex.voicemail.models import EmailSettings, Mailbox, NotifiedMessage
from tests.factories import api_client, client_for, make_user
from tests.integration.test_calls import VOICEMAIL_HOLD_MS, asterisk_log_tail, new_line, wait_for
from tests.sipp import alaw_tone, remote_rtp
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    conf = EmailSettings.get()
    conf.host, conf.port, conf.security = "127.0.0.1", sink.port, EmailSettings.NONE
    conf.from_email = "centrex@example.org"
    conf.save()
    yield sink
    sink.stop()


@pytest.fixture
def listener(asterisk):
    running = Listener(ami=asterisk.ami).start()
    assert running.caught_up.wait(15), "the AMI event listener did not connect"
    yield running
    running.stop()


def admin() -> User:
    return User.objects.create_superuser("vm-admin", password="x" * 16,
                                         email="admin@example.org")


def mailbox_line(extension: str, name: str, email: str):
    """A phone whose every call goes to its voicemail, its user with an e-mail address."""
    line = new_line(extension, name)
    line.phone.user.email = email
    line.phone.user.save()
    update_forwards(line.phone, {"forward_always": "voicemail"}, admin_user())
    return line


def admin_user() -> User:
    return User.objects.filter(username="vm-admin").first() or admin()


def leave_message(asterisk, sip, rtp, caller, box) -> spool.Message:
    call = sip.caller(caller.user, caller.password, box.extension, media_port=rtp.port,
                      hold_ms=VOICEMAIL_HOLD_MS, timeout=45)
    dest = remote_rtp(call.wait_for_log("REMOTE_RTP", timeout=10))
    rtp.send_audio(dest, alaw_tone(VOICEMAIL_HOLD_MS / 1000 - 1.0))
    call.wait().assert_ok("caller leaving a message")
    assert wait_for(lambda: spool.messages(box.extension, "INBOX"), timeout=10), \
        asterisk_log_tail(asterisk)
    return spool.messages(box.extension, "INBOX")[0]


def test_new_message_is_emailed_with_its_recording_once(asterisk, sip, rtp, smtp, listener):
    caller = new_line("3101", "Carl Caller")
    box = mailbox_line("3102", "Mia Mailbox", "mia@example.org")
    services.set_notification(Mailbox.objects.get(pk=box.phone.pk), True)

    message = leave_message(asterisk, sip, rtp, caller, box)
    mails = smtp.wait(1)
    assert len(mails) == 1, (mails, list(NotifiedMessage.objects.values()))
    mail = mails[0]
    assert mail["To"] == "mia@example.org"
    assert mail["From"] == "centrex@example.org"
    assert "3101" in mail["Subject"] and "3102" in mail["Subject"]
    attachments = list(mail.iter_attachments())
    assert len(attachments) == 1
    audio = attachments[0].get_content()
    assert audio[:4] == b"RIFF" and audio == message.audio.read_bytes()
    assert attachments[0].get_content_type() == "audio/wav"

    # Nothing is sent twice: neither by a new scan nor by a listener that starts again.
    assert notify.scan_all() == 0
    again = Listener(ami=asterisk.ami).start()
    try:
        assert again.caught_up.wait(15)
    finally:
        again.stop()
    time.sleep(1)
    assert len(smtp.messages) == 1
    assert NotifiedMessage.objects.get(msg_id=message.msg_id).status == NotifiedMessage.SENT


def test_message_missed_while_the_listener_was_down_is_sent_at_start(asterisk, sip, rtp,
                                                                       smtp):
    caller = new_line("3111", "Carl Late")
    box = mailbox_line("3112", "Lea Late", "lea@example.org")
    services.set_notification(Mailbox.objects.get(pk=box.phone.pk), True)
    message = leave_message(asterisk, sip, rtp, caller, box)  # no listener running
    assert smtp.messages == []
    late = Listener(ami=asterisk.ami).start()
    try:
        mails = smtp.wait(1)
    finally:
        late.stop()
    assert [m["To"] for m in mails] == ["lea@example.org"]
    assert NotifiedMessage.objects.get(msg_id=message.msg_id).status == NotifiedMessage.SENT


def test_pages_and_api_show_play_move_and_delete_own_messages_only(asterisk, sip, rtp):
    caller = new_line("3121", "Carl Pages")
    box = mailbox_line("3122", "Paul Pages", "paul@example.org")
    message = leave_message(asterisk, sip, rtp, caller, box)
    owner = client_for(box.phone.user)
    query = {"folder": "INBOX", "message": message.msg_id}

    page = owner.get(reverse("voicemail"))
    assert page.status_code == 200
    text = page.content.decode()
    assert message.msg_id in text and "3121" in text and "<audio" in text
    played = owner.get(reverse("voicemail-audio", args=[box.phone.pk]), query)
    assert played.status_code == 200 and played["Content-Type"] == "audio/wav"
    assert b"".join(played.streaming_content) == message.audio.read_bytes()

    # Nobody else, an administrator included, reaches the box or its recording.
    boss = client_for(admin_user())
    assert boss.get(reverse("voicemail-box", args=[box.phone.pk])).status_code == 404
    assert boss.get(reverse("voicemail-audio", args=[box.phone.pk]), query).status_code == 404
    assert message.msg_id not in boss.get(reverse("voicemail")).content.decode()
    assert api_client(admin_user()).get(
        f"/api/v1/voicemail/mailboxes/{box.phone.pk}/messages").status_code == 404

    # Move to Work from the page: Asterisk's VoicemailMove, same msg_id, INBOX empty.
    moved = owner.post(reverse("voicemail-move", args=[box.phone.pk]),
                       {**query, "to": "Work"})
    assert moved.status_code == 302
    assert spool.messages(box.extension, "INBOX") == []
    assert [m.msg_id for m in spool.messages(box.extension, "Work")] == [message.msg_id]

    # The API lists it with its recording, and deletes it (journalled).
    api = api_client(box.phone.user)
    listed = api.get(f"/api/v1/voicemail/mailboxes/{box.phone.pk}/messages",
                     {"folder": "Work", "audio": "true"})
    assert listed.status_code == 200, listed.content
    [item] = listed.json()
    assert item["id"] == message.msg_id and item["duration"] >= 1
    assert base64.b64decode(item["audio"])[:4] == b"RIFF"
    boxes = api.get("/api/v1/voicemail/mailboxes").json()
    assert [(b["id"], b["folders"]["Work"]) for b in boxes] == [(box.phone.pk, 1)]
    gone = api.post(f"/api/v1/voicemail/mailboxes/{box.phone.pk}/delete",
                    {"folder": "Work", "message": message.msg_id},
                    content_type="application/json")
    assert gone.status_code == 200, gone.content
    assert spool.messages(box.extension, "Work") == []
    entry = AuditEntry.objects.filter(action="delete", object_id=str(box.phone.pk)).last()
    assert entry is not None and entry.actor == box.phone.user


def test_message_waiting_reaches_the_phone_and_goes_off_after_deletion(asterisk, sip, rtp):
    caller = new_line("3131", "Carl Lamp")
    box = mailbox_line("3132", "Lamp Owner", "lamp@example.org")
    phone = sip.callee(box.user, box.password, "uas_mwi", timeout=90)

    def mwi(state: str) -> list[str]:
        return [line for line in phone.log_lines() if line.startswith(f"MWI {state}")]

    message = leave_message(asterisk, sip, rtp, caller, box)
    assert wait_for(lambda: mwi("yes"), timeout=15), phone.report()
    assert "1/0" in mwi("yes")[-1], mwi("yes")
    no_before = len(mwi("no"))

    deleted = client_for(box.phone.user).post(
        reverse("voicemail-delete", args=[box.phone.pk])
        + f"?folder=INBOX&message={message.msg_id}")
    assert deleted.status_code == 302
    assert spool.messages(box.extension, "INBOX") == []
    assert wait_for(lambda: len(mwi("no")) > no_before, timeout=15), phone.report()
    assert "0/0" in mwi("no")[-1]
    phone.stop()


def test_smtp_password_is_kept_but_never_shown_again():
    boss = client_for(admin_user())
    url = reverse("email-settings")
    values = {"host": "smtp.example.org", "port": 587, "security": "starttls",
              "username": "centrex", "from_email": "pbx@example.org", "timeout": 15}
    assert boss.post(url, {**values, "password": "s3cret-Pw!"}).status_code == 302
    assert EmailSettings.get().password == "s3cret-Pw!"
    assert "s3cret-Pw!" not in boss.get(url).content.decode()
    assert boss.post(url, {**values, "password": ""}).status_code == 302  # kept
    assert EmailSettings.get().password == "s3cret-Pw!"
    assert not AuditEntry.objects.filter(changes__icontains="s3cret").exists()
    assert client_for(make_user("nina-noadmin")).get(url).status_code == 403
