"""What the pages and the API do with a mailbox: find the caller's own, move, delete,
choose e-mail notification.

Moves and deletions go through Asterisk's manager actions VoicemailMove and
VoicemailRemove (Asterisk 20.5+): Asterisk renumbers the folder itself and publishes the
new message counts, so the phone's message-waiting indication follows.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from centrex.core import audit
from centrex.pbx.ami import AMIError
from centrex.pbx.ami.sync import run_action
from centrex.pbx.connection import NotConfigured, target
from centrex.telephony.confgen import VOICEMAIL_CONTEXT
from centrex.voicemail import spool
from centrex.voicemail.models import Mailbox, Notification

# What the pages and the API answer 503 to: Asterisk absent or refusing.
AMI_ERRORS = (AMIError, OSError, NotConfigured)


def own_mailboxes(user) -> QuerySet:
    """The boxes of the user's own phones: nobody sees another person's messages, not even
    an administrator (they reset PINs, they do not listen)."""
    if not getattr(user, "is_authenticated", False):
        return Mailbox.objects.none()
    return Mailbox.objects.filter(user=user, voicemail_enabled=True).order_by("extension")


def check_folder(folder: str, field: str = "folder") -> str:
    if folder not in spool.FOLDERS:
        raise ValidationError({field: _("Unknown folder “%(folder)s”.") % {"folder": folder}})
    return folder


def get_message(box: Mailbox, folder: str, msg_id: str) -> spool.Message | None:
    if folder not in spool.FOLDERS:
        return None
    return spool.find(box.extension, folder, msg_id)


def _ami(action: str, **headers: str) -> None:
    run_action(target().ami, action, Context=VOICEMAIL_CONTEXT, **headers)


def move(box: Mailbox, message: spool.Message, to_folder: str) -> None:
    check_folder(to_folder, "to")
    if to_folder == message.folder:
        return
    _ami("VoicemailMove", Mailbox=box.extension, Folder=message.folder, ID=message.msg_id,
         ToFolder=to_folder)


def delete(box: Mailbox, message: spool.Message) -> None:
    """Remove the message and write it in the journal (who, which box, which message)."""
    _ami("VoicemailRemove", Mailbox=box.extension, Folder=message.folder, ID=message.msg_id)
    audit.record("delete", box, {"voicemail": [
        f"{message.folder} {message.msg_id} {message.caller} "
        f"{message.date:%Y-%m-%d %H:%M}" if message.date else message.msg_id, None]},
        object_repr=_("Voicemail message of %(extension)s") % {"extension": box.extension})


def notification_of(box: Mailbox) -> Notification | None:
    return Notification.objects.filter(phone_id=box.pk).first()


def set_notification(box: Mailbox, enabled: bool) -> Notification:
    """Switch e-mails on or off; switching on starts from now (older messages stay quiet)."""
    current = notification_of(box)
    if current is None:
        return Notification.objects.create(phone_id=box.pk, enabled=enabled,
                                           since=timezone.now())
    if enabled and not current.enabled:
        current.since = timezone.now()
    current.enabled = enabled
    current.save()
    return current
