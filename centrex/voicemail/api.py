"""REST API of voicemail (mounted by centrex/api/main.py): the caller's own boxes only.

A box is the caller's own phone (``id`` = the phone's id); anybody else's box does not
exist for them (404), whatever their profile. Messages are named by ``folder`` (INBOX,
Old, Work, Family, Friends) and ``message`` (Asterisk's msg_id, kept across moves). The
recording comes base64-encoded in the message (``audio=true``), so every answer is JSON.
Moves and deletions go through Asterisk (503 when it does not answer).
"""

import base64
import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from centrex.api.common import ObjectId, find, responses
from centrex.voicemail import services, spool
from centrex.voicemail.models import Mailbox

router = Router(tags=["voicemail"])

FolderName = Literal["INBOX", "Old", "Work", "Family", "Friends"]
MSG_ID = {"pattern": f"^{spool.MSG_ID_RE.pattern}$"}


class MailboxOut(Schema):
    id: int
    extension: str
    folders: dict[str, int] = Field(description="Number of messages per folder.")
    email_notification: bool = Field(description="New messages are e-mailed to the user.")

    @staticmethod
    def resolve_folders(box: Mailbox) -> dict[str, int]:
        return spool.counts(box.extension)

    @staticmethod
    def resolve_email_notification(box: Mailbox) -> bool:
        choice = services.notification_of(box)
        return bool(choice and choice.enabled)


class MessageOut(Schema):
    id: str = Field(description="Asterisk's msg_id.")
    folder: str
    caller: str
    date: datetime.datetime | None
    duration: int = Field(description="Seconds.")
    content_type: str
    filename: str
    audio: str | None = Field(None, description="The recording, base64 (with audio=true).")


class MessagesQuery(Schema):
    folder: FolderName = "INBOX"
    message: str | None = Field(None, max_length=64, json_schema_extra=MSG_ID,
                                description="Only this message.")
    audio: bool = Field(False, description="Include the recordings (base64).")


class MessageIn(Schema):
    folder: FolderName
    message: str = Field(max_length=64, json_schema_extra=MSG_ID)


class MoveIn(MessageIn):
    to: FolderName


class NotificationIn(Schema):
    email_notification: bool


def _box(request: HttpRequest, mailbox_id: int) -> Mailbox:
    return find(services.own_mailboxes(request.auth), mailbox_id)


def _out(message: spool.Message, with_audio: bool) -> dict:
    audio = message.audio
    return {"id": message.msg_id, "folder": message.folder, "caller": message.caller,
            "date": message.date, "duration": message.duration,
            "content_type": message.content_type, "filename": message.filename,
            "audio": (base64.b64encode(audio.read_bytes()).decode()
                      if with_audio and audio is not None else None)}


def _message(box: Mailbox, payload: MessageIn) -> spool.Message:
    message = services.get_message(box, payload.folder, payload.message)
    if message is None:
        raise HttpError(404, _("This message no longer exists."))
    return message


def _asterisk(job) -> None:
    try:
        job()
    except ValidationError:
        raise
    except services.AMI_ERRORS as exc:
        raise HttpError(503, _("Asterisk did not take the change: %(error)s") % {
            "error": exc}) from exc


@router.get("/voicemail/mailboxes", response=responses({200: list[MailboxOut]}),
            operation_id="list_mailboxes", summary="List your voicemail boxes")
def list_mailboxes(request: HttpRequest):
    """One per phone of yours with a voicemail, with the number of messages per folder."""
    return list(services.own_mailboxes(request.auth))


@router.get("/voicemail/mailboxes/{mailbox_id}", response=responses({200: MailboxOut}),
            operation_id="get_mailbox", summary="Read one of your voicemail boxes")
def get_mailbox(request: HttpRequest, mailbox_id: ObjectId):
    return _box(request, mailbox_id)


@router.get("/voicemail/mailboxes/{mailbox_id}/messages",
            response=responses({200: list[MessageOut]}),
            operation_id="list_voicemail_messages", summary="List (and download) messages")
def list_messages(request: HttpRequest, mailbox_id: ObjectId,
                  query: Query[MessagesQuery]):
    """The messages of one folder, newest first; ``message`` keeps one, ``audio=true``
    adds the recordings (base64 WAV)."""
    box = _box(request, mailbox_id)
    found = spool.messages(box.extension, query.folder)
    if query.message is not None:
        found = [m for m in found if m.msg_id == query.message]
        if not found:
            raise HttpError(404, _("This message no longer exists."))
    return [_out(m, query.audio) for m in found]


@router.post("/voicemail/mailboxes/{mailbox_id}/move",
             response=responses({200: MessageOut}, 503),
             operation_id="move_voicemail_message", summary="Move a message to another folder")
def move_message(request: HttpRequest, mailbox_id: ObjectId, payload: MoveIn):
    """Asterisk renumbers the folders; the msg_id stays. Answers the moved message."""
    box = _box(request, mailbox_id)
    message = _message(box, payload)
    _asterisk(lambda: services.move(box, message, payload.to))
    moved = services.get_message(box, payload.to, message.msg_id)
    return _out(moved or message, False)


@router.post("/voicemail/mailboxes/{mailbox_id}/delete",
             response=responses({200: MessageOut}, 503),
             operation_id="delete_voicemail_message", summary="Delete a message")
def delete_message(request: HttpRequest, mailbox_id: ObjectId, payload: MessageIn):
    """Written in the journal. Answers what was deleted."""
    box = _box(request, mailbox_id)
    message = _message(box, payload)
    gone = _out(message, False)
    _asterisk(lambda: services.delete(box, message))
    return gone


@router.put("/voicemail/mailboxes/{mailbox_id}/notification",
            response=responses({200: MailboxOut}),
            operation_id="set_voicemail_notification",
            summary="E-mail new messages to you (or stop)")
def set_notification(request: HttpRequest, mailbox_id: ObjectId, payload: NotificationIn):
    """To your account's e-mail address, with the recording attached; only messages left
    after switching it on."""
    box = _box(request, mailbox_id)
    services.set_notification(box, payload.email_notification)
    return box
