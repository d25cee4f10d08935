"""E-mail notification of new voicemail messages, driven by Asterisk's events.

``centrex run`` starts the AMI event listener (``centrex.pbx.events``). On each
``MessageWaiting`` event the box's INBOX is scanned; on each (re)connection every box is
scanned. A message is handled once: its ``NotifiedMessage`` row (unique per box and
Asterisk msg_id) is written in the same transaction that claims it, and a message already
recorded is never sent again. A failed send is retried at the next scan (three attempts).
"""

from __future__ import annotations

import datetime
import logging

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centrex.pbx import events
from centrex.pbx.ami import Message as AMIMessage
from centrex.telephony.confgen import VOICEMAIL_CONTEXT
from centrex.telephony.models import Phone
from centrex.voicemail import spool
from centrex.voicemail.models import EmailSettings, Notification, NotifiedMessage

logger = logging.getLogger("centrex.voicemail")
MAX_ATTEMPTS = 3


def connection(conf: EmailSettings):
    """A Django SMTP connection with the portal's settings (whatever EMAIL_BACKEND says:
    these e-mails are meant for a real server)."""
    return get_connection(
        "django.core.mail.backends.smtp.EmailBackend",
        host=conf.host, port=conf.port, username=conf.username or None,
        password=conf.password or None, use_tls=conf.security == EmailSettings.STARTTLS,
        use_ssl=conf.security == EmailSettings.SSL, timeout=conf.timeout, fail_silently=False)


def build_email(conf: EmailSettings, phone: Phone, message: spool.Message) -> EmailMessage:
    # In the site's language (settings.LANGUAGE_CODE): users have no language of their own.
    subject = _("New voicemail from %(caller)s on %(extension)s") % {
        "caller": message.caller, "extension": phone.extension}
    # One catalogue entry per line: the translation tables hold single-line strings.
    body = "\n".join([
        _("You have a new voicemail message."), "",
        _("From: %(caller)s") % {"caller": message.caller},
        _("Date: %(date)s") % {
            "date": f"{message.date:%Y-%m-%d %H:%M}" if message.date else "?"},
        _("Length: %(duration)s") % {"duration": message.duration_text}, "",
        _("The recording is attached; it is also in your voicemail in the portal and on "
          "your phone."), ""])
    email = EmailMessage(subject, body, conf.from_email, [phone.user.email])
    audio = message.audio
    if audio is not None:
        email.attach(message.filename, audio.read_bytes(), message.content_type)
    return email


def _claim(extension: str, msg_id: str) -> NotifiedMessage | None:
    """The row of a message to send now, or None when it was handled already."""
    with transaction.atomic():
        row = (NotifiedMessage.objects.select_for_update()
               .filter(extension=extension, msg_id=msg_id).first())
        if row is None:
            try:
                with transaction.atomic():
                    return NotifiedMessage.objects.create(
                        extension=extension, msg_id=msg_id, status=NotifiedMessage.FAILED)
            except IntegrityError:  # another scan claimed it at the same moment
                return None
        if row.status == NotifiedMessage.FAILED and row.attempts < MAX_ATTEMPTS:
            return row
        return None


def _finish(row: NotifiedMessage, status: str, detail: str = "") -> None:
    row.status = status
    row.detail = detail[:255]
    if status != NotifiedMessage.SKIPPED:
        row.attempts += 1
    row.save()


def scan_box(extension: str) -> int:
    """Send the e-mails of the box's new messages not handled yet; how many were sent."""
    phone = (Phone.objects.select_related("user").filter(extension=extension).first())
    choice = Notification.objects.filter(phone=phone).first() if phone else None
    if phone is None or choice is None or not choice.enabled:
        return 0
    conf = EmailSettings.get()
    sent = 0
    for message in spool.messages(extension, "INBOX"):
        if message.msg_id.startswith("n"):  # no msg_id: cannot be told apart after a move
            continue
        if NotifiedMessage.objects.filter(
                extension=extension, msg_id=message.msg_id).exclude(
                status=NotifiedMessage.FAILED).exists():
            continue
        row = _claim(extension, message.msg_id)
        if row is None:
            continue
        if message.date is not None and message.date < choice.since - datetime.timedelta(
                seconds=1):
            _finish(row, NotifiedMessage.SKIPPED, "left before the notification was chosen")
            continue
        if not (phone.user and phone.user.email and conf.configured):
            _finish(row, NotifiedMessage.SKIPPED, "no address or no SMTP server")
            continue
        try:
            with connection(conf) as smtp:
                smtp.send_messages([build_email(conf, phone, message)])
        except Exception as exc:  # SMTP refusals, network: retried at the next scan
            logger.warning("voicemail e-mail for %s %s failed: %s", extension,
                           message.msg_id, exc)
            _finish(row, NotifiedMessage.FAILED, str(exc))
            continue
        _finish(row, NotifiedMessage.SENT, timezone.now().isoformat())
        sent += 1
    return sent


def scan_all() -> int:
    """Every box with notification on (after a (re)connection: nothing missed)."""
    extensions = Notification.objects.filter(enabled=True).values_list(
        "phone__extension", flat=True)
    return sum(scan_box(ext) for ext in extensions)


def on_message_waiting(event: AMIMessage) -> None:
    """``MessageWaiting``: ``Mailbox: 3101@centrex``, ``New: 1``..."""
    mailbox = event.get("Mailbox", "")
    extension, _at, context = mailbox.partition("@")
    if context == VOICEMAIL_CONTEXT and extension.isdigit() and event.get("New", "0") != "0":
        scan_box(extension)


def connect() -> None:
    events.subscribe("MessageWaiting", on_message_waiting)
    events.on_connect(scan_all)
